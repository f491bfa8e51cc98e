"""PDPA for project ratings: the answers are the survey engine's rows, so a person's export lists their rating,
comment and photo, and erasing them removes the comment and the photo from the page while the stars stay as an
anonymous count."""

from __future__ import annotations

from services import privacy, project_ratings
from tests.project_ratings.conftest import finish, jpeg, rate, scan


def test_export_lists_the_rating_and_erasure_removes_the_photo_but_keeps_the_stars(rt, clock, client, person,
                                                                                   project):
    project_id = project("ถนนลาดยางบ้านโนน")
    people = [person(f"คนพล{i}", district="phon") for i in range(5)]
    finish(rt, clock, project_id, "completed")
    scan(rt, clock)
    for i, user in enumerate(people):
        rate(rt, clock, project_id, user.user_id, 4, comment="ไฟทางดับ" if i == 0 else None,
             photo=jpeg("blue") if i == 0 else None)
    with rt.db.transaction() as session:
        exported = privacy.collect_personal_data(session, people[0].user_id)
        assert len(project_ratings.result_photos(session, project_id, "https://x")) == 1
    answers = [a for r in exported["surveys"]["survey_responses"] for a in r["answers"]]
    assert [(a["rating"], a["text"], a["photo"]) for a in answers] == [(4, None, False), (None, "ไฟทางดับ", False),
                                                                      (None, None, True)]
    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, people[0].user_id, clock())
    with rt.db.transaction() as session:
        assert project_ratings.result_photos(session, project_id, "https://x") == []
        assert project_ratings.project_rating(session, project_id) == project_ratings.Rating(mean=4.0, count=5)
    html = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "4.0 จาก 5 ดาว" in html and "data-citizen-photos" not in html
