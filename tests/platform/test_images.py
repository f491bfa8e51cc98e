"""The photo pipeline: only real, reasonable JPEG/PNG/WebP images get in, and they come out EXIF-free."""

from __future__ import annotations

import io
from random import Random

import pytest
from PIL import Image

from services.images import ImageRejected, accept_image, image_url, save_image, thumb_url
from texts import images as images_texts


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


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_100_megapixel_image_is_refused_as_too_large_without_expanding_it():
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # a few KB on disk, 100 megapixels decoded
    with pytest.raises(ImageRejected) as caught:
        accept_image(out.getvalue())
    assert caught.value.code == "too_many_pixels" and caught.value.message == images_texts.IMAGE_TOO_LARGE


def test_an_image_under_the_pixel_limit_is_refused_when_its_mode_makes_it_too_big_to_decode():
    out = io.BytesIO()
    Image.new("RGBA", (4000, 4000)).save(out, "PNG", compress_level=1)  # 16 MP: 64 MB as RGBA
    with pytest.raises(ImageRejected) as caught:
        accept_image(out.getvalue())
    assert caught.value.code == "too_many_pixels"
    out = io.BytesIO()
    Image.new("L", (4000, 4000), 128).save(out, "PNG", compress_level=1)  # the same size in grey: 16 MB
    assert accept_image(out.getvalue()).width == 1024


def test_a_large_jpeg_is_decoded_at_reduced_size_and_still_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90°
    processed = accept_image(_jpeg((6000, 3000), exif=exif))  # 18 MP: 72 MB at full size, 1/4 of it decoded
    assert (processed.width, processed.height) == (512, 1024)
    assert not Image.open(io.BytesIO(processed.display)).getexif()


def test_a_progressive_jpeg_is_charged_for_its_whole_image_coefficients():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 140, 200)).save(out, "JPEG", progressive=True)
    with pytest.raises(ImageRejected) as caught:  # libjpeg would keep 36 MB of coefficients besides the pixels
        accept_image(out.getvalue())
    assert caught.value.code == "too_many_pixels"
    assert accept_image(_jpeg((4000, 3000))).width == 1024  # the same photo, baseline, decodes row by row


def test_a_webp_too_big_to_decode_is_refused_from_its_header_before_pillow_allocates_its_canvas():
    header = b"RIFF" + (1000).to_bytes(4, "little") + b"WEBPVP8X" + (10).to_bytes(4, "little") + b"\x10\0\0\0"
    header += (7000 - 1).to_bytes(3, "little") + (5000 - 1).to_bytes(3, "little")  # 35 MP: under the pixel cap
    with pytest.raises(ImageRejected) as caught:
        accept_image(header + b"\0" * 1000)  # nothing decodable follows: only the header was read
    assert caught.value.code == "too_many_pixels"


@pytest.mark.parametrize("mode,kind", [("P", "PNG"), ("LA", "PNG"), ("CMYK", "JPEG"), ("RGBA", "WEBP"),
                                       ("RGB", "WEBP"), ("I;16", "PNG"), ("1", "PNG")])
def test_every_mode_comes_out_as_an_rgb_jpeg(mode, kind):
    image = Image.new(mode, (300, 200))
    out = io.BytesIO()
    image.save(out, kind, **({"transparency": 0} if mode == "P" else {}))
    shown = Image.open(io.BytesIO(accept_image(out.getvalue()).display))
    assert shown.format == "JPEG" and shown.mode == "RGB" and shown.size == (300, 200)
    if mode in ("P", "LA", "RGBA"):  # transparent: laid on white
        assert shown.getpixel((5, 5)) == (255, 255, 255)


def test_no_damaged_photo_raises_anything_but_a_polite_refusal():
    random = Random(9)
    samples = [_jpeg((400, 300)), _jpeg((400, 300))]
    for kind in ("PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGBA", (300, 200), (1, 2, 3, 4)).save(out, kind)
        samples.append(out.getvalue())
    for sample in samples:
        for _ in range(60):
            data = bytearray(sample)
            for _ in range(random.randint(1, 8)):
                data[random.randrange(len(data))] = random.randrange(256)
            cut = random.choice([len(data), random.randrange(1, len(data))])
            try:
                accept_image(bytes(data[:cut]))
            except ImageRejected as exc:
                assert exc.message.startswith(("ไฟล์", "รูป", "ขออภัย", "รองรับ")), exc.message


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


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_was_imported():
    import weasyprint  # noqa: F401 - it sets PIL's LOAD_TRUNCATED_IMAGES when imported
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it
    test_a_truncated_jpeg_is_refused_as_corrupt()
