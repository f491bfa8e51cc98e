"""The funnel partial that the console report and the PDF include: the same page from the funnel or its dict, amounts
in baht, CSS bars, hidden counts shown as hidden, and an empty training without errors."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace
from datetime import UTC, date, datetime

from services import training_outcomes
from services.training_outcomes import FollowupSummary, SalesWindow, TrainingFunnel
from tests.outcomes.conftest import line_id, make_training
from texts import outcomes as outcomes_texts

STARTS = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def _render(app, funnel) -> str:
    return app.jinja_env.get_template("reports/_training_funnel.html").render(funnel=funnel, OT=outcomes_texts)


def _sample() -> TrainingFunnel:
    def window(key, months, online, traditional, complete=True):
        return SalesWindow(key, months, date(2026, 8, 26), date(2026, 11, 26), complete, online, traditional,
                           online + traditional, 1, 1, 2, round((online + traditional) / months), online, traditional)

    followups = [
        FollowupSummary(3, STARTS, 11, 12, 0, 7, True, [("ขายออนไลน์แล้ว", 5), ("ขายที่ตลาด/หน้าร้าน", None),
                                                        ("กำลังจะเริ่มขาย", 0), ("ยังไม่ได้ขาย", None)],
                        [0, None, None, None, None], 27 / 7, 2),
        FollowupSummary(6, STARTS, 12, 10, 0, 3, False, [], [], None, 0),
    ]
    return TrainingFunnel(
        training_id=1, title="ขายของออนไลน์", kind="career", income_applies=True, starts_at=STARTS, ends_at=STARTS,
        signed_up=20, attended=16, attendance_rate=0.8, shops_before=2, shops_registered_later=8, shops_approved=6,
        shops_with_certified=4, certified_products=9, selling_shops_after=5,
        sales=[window("before_3m", 3, 100_000, 300_000), window("after_3m", 3, 1_234_567, 200_000),
               window("after_6m", 6, 2_000_000, 500_000, complete=False)],
        followups=followups)


def test_the_partial_shows_the_funnel_sales_and_answers(app):
    html = _render(app, _sample())
    assert "<script" not in html
    assert "จากผู้อบรมสู่ร้านค้าและรายได้" in html and "มาอบรม (เช็กอิน)" in html
    assert re.search(r"เปิดร้านหลังอบรม</th>\s*<td class=\"num\">8 ร้าน</td>\s*<td><div class=\"oc-bar\">"
                     r"<span style=\"width: 40.0%\">", html)  # 8 of the 20 who signed up
    assert "อัตราการมาอบรม 80.0%" in html
    assert "12,345.67" in html and "1,000.00" in html  # satang shown as baht
    assert "width: 61.7%" in html  # 1,234,567 of the peak 2,000,000 satang
    assert "6 เดือนหลังอบรม <small>(ยังไม่ครบช่วง)</small>" in html
    assert "ส่งถึง 12 คน · ตอบครบ 7 คน" in html and "ขายออนไลน์แล้ว</td><td class=\"num\">5</td>" in html
    assert "ขายที่ตลาด/หน้าร้าน</td><td class=\"num\">น้อยกว่า 5</td>" in html
    assert "3.86" in html and "คำตอบยังไม่ถึง 5 คน จึงไม่แสดงรายละเอียด" in html


def test_the_partial_renders_the_dict_the_same_way(app):
    funnel = _sample()
    assert _render(app, funnel.as_dict()) == _render(app, funnel)


def test_the_partial_takes_the_funnel_from_a_report_and_needs_its_texts(app):
    funnel = _sample()
    plain = json.loads(json.dumps(asdict(funnel), default=str))  # a report's copy: pairs become lists
    template = app.jinja_env.get_template("reports/_training_funnel.html")
    assert template.render(report={"funnel": plain}, OT=outcomes_texts) == _render(app, funnel)
    assert template.render(report={"funnel": None}, OT=outcomes_texts).strip() == ""
    assert template.render(funnel=funnel).strip() == ""  # no texts: nothing rather than an error


def test_the_partial_of_an_empty_or_knowledge_training(app, rt, clock):
    built = make_training(rt, clock(), attendees=[line_id(1)])
    with rt.db.transaction() as session:
        funnel = training_outcomes.funnel(session, built.training_id, clock())
    html = _render(app, funnel)
    assert "ยังไม่มีข้อมูล" in html and "ยังไม่ถึงกำหนดส่ง" in html and "1 คน" in html
    knowledge = _render(app, replace(funnel, kind="knowledge", income_applies=False))
    assert "ตัวเลขร้านค้าและยอดขายแสดงไว้เพื่อประกอบเท่านั้น" in knowledge and "คำตอบติดตามผล" not in knowledge
