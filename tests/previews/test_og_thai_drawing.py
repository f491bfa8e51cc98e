"""Thai on the preview images: shaped by raqm (checked against a stored reference rendering) and wrapped without
cutting a consonant from its marks."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, features

from services import og_images

REFERENCE = Path(__file__).with_name("og_raqm_thai_reference.png")  # raqm, Sarabun 40 px, thresholded (741 bytes)
SAMPLE = "ผู้ใหญ่ที่น้ำท่วม"  # marks below with a tone, a tone over an upper vowel, a tone before sara am


def _draw(text: str, raqm: bool) -> Image.Image:
    image = Image.new("L", (400, 80), 255)
    ImageDraw.Draw(image).text((8, 14), text, font=og_images.font(40, raqm=raqm), fill=0)
    return image.point(lambda v: 0 if v < 128 else 255)


def _ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    box = ImageChops.invert(image.convert("L")).getbbox()
    assert box is not None
    return box


def _differing_pixels(a: Image.Image, b: Image.Image) -> int:
    return int(ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda v: 1 if v else 0).histogram()[1])


def test_pillow_here_lays_thai_out_with_raqm():
    assert features.check("raqm")
    assert og_images.font(40).layout_engine == og_images.ImageFont.Layout.RAQM


def test_raqm_rendering_matches_the_reference_and_differs_from_the_basic_layout():
    reference = Image.open(REFERENCE)
    shaped, basic = _draw(SAMPLE, raqm=True), _draw(SAMPLE, raqm=False)
    ref_box, box = _ink_box(reference), _ink_box(shaped)
    assert all(abs(a - b) <= 2 for a, b in zip(ref_box, box, strict=True)), (ref_box, box)
    assert _differing_pixels(shaped, reference) < 0.01 * 400 * 80  # font hinting may move a few edge pixels
    assert _differing_pixels(basic, reference) > 3 * max(_differing_pixels(shaped, reference), 50)


def test_raqm_lifts_a_tone_mark_above_an_upper_vowel():
    # The basic layout draws ่ over ี (they overlap); raqm stacks it above, so the ink starts higher.
    shaped_top, basic_top = _ink_box(_draw("ที่", raqm=True))[1], _ink_box(_draw("ที่", raqm=False))[1]
    assert basic_top - shaped_top >= 5


def test_clusters_keep_marks_and_vowels_with_their_consonant():
    assert og_images.clusters("น้ำ") == ["น้ำ"]
    assert og_images.clusters("ผู้ใหญ่") == ["ผู้", "ให", "ญ่"]
    assert og_images.clusters("ที่เก่า") == ["ที่", "เก่า"]
    assert "".join(og_images.clusters(SAMPLE)) == SAMPLE


def test_wrap_breaks_at_spaces_then_at_cluster_boundaries_and_marks_what_is_cut():
    face = og_images.font(52, bold=True)
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))

    def measure(text: str) -> float:
        return draw.textlength(text, font=face)

    lines = og_images.wrap("ตลาดชุมชน ขอนแก่น", measure, measure("ตลาดชุมชน ขอ"), 3)
    assert lines == ["ตลาดชุมชน", "ขอนแก่น"]
    long = "ผ้าไหมมัดหมี่ลายนาคที่ทอมือจากบ้านโนนฆ้องสีธรรมชาติย้อมครามแท้ที่สุดในภาคอีสานทั้งหมด"
    lines = og_images.wrap(long, measure, 500, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(measure(line) <= 500 for line in lines)
    pieces = set(og_images.clusters(long))
    for line in lines:  # every line is whole clusters of the text
        assert all(piece in pieces or piece == "…" for piece in og_images.clusters(line))
    assert "".join(lines[:2]) == long[:len("".join(lines[:2]))]
    assert og_images.wrap("สั้น", measure, 500, 3) == ["สั้น"] and og_images.wrap("  ", measure, 500, 3) == []


def test_a_card_is_1200_by_630_with_or_without_a_photo():
    card = og_images.Card(kind="training", key="1", label="อบรมฟรี", title="ขายของออนไลน์ให้ปัง",
                          lines=("วันที่ 8 ธันวาคม 2569 09:00 น.", "เหลือ 28 ที่นั่ง"))
    import io

    photo = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 40, 40)).save(photo, "JPEG")
    for data in (None, photo.getvalue(), b"not an image"):
        with Image.open(io.BytesIO(og_images.render(card, data))) as picture:
            assert picture.format == "PNG" and picture.size == (1200, 630)
            left = picture.convert("RGB").getpixel((100, 100))
            assert (left[0] > 150 and left[1] < 100) == (data == photo.getvalue())  # the photo fills the left


def test_thai_runs_break_between_words_from_the_dictionary():
    assert og_images.word_breaks("ผ้าไหมมัดหมี่") == {3, 6}  # ผ้า|ไหม|มัดหมี่ (libthai, with libpango)
    face = og_images.font(52, bold=True)
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    lines = og_images.wrap("ผ้าไหมมัดหมี่ลายนาคที่ทอมือจากบ้านโนนฆ้องสีธรรมชาติย้อมครามแท้ที่สุดในภาคอีสาน",
                           lambda text: draw.textlength(text, font=face), 556, 3)
    assert lines == ["ผ้าไหมมัดหมี่ลายนาคที่", "ทอมือจากบ้านโนนฆ้องสี", "ธรรมชาติย้อมครามแท้…"]
    lines = og_images.wrap("ซ่อมถนนสายบ้านไผ่–บ้านแฮด", lambda text: draw.textlength(text, font=face), 556, 3)
    assert lines == ["ซ่อมถนนสายบ้านไผ่–", "บ้านแฮด"]
