"""The public page of a finished project: the citizens' average and count (hidden under 5), before and after
photos side by side, the citizens' photos without names, and the stages with Buddhist-era dates."""

from __future__ import annotations

import re

from sqlalchemy import select

from models.projects import ProjectPhoto
from services import project_ratings
from tests.project_ratings.conftest import finish, jpeg, rate, scan


def _img_ids(html: str, side: str) -> list[str]:
    """The media ids of the images in one side ("before" / "after") of the comparison."""
    match = re.search(rf'<figure data-side="{side}">(.*?)</figure>', html, re.S)
    assert match, f"no {side} side"
    return re.findall(r'<img src="[^"]*/media/(\d+)-', match.group(1))


def test_the_average_is_hidden_at_four_ratings_and_shown_at_five(rt, clock, client, person, project):
    project_id = project("ถนนลาดยางบ้านโนน", photos={"announced": ["red"]})
    people = [person(f"คนพล{i}", district="phon") for i in range(5)]
    finish(rt, clock, project_id, "completed")
    assert scan(rt, clock).sent == 5

    for user, stars in zip(people[:4], (5, 4, 4, 3), strict=True):
        rate(rt, clock, project_id, user.user_id, stars, comment="ดีค่ะ" if stars == 5 else None,
             photo=jpeg("blue") if stars == 3 else None)
    html = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "คะแนนจากประชาชน" in html and "ยังมีผู้ให้คะแนนไม่ถึง 5 คน" in html
    assert "จาก 5 ดาว" not in html and "จากผู้ให้คะแนน" not in html
    assert "data-citizen-photos" not in html  # a lone photo is not tied to one of four people
    assert _img_ids(html, "after") == [] and "ยังไม่มีภาพ" in html
    with rt.db.transaction() as session:
        assert project_ratings.project_rating(session, project_id) is None

    rate(rt, clock, project_id, people[4].user_id, 5)
    with rt.db.transaction() as session:
        assert project_ratings.project_rating(session, project_id) == project_ratings.Rating(mean=4.2, count=5)
        citizen_photo = project_ratings.result_photos(session, project_id, "https://x")[0][0]
    html = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "ยังมีผู้ให้คะแนนไม่ถึง 5 คน" not in html
    assert "4.2 จาก 5 ดาว" in html and "จากผู้ให้คะแนน 5 คน" in html
    assert 'aria-label="คะแนนเฉลี่ย 4.2 จาก 5"' in html and html.count('class="on">★') == 4
    assert "ภาพผลงานที่ประชาชนส่งมา (1)" in html and "data-citizen-photos" in html
    # No staff photo after the work: the citizens' photo is the "after" side, and says so.
    citizen_id = re.search(r"/media/(\d+)-", citizen_photo).group(1)
    assert _img_ids(html, "after") == [citizen_id] and "หลัง (ภาพจากประชาชน)" in html
    for user in people:
        assert user.name not in html  # anonymous


def test_before_and_after_photos_side_by_side_and_stages_with_buddhist_era_dates(rt, clock, client, project):
    project_id = project("สะพานบ้านโนน", photos={"announced": ["red", "orange"], "in_progress": ["yellow"],
                                                  "completed": ["green", "blue"]})
    finish(rt, clock, project_id, "completed")
    with rt.db.transaction() as session:
        ids = {(p.stage, p.id): p.image_id for p in session.scalars(select(ProjectPhoto).order_by(ProjectPhoto.id))}
    first_before = [v for (stage, _), v in ids.items() if stage == "announced"][0]
    last_after = [v for (stage, _), v in ids.items() if stage == "completed"][-1]
    html = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "ก่อนและหลัง" in html
    assert _img_ids(html, "before") == [str(first_before)]  # the first stage's photo
    assert _img_ids(html, "after") == [str(last_after)]  # the last stage's photo
    assert "ภาพจากประชาชน" not in html
    # The stage timeline with Buddhist-era dates: created 23 Nov 2026, then 30 days per stage.
    assert "ประกาศโครงการ" in html and "23 พฤศจิกายน 2569" in html
    assert "23 ธันวาคม 2569" in html and "22 มกราคม 2570" in html
    assert "ยังมีผู้ให้คะแนนไม่ถึง 5 คน" in html
    assert 'id="prs-title">ผลของโครงการ' in html  # RESULTS' block of a finished project


def test_a_project_still_under_way_shows_no_rating_or_comparison(rt, clock, client, project):
    project_id = project("ถนนที่ยังทำอยู่", photos={"announced": ["red"]})
    finish(rt, clock, project_id, "in_progress")
    html = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "คะแนนจากประชาชน" not in html and "ก่อนและหลัง" not in html and "prs-title" not in html
    assert "ถนนที่ยังทำอยู่" in html
