"""Stored images at /media: an id no database row can have answers 404 (never a 500 from an overflow)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.images import accept_image, image_url, save_image, thumb_url
from web.media import MAX_IMAGE_ID

DIGEST = "0123456789abcdef"
TOO_BIG = [
    str(MAX_IMAGE_ID + 1),  # past PostgreSQL's INTEGER
    str(2**63),  # past SQLite's INTEGER and PostgreSQL's BIGINT
    "99999999999999999999999",  # the id from the report
    "9" * 5000,  # more digits than Python turns into an int by default
]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("image_id", TOO_BIG, ids=["int32+1", "int64+1", "reported", "5000-digits"])
@pytest.mark.parametrize("suffix", [".jpg", "/thumb.jpg"], ids=["display", "thumb"])
def test_an_id_too_big_for_the_database_is_not_found(client, image_id, suffix):
    response = client.get(f"/media/{image_id}-{DIGEST}{suffix}")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.get_data(as_text=True)


@pytest.mark.parametrize("suffix", [".jpg", "/thumb.jpg"], ids=["display", "thumb"])
def test_the_largest_id_the_database_can_hold_is_looked_up_and_not_found(client, suffix):
    assert client.get(f"/media/{MAX_IMAGE_ID}-{DIGEST}{suffix}").status_code == 404
    assert client.get(f"/media/0-{DIGEST}{suffix}").status_code == 404
    assert client.get(f"/media/-1-{DIGEST}{suffix}").status_code == 404


def test_stored_images_are_still_served(rt, client, clock):
    with rt.db.transaction() as session:
        row = save_image(session, accept_image(_jpeg()), kind="product", owner_key="product:1", now=clock())
        url, thumb = image_url("", row), thumb_url("", row)
    assert client.get(url).status_code == 200
    assert client.get(thumb).status_code == 200
    assert client.get(url.replace("/media/", "/media/000")).status_code == 200  # leading zeros: the same id
