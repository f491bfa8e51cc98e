"""The REST API under hostile bodies: bounded size and depth before parsing, unknown fields refused, booleans are
not numbers, no control characters in text, ids out of range never reach the database; and a property test that
drives every write operation of the OpenAPI document with hostile bodies and expects no 5xx."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
TRAINING = {"title": "ขายของออนไลน์", "starts_at": "2027-01-10T03:00:00Z", "ends_at": "2027-01-10T09:00:00Z",
            "capacity": 20, "signup_deadline": "2027-01-09T03:00:00Z"}


def _post(client, path: str, body) -> tuple[int, dict]:
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    response = client.post(path, data=raw, content_type="application/json", headers=AUTH)
    return response.status_code, response.get_json(silent=True) or {}


def test_a_valid_training_is_still_created(client):
    status, body = _post(client, "/api/v1/trainings", TRAINING)
    assert status == 201, body


def test_deeply_nested_json_is_a_400_not_a_500(client):
    status, body = _post(client, "/api/v1/projects", "[" * 100_000 + "]" * 100_000)
    assert status == 400 and "ซ้อนกันลึก" in body["error"]["message"]
    status, body = _post(client, "/api/v1/trainings", {**TRAINING, "speakers": [{"name": {"a": [[[[[[[[[[1]]]]]]]]]]}}]})
    assert status == 422  # ordinary depth: an ordinary validation error


def test_a_huge_body_is_refused_before_parsing(client):
    status, body = _post(client, "/api/v1/trainings", {**TRAINING, "description": "ก" * 600_000})
    assert status == 413 and body["error"]["code"] == "payload_too_large"


def test_nan_is_not_json(client):
    status, _ = _post(client, "/api/v1/trainings", json.dumps(TRAINING).replace('"capacity": 20', '"capacity": NaN'))
    assert status == 400


@pytest.mark.parametrize("field,value", [("cover_image_id", 2**70), ("project_id", 2**31), ("project_id", -1)])
def test_ids_out_of_range_are_422(client, field, value):
    status, body = _post(client, "/api/v1/trainings", {**TRAINING, field: value})
    assert status == 422 and body["error"]["fields"][0]["field"] == field


def test_speaker_photo_id_out_of_range_is_422(client):
    status, body = _post(client, "/api/v1/trainings",
                         {**TRAINING, "speakers": [{"name": "คุณมะลิ", "photo_image_id": 2**70}]})
    assert status == 422 and body["error"]["fields"][0]["field"] == "speakers.0.photo_image_id"


def test_path_ids_out_of_range_are_404(client):
    for path in ("/api/v1/trainings/99999999999999999999", "/api/v1/projects/4294967296"):
        assert client.get(path, headers=AUTH).status_code == 404


def test_booleans_are_not_numbers(client):
    status, body = _post(client, "/api/v1/trainings", {**TRAINING, "capacity": True})
    assert status == 422 and body["error"]["fields"][0]["type"] == "bool_not_number"


@pytest.mark.parametrize("text", ["ขาย\x00ของ", "ab\x07c", "\x1b[31mred"])
def test_control_characters_are_refused_in_text(client, text):
    status, body = _post(client, "/api/v1/trainings", {**TRAINING, "title": text})
    assert status == 422 and body["error"]["fields"][0]["type"] == "control_characters"
    status, _ = _post(client, "/api/v1/trainings", {**TRAINING, "title": "บรรทัดแรก\nบรรทัดสอง\tแท็บ"})
    assert status == 201


@pytest.mark.parametrize("path,body", [
    ("/api/v1/trainings", {**TRAINING, "colour": "red"}),
    ("/api/v1/trainings", {**TRAINING, "speakers": [{"name": "คุณมะลิ", "age": 40}]}),
    ("/api/v1/surveys", {"template": "training_satisfaction", "anonymous": False}),
])
def test_unknown_fields_are_refused_everywhere(client, path, body):
    status, answer = _post(client, path, body)
    assert status == 422 and answer["error"]["fields"][0]["type"] == "extra_forbidden"


def test_nul_in_a_query_string_is_refused(client):
    response = client.get("/api/v1/trainings?status=%00", headers=AUTH)
    assert response.status_code == 422


# ---- every write operation, hostile bodies -----------------------------------------------------------------------
def _write_operations(client) -> list[tuple[str, str]]:
    doc = client.get("/api/v1/openapi.json").get_json()
    ops = []
    for path, item in doc["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            if method in item:
                ops.append((method.upper(), path))
    return sorted(ops)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
                     st.floats(allow_nan=False), st.text(max_size=40),
                     st.sampled_from(["", "\x00", "2026-12-04T10:00:00Z", "ก" * 300, "https://x", "-1"]))
_json = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=12), inner, max_size=5)),
                     max_leaves=20)
_PATH_VALUES = st.sampled_from(["1", "2", "0", "2147483647", "2147483648", "99999999999999999999"])


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_write_operation_answers_5xx_to_hostile_bodies(app, data):
    client = app.test_client()
    ops = _write_operations(client)
    method, path = data.draw(st.sampled_from(ops))
    url = re.sub(r"\{[^}]+\}", lambda _m: data.draw(_PATH_VALUES), path)
    doc_fields = st.sampled_from(["title", "capacity", "starts_at", "text", "name", "price", "status", "id",
                                  "project_id", "speakers", "questions", "options", "districts", "code"])
    body = data.draw(st.one_of(_json, st.dictionaries(doc_fields, _json, max_size=6)))
    response = client.open(url, method=method, data=json.dumps(body), content_type="application/json",
                           headers=AUTH)
    assert response.status_code < 500, (method, url, body, response.get_data(as_text=True)[:300])
