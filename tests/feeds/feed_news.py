"""A news history for the widget tests: long Thai titles, photos, a long unbroken link, two districts."""

from __future__ import annotations

LONG_TITLE = ("ปรับปรุงซ่อมแซมถนนลาดยางสายบ้านหนองแวงน้อย–บ้านโนนสะอาดพร้อมรางระบายน้ำและไฟฟ้าส่องสว่าง"
              "ตลอดสายเพื่อความปลอดภัยของประชาชนผู้ใช้เส้นทาง")


def seed(make_project, announce, add_stage_photo, clock) -> None:
    """Five long-titled projects in Waeng Noi with photos, a province-wide announcement with a long unbroken link
    and a photo, and one for Phon only: seven items."""
    for n in range(5):
        project = make_project(f"{LONG_TITLE} ระยะที่ {n + 1}", districts=("waeng_noi",), cover=n % 2 == 0)
        add_stage_photo(project)
        clock.advance(minutes=30)
    announce("ประกาศรับสมัครอบรมอาชีพ https://www.kkpao.go.th/news/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
             with_photo=True)
    clock.advance(minutes=30)
    announce("ข่าวอำเภอพลเท่านั้น", districts=("phon",))
