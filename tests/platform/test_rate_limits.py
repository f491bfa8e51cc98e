"""Rate limits on what a person can cause to be sent to others (services/limits.py), and one live link per person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.platform import OutboxMessage
from services import limits, privacy, staff, support, trainings
from services.errors import DomainError
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL
from tests.trainings.conftest import make_training, register  # noqa: F401 - a fixture
from tests.web.conftest import admin_client, make_staff  # noqa: F401 - a fixture


def _pushes_to(rt, user_id: str) -> int:
    with rt.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "push")).all()
        return sum(1 for r in rows if user_id in r.recipients)


def test_two_accounts_cannot_bounce_a_seat_to_spend_pushes(rt, chat, clock, make_training):  # noqa: F811
    """The issue's attack: capacity 1, two accounts cancel and re-join in turn, each round pushing the other."""
    training_id = make_training("อบรมที่นั่งเดียว", capacity=1)
    first, second = register(chat, "บัญชีแรก", "สมหมาย หนึ่ง"), register(chat, "บัญชีสอง", "สมหมาย สอง")
    with rt.db.transaction() as session:
        seats = {u.user_id: trainings.sign_up(session, training_id, u.user_id, clock()).signup.id
                 for u in (first, second)}
    refused = 0
    holder, waiting = first, second
    for _ in range(10):
        clock.advance(seconds=5)
        try:
            with rt.db.transaction() as session:
                trainings.cancel_signup(session, seats[holder.user_id], holder.user_id, clock(), PUBLIC_BASE_URL)
                seats[holder.user_id] = trainings.sign_up(session, training_id, holder.user_id, clock()).signup.id
        except DomainError as exc:
            assert exc.code == "too_often" and "บ่อยเกินไป" in exc.message
            refused += 1
        holder, waiting = waiting, holder
    assert refused >= 4
    assert _pushes_to(rt, first.user_id) <= limits.LIMITS["push_for_other"].max
    assert _pushes_to(rt, second.user_id) <= limits.LIMITS["push_for_other"].max
    clock.advance(hours=1)  # a new window: a real change of mind works again
    with rt.db.transaction() as session:
        trainings.cancel_signup(session, seats[holder.user_id], holder.user_id, clock(), PUBLIC_BASE_URL)


def test_the_citizen_is_told_politely_in_chat(rt, chat, clock, make_training):  # noqa: F811
    make_training("อบรมขายของ", capacity=5)
    somsri = register(chat, "สมศรี", "สมศรี ใจดี")
    for _ in range(3):  # three changes of mind: six actions, all fine
        somsri.says("อบรม")
        assert "สมัครเรียบร้อยแล้ว" in somsri.taps("สมัคร").text
        somsri.says("การสมัครของฉัน")
        somsri.taps("ยกเลิก")
        assert "ยกเลิก" in somsri.taps("ยืนยันยกเลิก").text
    somsri.says("อบรม")
    reply = somsri.taps("สมัคร")
    assert "ทำรายการนี้บ่อยเกินไป กรุณาลองใหม่ในอีก" in reply.text and "สมัครเรียบร้อยแล้ว" not in reply.text


def test_staff_are_not_flooded_by_a_person_opening_cases_again_and_again(rt, chat, clock):
    officer = chat("เจ้าหน้าที่")
    officer.follow()
    make_staff(rt, officer.user_id)
    with rt.db.transaction() as session:
        support.set_notices(session, officer.user_id, True, clock())
    pest = chat("คนกดเล่น")
    pest.follow()
    for _ in range(6):
        assert "ส่งเรื่องถึงเจ้าหน้าที่แล้ว" in pest.says("ติดต่อเจ้าหน้าที่").texts[0]  # the case always opens
        pest.says("จบการสนทนา")
    assert len(officer.collect().texts) == limits.LIMITS["case_notice"].max


def test_who_hit_a_limit_shows_in_the_console(admin_client, rt, clock):  # noqa: F811
    with rt.db.transaction() as session:
        for _ in range(limits.LIMITS["vendor_register"].max + 3):
            limits.allow(session, "vendor_register", "U" + "5" * 32, clock(), who="U" + "5" * 32)
    html = admin_client.get("/console/limits").get_data(as_text=True)
    assert html.count("data-limit-hit") == 1  # the first refusal of the window, not every one
    assert "ลงทะเบียนร้านค้าซ้ำบ่อยเกินไป" in html and "3 ครั้ง/วัน" in html
    assert "ถูกจำกัดการใช้งาน" in admin_client.get("/console").get_data(as_text=True)


def test_limits_count_in_windows_and_purge_old_counts(rt, clock):
    with rt.db.transaction() as session:
        results = [limits.allow(session, "case_notice", "Uwindow", clock()) for _ in range(4)]
    assert results == [True, True, True, False]
    clock.advance(hours=1)
    with rt.db.transaction() as session:
        assert limits.allow(session, "case_notice", "Uwindow", clock())
    clock.advance(days=3)
    with rt.db.transaction() as session:
        assert limits.purge(session, clock()) == 2


def test_one_live_sign_in_link_per_staff_member(client, rt, clock):
    with rt.db.transaction() as session:
        first = staff.issue_login_token(session, ADMIN_ID, clock(), rt.settings.ADMIN_LINE_USER_IDS)
        second = staff.issue_login_token(session, ADMIN_ID, clock(), rt.settings.ADMIN_LINE_USER_IDS)
    with rt.db.transaction() as session:
        assert staff.peek_login_token(session, first, clock()) is None
        assert staff.peek_login_token(session, second, clock()) is not None


def test_one_live_export_link_per_person(rt, chat, clock):
    user = chat("สมศรี")
    user.follow()
    with rt.db.transaction() as session:
        first = privacy.issue_export_link(session, user.user_id, clock())
        second = privacy.issue_export_link(session, user.user_id, clock())
    with rt.db.transaction() as session:
        with pytest.raises(DomainError):
            privacy.export_for_token(session, first, clock())
        assert privacy.export_for_token(session, second, clock())
    clock.advance(timedelta(minutes=31))
    with rt.db.transaction() as session, pytest.raises(DomainError):
        privacy.export_for_token(session, second, clock())


def test_applying_for_a_shop_again_and_again_is_capped(rt, clock):
    from services import consent, vendors

    uid = "U" + "7" * 32
    application = vendors.Application(shop_name="ร้านลองสมัคร", owner_name="สมใจ ลองดู", phone="0812345678",
                                      district="phon", pickup_address="1 หมู่ 1 ต.พล", delivery_options=["pickup"])
    with rt.db.transaction() as session:
        consent.grant(session, uid, consent.MARKET_VENDOR, clock())
    outcomes = []
    for _ in range(4):
        clock.advance(minutes=10)
        try:
            with rt.db.transaction() as session:
                vendor = vendors.register(session, uid, application, clock())
                vendors.reject(session, vendor.id, ADMIN_ID, "ข้อมูลติดต่อไม่ครบ", clock(),
                               rt.settings.ADMIN_LINE_USER_IDS)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
    assert outcomes == ["ok", "ok", "ok", "too_often"]
