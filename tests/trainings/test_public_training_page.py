"""The public page of a training (/trainings/<id>): what a shared training link opens, with its preview."""

from __future__ import annotations

import re

from services import trainings
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL


def test_a_published_training_has_a_page_with_seats_date_and_the_way_to_sign_up(client, rt, clock, make_training):
    training_id = make_training("ขายของออนไลน์ให้ปัง", capacity=2)
    html = client.get(f"/trainings/{training_id}").get_data(as_text=True)
    assert "ขายของออนไลน์ให้ปัง" in html and "หอประชุม อบจ.ขอนแก่น" in html
    assert 'data-seats="2"' in html and "เหลือ 2 ที่" in html
    assert "2569" in html  # the date in the Buddhist era
    assert "สมัครทาง LINE" in html and f"/trainings/{training_id}.ics" in html
    # The link preview: Open Graph tags with the training's own 1200x630 image.
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert image.startswith(f"{PUBLIC_BASE_URL}/og/training/")
    png = client.get(image.removeprefix(PUBLIC_BASE_URL))
    assert png.status_code == 200 and png.mimetype == "image/png"


def test_a_cancelled_training_says_so_and_offers_no_sign_up(client, rt, clock, make_training):
    training_id = make_training()
    with rt.db.transaction() as session:
        trainings.cancel_training(session, training_id, ADMIN_ID, clock())
    html = client.get(f"/trainings/{training_id}").get_data(as_text=True)
    assert 'data-status="cancelled"' in html and "สมัครทาง LINE" not in html


def test_drafts_and_unknown_trainings_are_not_found(client, make_training):
    draft = make_training(publish=False)
    assert client.get(f"/trainings/{draft}").status_code == 404
    assert client.get("/trainings/99999").status_code == 404
    assert client.get(f"/trainings/{2**31}").status_code == 404
