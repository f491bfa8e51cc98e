"""The photo pipeline: only real, reasonable JPEG/PNG/WebP images get in, and they come out EXIF-free."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.images import ImageRejected, accept_image, image_url, save_image, thumb_url


def _jpeg(size=(1600, 1200), exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG", exif=exif or Image.Exif())
    return out.getvalue()


def test_a_phone_photo_is_resized_and_its_location_removed():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (16.0, 26.0, 0.0)}  # GPS
    processed = accept_image(_jpeg(exif=exif))
    shown = Image.open(io.BytesIO(processed.display))
    assert max(shown.size) == 1024 and not shown.getexif()
    assert max(Image.open(io.BytesIO(processed.thumb)).size) == 240


def test_orientation_is_applied_before_exif_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90°
    processed = accept_image(_jpeg((1200, 600), exif=exif))
    assert (processed.width, processed.height) == (512, 1024)


def test_png_with_transparency_becomes_jpeg_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (400, 400), (0, 0, 0, 0)).save(out, "PNG")
    shown = Image.open(io.BytesIO(accept_image(out.getvalue()).display))
    assert shown.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("data,code", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unreadable"),
    (b"this is a text file, not a photo", "unreadable"),
])
def test_unreadable_files_are_refused_politely(data, code):
    with pytest.raises(ImageRejected) as caught:
        accept_image(data)
    assert caught.value.code == code and "รูป" in caught.value.message


def test_a_30_mb_file_is_refused_before_decoding():
    with pytest.raises(ImageRejected) as caught:
        accept_image(b"\xff\xd8" + b"\x00" * (30 * 1024 * 1024))
    assert caught.value.code == "too_large"


def test_a_100_megapixel_image_is_refused_without_expanding_it():
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # a few KB on disk, 100 megapixels decoded
    with pytest.raises(ImageRejected) as caught:
        accept_image(out.getvalue())
    assert caught.value.code in ("too_many_pixels", "unreadable")


def test_a_truncated_jpeg_is_refused_as_corrupt():
    data = _jpeg()
    with pytest.raises(ImageRejected) as caught:
        accept_image(data[: len(data) // 2])
    assert caught.value.code == "corrupt"


def test_gif_is_not_accepted():
    out = io.BytesIO()
    Image.new("P", (300, 300)).save(out, "GIF")
    with pytest.raises(ImageRejected) as caught:
        accept_image(out.getvalue())
    assert caught.value.code == "format"


def test_stored_image_is_served_with_long_caching_and_404_for_a_wrong_digest(rt, client, clock):
    with rt.db.transaction() as session:
        row = save_image(session, accept_image(_jpeg()), kind="product", owner_key="product:1", now=clock())
        url, thumb = image_url("", row), thumb_url("", row)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get(thumb).status_code == 200
    assert client.get(url.replace(url.split("-")[1][:4], "0000")).status_code == 404
