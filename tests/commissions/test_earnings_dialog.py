""""รายได้ของฉัน" for a sharer, and "จ่ายค่าแนะนำ" for a shop: the PromptPay QR for the exact amount, then จ่ายแล้ว."""

from __future__ import annotations

from sqlalchemy import select

from handlers.earnings import PaidSharer, PaySharer
from models.orders import CommissionPayout
from services import commissions
from tests.commissions.conftest import (
    SHARER_ID,
    VENDOR_ID,
    approved_commission,
    make_order,
    open_commission,
)
from tests.conftest import PUBLIC_BASE_URL
from tests.dialog import dialog, tap


def test_non_member_is_pointed_to_share_and_earn(chat):
    somchai = chat("สมชาย")
    reply = somchai.says("รายได้ของฉัน")
    assert "ยังไม่ได้ร่วมโครงการ" in reply.text and "แชร์รับรายได้" in reply.labels()


def test_sharer_sees_totals_and_latest_entries(chat, rt, programme):
    somjai = chat("สมใจ", user_id=SHARER_ID)
    somjai.follow()
    assert "ยังไม่มีรายการ" in somjai.says("รายได้ของฉัน").text
    approved_commission(rt, programme, quantity=4)  # 140 บาท: 14 บาท
    open_commission(rt, make_order(rt, programme, quantity=2))  # 7 บาท pending
    somjai.collect()
    reply = somjai.says("รายได้ของฉัน")
    body = reply.text
    assert "รอผู้ซื้อได้รับของ: 7 บาท" in body
    assert "รอร้านโอน: 14 บาท" in body
    assert "ได้รับแล้ว: 0 บาท" in body
    assert "รอเจ้าหน้าที่ตรวจ" not in body  # shown only when something is held
    # Newest first, Buddhist-era dates, each movement with its state in Thai.
    assert body.index("ไข่เค็มไชยา 7 บาท (รอผู้ซื้อได้รับของ)") < body.index("ไข่เค็มไชยา 14 บาท (รอร้านโอน)")
    assert "พ.ย. 2569" in body
    assert "089xxxx567" in body  # the payout account, masked
    assert "ลิงก์ของฉัน" in reply.labels()


def test_vendor_pays_a_sharer_by_promptpay_qr_and_the_sharer_is_told(chat, rt, client, programme):
    shop = chat("ป้าแดง", user_id=VENDOR_ID)
    shop.follow()
    somjai = chat("สมใจ", user_id=SHARER_ID)
    somjai.follow()
    assert "ไม่มีค่าแนะนำค้างจ่าย" in shop.says("จ่ายค่าแนะนำ").text
    approved_commission(rt, programme, quantity=4)
    somjai.collect()
    told = shop.collect()  # the daily scan tells the shop there is something to pay
    assert "ต้องโอนให้ผู้แชร์" in told.text and "จ่ายค่าแนะนำ" in told.labels()
    owed, qr, done = dialog(shop, [
        ("จ่ายค่าแนะนำ", ["ต้องโอนให้ผู้แนะนำ (1 คน)", "ผู้แนะนำ #1 14 บาท"]),
        (tap("โอนคนที่ 1"), ["ยอด 14 บาท", "พร้อมเพย์: 0891234567", "จ่ายแล้ว"]),
        (tap("จ่ายแล้ว"), "บันทึกแล้วค่ะ โอนค่าแนะนำ 14 บาท"),
    ])
    image = next(m for m in qr.messages if m["type"] == "image")
    assert image["originalContentUrl"].startswith(f"{PUBLIC_BASE_URL}/commissions/payout-qr/")
    assert "จ่ายค่าแนะนำ 14 บาท ให้คุณแล้ว" in somjai.collect().text
    with rt.db.transaction() as session:
        assert session.scalar(select(CommissionPayout.amount_satang)) == 1400
        assert commissions.balances(session, programme.sharer_id)["paid"] == 1400
    # The QR's address served the PNG while the amount was owed; once paid, it is gone.
    path = image["originalContentUrl"].removeprefix(PUBLIC_BASE_URL)
    assert client.get(path).status_code == 404
    # Tapping จ่ายแล้ว again records nothing twice.
    assert "ไม่มียอดค่าแนะนำ" in shop.taps("จ่ายแล้ว").text
    with rt.db.transaction() as session:
        assert len(session.scalars(select(CommissionPayout)).all()) == 1


def test_payout_qr_is_the_exact_amount_and_forged_tokens_fail(rt, client, programme):
    approved_commission(rt, programme, quantity=4)
    secret = rt.settings.LINE_CHANNEL_SECRET
    token = commissions.payout_qr_token(secret, programme.vendor_id, programme.sharer_id, 1400, rt.clock())
    response = client.get(f"/commissions/payout-qr/{token}.png")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    assert "no-store" in response.headers["Cache-Control"]
    wrong_amount = commissions.payout_qr_token(secret, programme.vendor_id, programme.sharer_id, 9900, rt.clock())
    assert client.get(f"/commissions/payout-qr/{wrong_amount}.png").status_code == 404
    forged = token.replace("-1400-", "-9900-")
    assert client.get(f"/commissions/payout-qr/{forged}.png").status_code == 404
    rt.clock.advance(days=3)
    assert client.get(f"/commissions/payout-qr/{token}.png").status_code == 404


def test_forged_pay_buttons_are_refused_politely(chat, rt, programme):
    approved_commission(rt, programme, quantity=4)
    stranger = chat("คนแปลกหน้า")
    assert "สำหรับร้านค้า" in stranger.postback(PaySharer(programme.sharer_id).pack()).text
    assert "สำหรับร้านค้า" in stranger.postback(PaidSharer(programme.sharer_id, 1400).pack()).text
    somjai = chat("สมใจ", user_id=SHARER_ID)  # the sharer cannot record their own payout
    assert "สำหรับร้านค้า" in somjai.postback(PaidSharer(programme.sharer_id, 1400).pack()).text
    shop = chat("ป้าแดง", user_id=VENDOR_ID)
    assert "ยอดล่าสุดคือ 14 บาท" in shop.postback(PaidSharer(programme.sharer_id, 99_999).pack()).text
    assert "ไม่มียอดค่าแนะนำ" in shop.postback(PaySharer(programme.sharer_id + 50).pack()).text
    with rt.db.transaction() as session:
        assert session.scalars(select(CommissionPayout)).all() == []
        assert commissions.payable(session, programme.vendor_id, programme.sharer_id) == 1400
