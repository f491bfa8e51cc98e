"""Console pages for projects and announcements, the public project pages, and the REST API."""

from __future__ import annotations

import base64

from sqlalchemy import select

from models.projects import Announcement, Project
from services import projects
from tests.conftest import ADMIN_ID, API_TOKEN
from tests.projects.conftest import csrf_from, photo

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


# ---- public pages -------------------------------------------------------------------------------------------------------
def test_public_project_page_shows_stages_with_buddhist_era_dates_photos_and_share_links(client, rt, clock,
                                                                                        make_project):
    project_id = make_project("ซ่อมถนนสายบ้านไผ่", cover=True)
    clock.advance(days=30)
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "in_progress", clock(), note="เริ่มงานผิวทาง")
        projects.add_photo(session, ADMIN_ID, project_id, photo("red"), clock())
    page = client.get(f"/projects/{project_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ซ่อมถนนสายบ้านไผ่" in html and "เริ่มงานผิวทาง" in html
    assert "23 พฤศจิกายน 2569" in html and "23 ธันวาคม 2569" in html  # stage dates, Buddhist era
    assert "1 ธ.ค. 2569 – 31 มี.ค. 2570" in html  # project period
    assert "2,500,000" in html and "/media/" in html
    assert "https://www.kkpao.go.th" in html and "facebook.com" in html
    assert "line.me/R/share?text=" in html and "facebook.com/sharer/sharer.php" in html
    assert 'property="og:image"' in html


def test_public_list_filters_by_district_and_stage(client, make_project):
    make_project("ถนนบ้านไผ่", districts=("ban_phai",))
    make_project("ถนนพล", districts=("phon",), stage="completed")
    html = client.get("/projects?district=phon").get_data(as_text=True)
    assert "ถนนพล" in html and "ถนนบ้านไผ่" not in html
    html = client.get("/projects?stage=announced").get_data(as_text=True)
    assert "ถนนบ้านไผ่" in html and "ถนนพล" not in html
    html = client.get("/projects?district=nowhere&stage=x&page=abc").get_data(as_text=True)
    assert "ถนนพล" in html  # bad filters are ignored, not an error


def test_unpublished_or_unknown_project_page_is_a_404(client, make_project):
    hidden = make_project("ร่าง", published=False)
    assert client.get(f"/projects/{hidden}").status_code == 404
    assert client.get("/projects/99999").status_code == 404
    assert client.get("/privacy").status_code == 200


# ---- console: projects ----------------------------------------------------------------------------------------------------
def test_console_needs_staff(client):
    assert client.get("/console/projects").status_code == 401
    assert client.get("/console/announcements/new").status_code == 401


def test_staff_create_project_with_cover_then_change_stage_and_upload_photos(staff_client, rt):
    page = staff_client.get("/console/projects/new")
    token = csrf_from(page.get_data(as_text=True))
    response = staff_client.post("/console/projects/new", data={
        "csrf_token": token, "kind": "infrastructure", "title": "ขุดลอกคลองหนองโข่ง", "description": "ขุดลอก 2 กม.",
        "districts": ["mueang", "ban_haet"], "location": "บ้านหนองโข่ง", "budget": "1,200,000",
        "start_date": "2026-12-01", "end_date": "2027-01-31", "published": "1",
        "cover": (__import__("io").BytesIO(photo()), "cover.jpg"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    with rt.db.transaction() as session:
        project = session.scalars(select(Project)).one()
        assert (project.districts, str(project.budget), project.cover_image_id is not None) == (
            ["mueang", "ban_haet"], "1200000.00", True)
        project_id = project.id
    html = staff_client.get(f"/console/projects/{project_id}").get_data(as_text=True)
    token = csrf_from(html)
    response = staff_client.post(f"/console/projects/{project_id}/stage", data={
        "csrf_token": token, "stage": "in_progress", "note": "เริ่มขุด", "announce": "1",
        "photos": [(__import__("io").BytesIO(photo("blue")), "a.jpg")]}, content_type="multipart/form-data")
    assert response.status_code == 302 and f"/console/announcements/new?project_id={project_id}" in response.location
    # Where that leads: the announcement form for the stage just reached (it answered 500 once).
    form = staff_client.get(response.location)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'value="in_progress" selected' in html and 'value="announced"' in html and 'value="completed"' not in html
    response = staff_client.post(f"/console/projects/{project_id}/photos", data={
        "csrf_token": token, "stage": "in_progress",
        "photos": [(__import__("io").BytesIO(photo("red")), "b.jpg"), (__import__("io").BytesIO(b"junk"), "c.jpg")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = staff_client.get(f"/console/projects/{project_id}").get_data(as_text=True)
    assert "ไม่ใช่รูปภาพ" in page  # the bad file is explained; the good one in the same batch is not half-saved
    with rt.db.transaction() as session:
        assert len(projects.photos(session, project_id)) == 1


def test_console_form_errors_are_shown_and_nothing_is_saved(staff_client, rt):
    token = csrf_from(staff_client.get("/console/projects/new").get_data(as_text=True))
    response = staff_client.post("/console/projects/new", data={
        "csrf_token": token, "kind": "infrastructure", "title": "ถนน", "budget": "แพงมาก",
        "start_date": "2027-01-01", "end_date": "2026-01-01"})
    assert response.status_code == 422
    assert "งบประมาณต้องเป็นตัวเลข" in response.get_data(as_text=True)
    response = staff_client.post("/console/projects/new", data={"kind": "infrastructure", "title": "x"})
    assert response.status_code == 400  # no CSRF token
    with rt.db.transaction() as session:
        assert session.scalars(select(Project)).all() == []


# ---- console: announcements ---------------------------------------------------------------------------------------------
def test_console_announcement_preview_shows_count_and_quota_then_sends(staff_client, rt, chat, line):
    line.quota_limit = 1000
    somsri = chat("สมศรี")
    somsri.follow()
    somsri.says("ตั้งค่า")
    somsri.taps("พล")
    token = csrf_from(staff_client.get("/console/announcements/new").get_data(as_text=True))
    form = {"csrf_token": token, "text": "ฉีดวัคซีนฟรี วันจันทร์นี้", "link": "https://www.kkpao.go.th",
            "audience_kind": "districts", "districts": ["phon"], "when": "now"}
    preview = staff_client.post("/console/announcements/preview", data=form)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "data-recipients>1<" in html and "data-quota-left>1,000<" in html and "อำเภอ พล" in html
    response = staff_client.post("/console/announcements", data={**form, "confirm": "1"})
    assert response.status_code == 302
    got = somsri.collect()
    assert "ฉีดวัคซีนฟรี" in got.text and got.action("อ่านเพิ่มเติม")["uri"] == "https://www.kkpao.go.th"
    listing = staff_client.get("/console/announcements").get_data(as_text=True)
    assert "ส่งสำเร็จ 1" in listing


def test_console_schedules_and_cancels(staff_client, rt, clock):
    token = csrf_from(staff_client.get("/console/announcements/new").get_data(as_text=True))
    form = {"csrf_token": token, "text": "ประกาศล่วงหน้า", "audience_kind": "everyone", "when": "later",
            "send_at": "2026-11-23T09:00"}  # 02:00 UTC: already past (it is 10:00 in Khon Kaen)
    response = staff_client.post("/console/announcements/preview", data=form)
    assert response.status_code == 422 and "อนาคต" in response.get_data(as_text=True)
    form["send_at"] = "2026-11-24T09:00"
    assert staff_client.post("/console/announcements", data=form).status_code == 302
    with rt.db.transaction() as session:
        row = session.scalars(select(Announcement)).one()
        assert row.status == "scheduled" and row.send_at.isoformat() == "2026-11-24T02:00:00+00:00"
    staff_client.post(f"/console/announcements/{row.id}/cancel", data={"csrf_token": token})
    with rt.db.transaction() as session:
        assert session.scalars(select(Announcement)).one().status == "cancelled"


# ---- REST API -------------------------------------------------------------------------------------------------------------
def test_api_project_lifecycle(client, rt):
    created = client.post("/api/v1/projects", json={
        "kind": "career_training", "title": "ฝึกทำผ้าไหม", "districts": ["chonnabot"], "budget": "350000",
        "start_date": "2026-12-10", "end_date": "2026-12-12"}, headers=AUTH)
    assert created.status_code == 201, created.get_json()
    project = created.get_json()
    assert project["stage"] == "announced" and project["budget"] == "350000.00"
    assert project["stages"][0]["reached_at"] == "2026-11-23T03:00:00Z"
    pid = project["id"]
    moved = client.post(f"/api/v1/projects/{pid}/stage", json={"stage": "completed", "note": "จบแล้ว"}, headers=AUTH)
    assert moved.status_code == 200 and moved.get_json()["stage"] == "completed"
    back = client.post(f"/api/v1/projects/{pid}/stage", json={"stage": "in_progress"}, headers=AUTH)
    assert back.status_code == 409
    image = base64.b64encode(photo()).decode()
    added = client.post(f"/api/v1/projects/{pid}/photos", json={"image_base64": image}, headers=AUTH)
    assert added.status_code == 201
    assert len(added.get_json()["stages"][2]["photos"]) == 1
    bad = client.post(f"/api/v1/projects/{pid}/photos", json={"image_base64": "bm90IGFuIGltYWdl"}, headers=AUTH)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "unreadable"
    patched = client.patch(f"/api/v1/projects/{pid}", json={"title": "ฝึกทอผ้าไหม", "budget": None}, headers=AUTH)
    assert patched.get_json()["title"] == "ฝึกทอผ้าไหม" and patched.get_json()["budget"] is None
    listed = client.get("/api/v1/projects?district=chonnabot", headers=AUTH).get_json()
    assert [p["id"] for p in listed["data"]] == [pid]
    assert client.get("/api/v1/projects?district=bangkok", headers=AUTH).status_code == 422
    assert client.get("/api/v1/projects", headers={}).status_code == 401


def test_api_announcement_with_audience_schedule_and_delivery_counts(client, rt, chat, clock):
    somchai = chat("สมชาย")
    somchai.follow()
    somchai.says("ตั้งค่า")
    somchai.taps("ชนบท")
    sent = client.post("/api/v1/announcements", json={"text": "ข่าวจาก API", "audience": {"districts": ["chonnabot"]}},
                       headers=AUTH)
    assert sent.status_code == 201, sent.get_json()
    body = sent.get_json()
    assert body["status"] == "sent" and body["recipient_count"] == 1
    rt.process_pending()
    got = client.get(f"/api/v1/announcements/{body['id']}", headers=AUTH).get_json()
    assert got["delivery"] == {"pending": 0, "sent": 1, "failed": 0}
    assert somchai.collect().texts == ["ข่าวจาก API"]
    later = client.post("/api/v1/announcements", json={"text": "ทีหลัง", "send_at": "2026-11-24T09:00:00+07:00"},
                        headers=AUTH).get_json()
    assert later["status"] == "scheduled" and later["send_at"] == "2026-11-24T02:00:00Z"
    cancelled = client.post(f"/api/v1/announcements/{later['id']}/cancel", headers=AUTH)
    assert cancelled.get_json()["status"] == "cancelled"
    assert client.post(f"/api/v1/announcements/{later['id']}/cancel", headers=AUTH).status_code == 409
    assert client.post("/api/v1/announcements", json={"audience": {}}, headers=AUTH).status_code == 400
    assert client.post("/api/v1/announcements", json={"text": "x", "audience": {"interests": ["golf"]}},
                       headers=AUTH).status_code == 422


def test_openapi_document_describes_projects_and_announcements(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in ("/projects", "/projects/{project_id}", "/projects/{project_id}/stage", "/projects/{project_id}/photos",
                 "/announcements", "/announcements/{announcement_id}", "/announcements/{announcement_id}/cancel"):
        assert path in doc["paths"], path
    assert "patch" in doc["paths"]["/projects/{project_id}"]


def test_the_public_project_page_lists_its_announcements_in_the_order_they_went_out(client, rt, clock, make_project):
    from services.announcements import Audience

    project_id = make_project("ขุดลอกคลองหนองโคตร", stage="announced")
    with rt.db.transaction() as session:
        projects.announce(session, ADMIN_ID, project_id, "https://kk.test", Audience(), None, clock())
    clock.advance(days=3)
    with rt.db.transaction() as session:
        projects.change_stage(session, ADMIN_ID, project_id, "in_progress", clock())
        projects.announce(session, ADMIN_ID, project_id, "https://kk.test", Audience(), None, clock())
    html = client.get(f"/projects/{project_id}").get_data(as_text=True)
    listed = html.split("data-announcements", 1)[1].split("</ol>", 1)[0]
    from texts.projects import ANNOUNCE_HEADER

    assert listed.index(ANNOUNCE_HEADER["announced"]) < listed.index(ANNOUNCE_HEADER["in_progress"])
    assert listed.count("ประกาศเมื่อ") == 2


def test_the_console_shows_where_each_stage_went_line_and_the_feed(staff_client, rt, clock, chat, make_project):
    from services.announcements import Audience

    somsri = chat("สมศรี")
    somsri.follow()
    project_id = make_project("ขุดลอกคลองหนองโคตร", stage="announced")
    with rt.db.transaction() as session:
        projects.announce(session, ADMIN_ID, project_id, "https://kk.test", Audience(), None, clock())
    html = staff_client.get(f"/console/projects/{project_id}").get_data(as_text=True)
    went = html.split('data-published="announced"', 1)[1].split("</div>", 1)[0]
    assert "LINE: ส่งถึง 1 คน" in went and f"/projects/{project_id}" in went  # recipients, then the feed entry
