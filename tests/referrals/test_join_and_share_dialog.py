"""Share-and-earn in chat: joining (opt-in, PromptPay), changing the ID, leaving, sharing a product as a member (link,
message, LINE share, QR) or not (the plain product link), "ลิงก์ของฉัน", and forged share postbacks."""

from __future__ import annotations

import json
from urllib.parse import unquote

from handlers.referrals import ShareProduct
from models.market import Product
from models.referrals import ReferralLink
from services import consent, referrals
from tests.referrals.conftest import make_link, make_member, programme_products


def test_join_with_a_bad_then_a_good_promptpay_then_change_it_and_leave(chat, rt):
    somchai = chat("สมชาย")
    reply = somchai.says("แชร์รับรายได้")
    assert "ส่วนแบ่ง" in reply.body and "ซื้อเองไม่ได้ส่วนแบ่ง" in reply.body
    assert "เลขพร้อมเพย์" in reply.body and "จำนวนคนกดลิงก์" in reply.body  # what is kept, before the opt-in
    assert "ยินยอม" in reply.labels() and "ยกเลิก" in reply.labels()
    reply = somchai.says("ได้เลย")  # typing instead of tapping
    assert "กด “ยินยอม”" in reply.body
    reply = somchai.taps("ยินยอม")
    assert "พิมพ์เลขพร้อมเพย์" in reply.body
    reply = somchai.says("12345")
    assert "ไม่ถูกต้อง" in reply.body and "0812345678" in reply.body
    reply = somchai.says("081-234-5678")
    assert "สมัครเรียบร้อย" in reply.body and "081xxxx678" in reply.body
    assert reply.quick_replies()[:2] == ["ลิงก์ของฉัน", "รายได้ของฉัน"]
    with rt.db.transaction() as session:
        sharer = referrals.get_sharer(session, somchai.user_id)
        assert sharer.promptpay_id == "0812345678"
    reply = somchai.says("แชร์รับรายได้")
    assert "เป็นสมาชิกแล้ว" in reply.body
    somchai.taps("เปลี่ยนพร้อมเพย์")
    reply = somchai.says("123456789012345")  # a 15-digit e-wallet ID
    assert "เปลี่ยนเลขพร้อมเพย์" in reply.body
    somchai.says("แชร์รับรายได้")
    reply = somchai.taps("ออกจากโครงการ")
    assert "ใช่ไหม" in reply.body
    reply = somchai.taps("ยืนยันออก")
    assert "ออกจากโครงการแล้ว" in reply.body
    with rt.db.transaction() as session:
        assert referrals.get_sharer(session, somchai.user_id) is None
        assert not consent.has_opt_in(session, somchai.user_id, consent.SHARE_EARN)
    # Rejoining asks the opt-in again and clears left_at.
    somchai.says("แชร์รับรายได้")
    somchai.taps("ยินยอม")
    assert "สมัครเรียบร้อย" in somchai.says("0812345678").body
    with rt.db.transaction() as session:
        assert referrals.get_sharer(session, somchai.user_id).left_at is None


def test_cancel_at_each_step_keeps_nothing_new(chat, rt):
    mali = chat("มะลิ")
    mali.says("แชร์รับรายได้")
    assert "ยกเลิก" in mali.taps("ยกเลิก").body
    mali.says("แชร์รับรายได้")
    mali.taps("ยินยอม")
    reply = mali.says("ยกเลิก")
    assert "ยกเลิก" in reply.body
    with rt.db.transaction() as session:
        assert referrals.get_sharer(session, mali.user_id) is None
    # The opt-in was given, so the next time starts at the PromptPay question.
    reply = mali.says("แชร์รับรายได้")
    assert "พิมพ์เลขพร้อมเพย์" in reply.body and "ยินยอม" not in reply.labels()


def test_withdrawing_the_opt_in_from_my_data_counts_as_leaving(chat, rt):
    dang = chat("แดง")
    make_member(rt, dang.user_id)
    with rt.db.transaction() as session:
        consent.withdraw(session, dang.user_id, consent.SHARE_EARN, rt.clock())
    reply = dang.says("ลิงก์ของฉัน")
    assert "ยังไม่ได้เป็นสมาชิก" in reply.body


def _bubbles(reply) -> list[dict]:
    flex = next(m for m in reply.messages if m["type"] == "flex")
    return flex["contents"]["contents"]


def test_a_member_shares_a_product_in_the_programme_with_link_message_and_qr(chat, rt, client):
    in_programme, out_of_programme = programme_products(rt, 2)
    with rt.db.transaction() as session:
        session.get(Product, out_of_programme).commission_percent = 0
    member = chat("สมศรี")
    make_member(rt, member.user_id)
    member.says("ตลาดชุมชน")
    reply = member.taps("🍯 อาหารแปรรูป (2)")
    bubbles = {b["body"]["contents"][1]["text"]: b for b in _bubbles(reply) if "footer" in b}
    footer = {b["action"]["label"]: b["action"] for b in bubbles["สินค้า 1"]["footer"]["contents"]}
    assert footer["แชร์"]["type"] == "postback" and footer["แชร์"]["data"].startswith("rfs:")
    assert footer["สั่งซื้อ"] == {"type": "message", "label": "สั่งซื้อ", "text": f"สั่งซื้อ #{in_programme} สินค้า 1"}
    plain = {b["action"]["label"]: b["action"] for b in bubbles["สินค้า 2"]["footer"]["contents"]}
    assert plain["แชร์"]["type"] == "uri"  # rate 0: not in the programme, the plain page link
    reply = member.performs(footer["แชร์"])
    with rt.db.transaction() as session:
        code = session.query(ReferralLink).one().code
    url = f"http://kk.test/r/{code}"
    assert url in reply.body and "แนะนำ สินค้า 1" in reply.texts[0]
    share = reply.action("แชร์ทาง LINE")["uri"]
    assert share.startswith("https://line.me/R/share?text=") and url in unquote(share)
    assert reply.types == ["flex", "text", "image"]
    assert reply.messages[2]["originalContentUrl"] == f"{url}/qr.png"
    png = client.get(f"/r/{code}/qr.png")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "max-age=2592000" in png.headers["Cache-Control"]
    # The same link again, not a second one.
    member.performs(footer["แชร์"])
    with rt.db.transaction() as session:
        assert session.query(ReferralLink).count() == 1
    reply = member.says("ลิงก์ของฉัน")
    assert "สินค้า 1" in reply.body and url in reply.body and "คนกดลิงก์ 0 ครั้ง" in reply.body


def test_a_non_member_gets_the_plain_share_and_an_invitation_for_my_links(chat, rt):
    programme_products(rt, 1)
    buyer = chat("ผู้ซื้อ")
    buyer.says("ตลาดชุมชน")
    bubble = _bubbles(buyer.taps("🍯 อาหารแปรรูป (1)"))[0]
    share = next(b["action"] for b in bubble["footer"]["contents"] if b["action"]["label"] == "แชร์")
    assert share["type"] == "uri" and share["uri"].startswith("https://line.me/R/share?text=")
    reply = buyer.says("ลิงก์ของฉัน")
    assert "ยังไม่ได้เป็นสมาชิก" in reply.body and "สมัครเลย" in reply.labels()


def test_forged_share_postbacks_answer_politely_and_make_no_link(chat, rt, clock):
    (product_id,) = programme_products(rt, 1)
    outsider, member = chat("คนนอก"), chat("สมาชิก")
    make_member(rt, member.user_id)
    reply = outsider.postback(ShareProduct(product_id).pack())
    assert "สำหรับสมาชิกแชร์รับรายได้เท่านั้น" in reply.body
    reply = member.postback(ShareProduct(999_999).pack())
    assert "ไม่มีในตลาดแล้ว" in reply.body
    reply = member.postback("rfs:abc")
    assert reply  # a malformed one gets the stale-button answer
    with rt.db.transaction() as session:
        session.get(Product, product_id).hidden = True
    reply = member.postback(ShareProduct(product_id).pack())
    assert "ไม่มีในตลาดแล้ว" in reply.body
    with rt.db.transaction() as session:
        assert session.query(ReferralLink).count() == 0
    # A link that staff disabled still shows in "ลิงก์ของฉัน", marked, without the resend button.
    with rt.db.transaction() as session:
        session.get(Product, product_id).hidden = False
    code = make_link(rt, member.user_id, product_id)
    with rt.db.transaction() as session:
        referrals.disable_link(session, referrals.link_by_code(session, code), "ทดสอบ", clock())
    reply = member.says("ลิงก์ของฉัน")
    assert "ไม่คิดส่วนแบ่งแล้ว" in reply.body and "ส่งลิงก์อีกครั้ง" not in reply.labels()


def test_my_links_with_the_most_links_and_longest_names_stay_valid(chat, rt):
    ids = programme_products(rt, 12, name="ผ้าไหมมัดหมี่ลายนาคสีครามธรรมชาติทอมือบ้านโนน")
    member = chat("สายใจ")
    make_member(rt, member.user_id)
    for product_id in ids:
        make_link(rt, member.user_id, product_id)
    reply = member.says("ลิงก์ของฉัน")
    flex = reply.messages[0]
    assert flex["type"] == "flex" and len(flex["contents"]["contents"]) == referrals.MAX_LINKS_SHOWN
    assert len(json.dumps(flex, ensure_ascii=False).encode()) < 50_000
    newest = flex["contents"]["contents"][0]["body"]["contents"][0]["text"]
    assert newest.endswith(" 12")  # newest first
    share = member.taps("ส่งลิงก์อีกครั้ง")
    assert share.types == ["flex", "text", "image"]
    assert len(share.action("แชร์ทาง LINE")["uri"]) <= 1000
