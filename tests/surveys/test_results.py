"""Results per survey: counts always; mean, distribution, choices, chart, CSV and API figures only with at least 5
responses (to protect respondents), while staff read every anonymous free-text and photo answer in the console
however few; CSV files with a BOM, Thai headers and neutralised formulas; the REST API for surveys."""

from __future__ import annotations

import io

from PIL import Image

from scheduler.jobs_surveys import send_training_surveys
from services import survey_results, surveys
from tests.conftest import ADMIN_ID, API_TOKEN
from tests.surveys.conftest import to_survey_time
from tests.web.conftest import staff_login

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
NAMES = ["หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก"]


def _answer_all(rt, users, survey_id, ratings, suggestion=None):
    """Each user answers every rating question with the given score (and the last question as given)."""
    for user, score in zip(users, ratings, strict=False):
        with rt.db.transaction() as session:
            progress = surveys.start(session, survey_id, user.user_id, rt.clock())
            while progress.question is not None and progress.question.kind == "rating":
                progress = surveys.answer_rating(session, progress.response.id, progress.question.id,
                                                 user.user_id, score, rt.clock())
            if progress.question is not None:
                if suggestion:
                    surveys.answer_text(session, progress.response.id, user.user_id, suggestion, rt.clock())
                else:
                    surveys.skip(session, progress.response.id, progress.question.id, user.user_id, rt.clock())


def test_fewer_than_five_responses_show_counts_only(attended, rt, clock, client):
    _, survey_id, users = attended(NAMES)
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    _answer_all(rt, users[:4], survey_id, [5, 4, 4, 3], suggestion="อยากให้มีอีก")
    with rt.db.transaction() as session:
        res = survey_results.results(session, survey_id)
        assert (res.invited, res.responses, res.detail) == (6, 4, False)
        assert res.questions == []
        assert survey_results.chart_png(session, survey_id) is None
    admin_client = client
    staff_login(admin_client, ADMIN_ID)  # now: a staff session lasts 8 hours of the (moved) clock
    page = admin_client.get(f"/console/surveys/{survey_id}/results").get_data(as_text=True)
    assert "น้อยกว่า 5 คน" in page and 'data-count="rate">67%' in page
    # Staff read the anonymous suggestions however few; the published figures (mean, chart) stay hidden.
    assert page.count("<li>อยากให้มีอีก</li>") == 4 and "ไม่ระบุตัวผู้ตอบ" in page
    assert 'class="tr-mean"' not in page and "ความพึงพอใจต่อวิทยากร" not in page
    assert all(u.user_id not in page and u.name not in page for u in users)
    assert admin_client.get(f"/console/surveys/{survey_id}/chart.png").status_code == 404
    csv = admin_client.get(f"/console/surveys/{survey_id}/results.csv").get_data(as_text=True)
    assert csv.startswith("\ufeffได้รับเชิญ,ตอบครบ,อัตราการตอบ,หมายเหตุ")
    assert "อยากให้มีอีก" not in csv and csv.splitlines()[1].startswith("6,4,0.667")
    api = admin_client.get(f"/api/v1/surveys/{survey_id}/results", headers=AUTH).json
    assert api["detail"] is False and api["questions"] is None and api["responses"] == 4


def test_results_show_means_distributions_texts_chart_and_csv(attended, rt, clock, client):
    _, survey_id, users = attended(NAMES)
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    _answer_all(rt, users[:3], survey_id, [5, 5, 4], suggestion="=HYPERLINK(\"x\")")
    _answer_all(rt, users[3:5], survey_id, [3, 2])
    with rt.db.transaction() as session:
        res = survey_results.results(session, survey_id)
    assert (res.invited, res.responses, res.detail) == (6, 5, True)
    assert round(res.rate, 3) == 0.833
    content = res.questions[0]
    assert content.distribution == [0, 1, 1, 1, 2] and content.mean == 3.8
    assert res.questions[5].texts == ['=HYPERLINK("x")'] * 3

    admin_client = client
    staff_login(admin_client, ADMIN_ID)
    page = admin_client.get(f"/console/surveys/{survey_id}/results").get_data(as_text=True)
    assert "3.80" in page and "ความพึงพอใจต่อวิทยากร" in page
    chart = admin_client.get(f"/console/surveys/{survey_id}/chart.png")
    assert chart.status_code == 200 and chart.mimetype == "image/png"
    image = Image.open(io.BytesIO(chart.data))
    assert image.width == 1000 and image.height > 400
    csv = admin_client.get(f"/console/surveys/{survey_id}/results.csv").get_data(as_text=True).lstrip("\ufeff")
    lines = csv.splitlines()
    assert len(lines) == 6 and lines[0].startswith("ลำดับ,ตอบเสร็จเมื่อ,1. ความพึงพอใจต่อเนื้อหาการอบรม")
    assert "'=HYPERLINK" in csv  # a formula in free text is neutralised for spreadsheets
    raw = admin_client.get(f"/console/surveys/{survey_id}/results.csv")
    assert raw.data.startswith(b"\xef\xbb\xbf") and raw.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert raw.headers["Content-Disposition"] == f'attachment; filename="survey-{survey_id}-results.csv"'
    assert all(u.user_id not in csv for u in users)  # anonymous

    api = admin_client.get(f"/api/v1/surveys/{survey_id}/results", headers=AUTH).json
    assert api["detail"] is True and api["responses"] == 5
    assert api["questions"][0]["rating"] == {"mean": 3.8, "distribution": {"1": 0, "2": 1, "3": 1, "4": 1, "5": 2}}


def test_chart_draws_thai_labels(tmp_path):
    from services.charts import RatingRow, rating_chart

    png = rating_chart("ผลความพึงพอใจ: ขายของออนไลน์", [RatingRow("ความพึงพอใจต่อวิทยากร", [0, 1, 2, 3, 4], 3.8)],
                       legend=["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"])
    image = Image.open(io.BytesIO(png)).convert("L")
    dark = sum(1 for p in image.getdata() if p < 100)
    assert dark > 2000  # text and bars were drawn, not an empty canvas


def test_survey_api_creates_from_a_template_attaches_and_opens(client, rt, attended):
    training_id, _, _ = attended([])
    templates = client.get("/api/v1/survey-templates", headers=AUTH).json["data"]
    assert {t["key"] for t in templates} == {"training_satisfaction", "project_satisfaction"}
    created = client.post("/api/v1/surveys", json={"template": "training_satisfaction"}, headers=AUTH)
    assert created.status_code == 201 and len(created.json["questions"]) == 6
    survey_id = created.json["id"]
    attached = client.post(f"/api/v1/surveys/{survey_id}/attach", json={"training_id": training_id}, headers=AUTH)
    assert attached.status_code == 200 and attached.json["training_id"] == training_id
    assert client.post(f"/api/v1/surveys/{survey_id}/attach", json={}, headers=AUTH).status_code == 400
    wrong = client.post(f"/api/v1/surveys/{survey_id}/attach", json={"project_id": 1}, headers=AUTH)
    assert wrong.status_code == 400  # a training survey cannot go to a project
    opened = client.post(f"/api/v1/surveys/{survey_id}/status", json={"status": "active"}, headers=AUTH)
    assert opened.json["status"] == "active"
    assert client.post(f"/api/v1/surveys/{survey_id}/status", json={"status": "active"},
                       headers=AUTH).status_code == 409
    assert client.post("/api/v1/surveys", json={"template": "nope"}, headers=AUTH).status_code == 422
    assert client.get("/api/v1/surveys/999", headers=AUTH).status_code == 404
    assert client.get("/api/v1/surveys", headers={}).status_code == 401


def test_staff_see_an_anonymous_photo_answer_from_a_single_respondent(rt, clock, chat, client):
    with rt.db.transaction() as session:
        survey = surveys.create_survey(session, title="สภาพถนน", kind="general", actor=ADMIN_ID, now=clock(),
                                       questions=[surveys.QuestionInput("rating", "พอใจไหม", []),
                                                  surveys.QuestionInput("text", "เล่าให้ฟังหน่อย", []),
                                                  surveys.QuestionInput("photo", "ส่งรูปถนน", [])])
        surveys.set_status(session, survey.id, "active", clock())
        survey_id = survey.id
    mali = chat("มะลิ")
    mali.follow()
    with rt.db.transaction() as session:
        from services import citizens

        surveys.invite(session, surveys.get_survey(session, survey_id),
                       [citizens.get(session, mali.user_id).id], clock())
    rt.process_pending()
    mali.collect()
    mali.says("แบบสอบถาม")
    mali.taps("4 มาก")
    mali.says("ถนนหน้าบ้านเป็นหลุม")
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 90, 90)).save(out, "JPEG")
    assert "ขอบคุณมากค่ะ" in mali.sends_image(out.getvalue()).texts[0]

    staff_login(client, ADMIN_ID)
    page = client.get(f"/console/surveys/{survey_id}/results").get_data(as_text=True)
    assert "<li>ถนนหน้าบ้านเป็นหลุม</li>" in page
    assert page.count('<img src="/media/') == 1  # the photo, shown to staff
    assert "มะลิ" not in page and mali.user_id not in page
    assert "4 มาก" not in page  # one person's rating is a figure: not shown below the minimum
    api = client.get(f"/api/v1/surveys/{survey_id}/results", headers=AUTH).json
    assert api["detail"] is False and api["questions"] is None  # what is published stays suppressed


def test_every_csv_cell_that_a_spreadsheet_would_run_is_neutralised():
    from web.csv_export import csv_text

    text = csv_text(["ชื่อ", "หมายเหตุ"], [["=1+1", "+66 81"], ["-5", "@SUM(A1)"], ["\tx", "\r=y"],
                                           ["ปกติ, มีจุลภาค", 42], [None, -3]])
    assert text.startswith("\ufeffชื่อ,หมายเหตุ\r\n")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[1] == "'=1+1,'+66 81"
    assert lines[2] == "'-5,'@SUM(A1)"
    assert lines[3] == "'\tx,\"'\r=y\""  # the csv module quotes the carriage return
    assert lines[4] == '"ปกติ, มีจุลภาค",42'
    assert lines[5] == ",-3"  # numbers are numbers, not text


def test_every_csv_download_of_the_product_has_a_bom_and_thai_headers(attended, rt, clock, client):
    training_id, survey_id, _users = attended(["สมศรี"])
    staff_login(client, ADMIN_ID)
    ids = {"training_id": training_id, "survey_id": survey_id, "slug": "sales-monthly"}  # /results/<slug>.csv
    routes = [rule for rule in client.application.url_map.iter_rules() if rule.rule.endswith(".csv")]
    assert len(routes) >= 2  # attendance and survey results, and any CSV added later
    for rule in routes:
        assert set(rule.arguments) <= set(ids), f"give {rule.rule} an id to test it with"
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(ids[name])).replace(f"<{name}>", str(ids[name]))
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.data.startswith(b"\xef\xbb\xbf"), url  # Excel reads UTF-8 Thai only with the BOM
        assert answer.headers["Content-Disposition"].startswith("attachment"), url
        header = answer.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
        assert all(any("\u0e00" <= ch <= "\u0e7f" for ch in cell) for cell in header.split(",")), (url, header)


def test_a_staff_written_option_that_looks_like_a_formula_stays_text_in_the_csv(attended, rt, clock, client):
    from models.surveys import Survey

    _, survey_id, users = attended(NAMES[:5])
    with rt.db.transaction() as session:
        session.get(Survey, survey_id).status = "draft"  # staff add a question before the survey goes out
        surveys.add_question(session, survey_id, surveys.QuestionInput(
            kind="single", prompt="ช่วงเวลาที่สะดวก", options=["=1+2", "@SUM(A1)", "ช่วงเช้า"], required=True),
            clock())
        surveys.set_status(session, survey_id, "active", clock())
    to_survey_time(clock)
    send_training_surveys(rt, clock())
    for index, user in enumerate(users):
        with rt.db.transaction() as session:
            progress = surveys.start(session, survey_id, user.user_id, clock())
            while progress.question is not None:
                q = progress.question
                if q.kind == "rating":
                    progress = surveys.answer_rating(session, progress.response.id, q.id, user.user_id, 4, clock())
                elif q.kind == "single":
                    progress = surveys.answer_choice(session, progress.response.id, q.id, user.user_id, index % 2,
                                                     clock())
                else:
                    progress = surveys.skip(session, progress.response.id, q.id, user.user_id, clock())
    staff_login(client, ADMIN_ID)
    csv = client.get(f"/console/surveys/{survey_id}/results.csv").get_data(as_text=True)
    cells = [cell for line in csv.splitlines()[1:] for cell in line.split(",")]
    assert "'=1+2" in cells and "'@SUM(A1)" in cells
    assert "=1+2" not in cells and "@SUM(A1)" not in cells
