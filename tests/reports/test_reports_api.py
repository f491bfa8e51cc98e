"""REST API of reports: the province summary, project and training reports as JSON under public disclosure control
for API_TOKEN (a public reader) and whole for API_STAFF_TOKEN, the PDFs as application/pdf for the staff token only,
and the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

from services import reports
from tests.conftest import API_TOKEN
from tests.reports.reports_history import build

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
STAFF_TOKEN = "staff-systems-token-" + "s" * 24
STAFF_AUTH = {"Authorization": f"Bearer {STAFF_TOKEN}"}


@pytest.fixture
def app_config(app_config) -> dict:
    return {**app_config, "API_STAFF_TOKEN": STAFF_TOKEN}


def test_reports_need_the_token(client):
    for path in ("/api/v1/reports/summary", "/api/v1/reports/projects/1", "/api/v1/reports/trainings/1",
                 "/api/v1/reports/projects/1.pdf"):
        assert client.get(path).status_code == 401


def test_empty_database_answers_zeros_not_errors(client):
    response = client.get("/api/v1/reports/summary", headers=AUTH)
    assert response.status_code == 200
    body = response.get_json()
    assert body["kind"] == "province" and body["reach"]["followers_by_month"] == []
    assert body["market"]["sales_by_month"] == []
    assert client.get("/api/v1/reports/projects/1", headers=AUTH).status_code == 404
    missing = client.get("/api/v1/reports/trainings/1", headers=AUTH)
    assert missing.status_code == 404 and missing.get_json()["error"]["message"] == "ไม่พบการอบรมนี้"


def test_summary_is_suppressed_like_the_public_pages(client, rt):
    history = build(rt)
    with rt.db.transaction() as session:
        raw = reports.province_summary(session, reports.Filters(), rt.clock())
    body = client.get("/api/v1/reports/summary", headers=AUTH).get_json()
    text = json.dumps(body, ensure_ascii=False)
    assert "ร้านแม่ศรี" not in text and "ร้านป้าจันทร์" not in text  # no shop named
    assert body["reach"]["followers_now"] == raw["reach"]["followers_now"] == 7  # 5 or more: shown
    # 4 trainee answers from 2 people: under 5, hidden in the API (staff see them in the console).
    assert raw["satisfaction"]["trainees"]["count"] == 4
    assert body["satisfaction"]["trainees"]["count"] is None and body["satisfaction"]["trainees"]["mean"] is None
    # September's traditional sales came from 2 shops: fewer than 3, hidden.
    september = next(m for m in body["market"]["sales_by_month"] if m["month"] == "2026-09")
    assert september["traditional_satang"] is None
    assert "traditional_vendors" not in september and "traditional_top_vendor_satang" not in september
    project = client.get(f"/api/v1/reports/projects/{history.project_id}", headers=AUTH)
    assert project.status_code == 200
    assert project.get_json()["project"]["title"] == "ฝึกอาชีพทอผ้าไหม"
    training = client.get(f"/api/v1/reports/trainings/{history.training_id}", headers=AUTH).get_json()
    assert training["training"]["title"] == "ทอผ้าไหมและขายออนไลน์"
    assert training["participation"]["signups"] is None  # 3 people: under 5

    from services import training_outcomes

    with rt.db.transaction() as session:
        raw_training = reports.training_report(session, history.training_id, rt.clock())
    # Shops' sales in the funnel pass OUTCOMES' rules too (no single shop's figure).
    expected = json.loads(json.dumps(training_outcomes.public_funnel(raw_training["funnel"]), default=str))
    assert training["funnel"] == expected

    # The province's own staff systems see the figures whole.
    whole = client.get("/api/v1/reports/summary", headers=STAFF_AUTH).get_json()
    assert whole["satisfaction"]["trainees"]["count"] == 4
    staff_training = client.get(f"/api/v1/reports/trainings/{history.training_id}", headers=STAFF_AUTH).get_json()
    assert staff_training["participation"]["signups"] == 3


def test_summary_filters_and_bad_filters(client, rt):
    build(rt)
    body = client.get("/api/v1/reports/summary?from=2026-10-01&to=2026-10-31&district=mueang&kind=career_training",
                      headers=AUTH).get_json()
    assert body["filters"] == {"period_from": "2026-10-01", "period_to": "2026-10-31", "district": "mueang",
                               "project_kind": "career_training"}
    assert [m["month"] for m in body["reach"]["followers_by_month"]] == ["2026-10"]
    bad = client.get("/api/v1/reports/summary?district=atlantis", headers=AUTH)
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"][0]["field"] == "district"
    backwards = client.get("/api/v1/reports/summary?from=2026-10-02&to=2026-10-01", headers=AUTH)
    assert backwards.status_code == 422 and "วันเริ่ม" in backwards.get_json()["error"]["message"]


def test_pdf_is_404_until_finished(client, rt):
    history = build(rt)
    assert client.get("/api/v1/reports/projects/999.pdf", headers=STAFF_AUTH).status_code == 404
    # The December training has not ended: no PDF yet.
    early = client.get(f"/api/v1/reports/trainings/{history.future_training_id}.pdf", headers=STAFF_AUTH)
    assert early.status_code == 404 and early.mimetype == "application/json"
    assert client.get("/api/v1/reports/province/2026-13.pdf", headers=STAFF_AUTH).status_code == 404


def test_openapi_documents_the_reports(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    summary = doc["paths"]["/reports/summary"]["get"]
    assert {p["name"] for p in summary["parameters"]} == {"from", "to", "district", "kind"}
    assert summary["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProvinceReportOut"}
    assert "disclosure" in summary["description"]
    for path in ("/reports/projects/{project_id}", "/reports/trainings/{training_id}"):
        assert "404" in doc["paths"][path]["get"]["responses"]
    pdf = doc["paths"]["/reports/projects/{project_id}.pdf"]["get"]
    assert list(pdf["responses"]["200"]["content"]) == ["application/pdf"]
    assert "404" in pdf["responses"] and "finished" in pdf["description"]
    assert "/reports/trainings/{training_id}.pdf" in doc["paths"]


def test_pdf_of_a_finished_project_is_application_pdf(client, rt):
    history = build(rt)
    # Its figures are not suppressed (it is the executives' summary): the public reader's token is refused.
    refused = client.get(f"/api/v1/reports/projects/{history.project_id}.pdf", headers=AUTH)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "staff_token_required"
    response = client.get(f"/api/v1/reports/projects/{history.project_id}.pdf", headers=STAFF_AUTH)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == f'inline; filename="kk-project-{history.project_id}.pdf"'
