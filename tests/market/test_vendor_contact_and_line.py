"""Vendor registration knows what it was told before and what buyers need: a name and phone from a training sign-up
offered for confirmation, the shop's LINE (asked, skippable, checked, shown to buyers as "แชทกับร้าน"), a shop name
that another shop already has, and what erasing one's data does to a shop."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.conversation import current_flow
from models.market import Vendor
from models.platform import Citizen, Conversation
from services import vendors
from services.errors import DomainError
from tests.conftest import ADMIN_ID, API_TOKEN
from tests.market.conftest import (
    VALID_NATIONAL_ID,
    approved_shop,
    certify,
    pending_shop,
    posted_product,
    register_shop,
    seed_listed,
)
from tests.trainings.conftest import make_training  # noqa: F401 - the fixture, for the training sign-up
from tests.web.conftest import staff_login


def _flow(rt, user):
    with rt.db.transaction() as session:
        return current_flow(session, user.user_id)


def _vendor(rt, user) -> Vendor:
    with rt.db.transaction() as session:
        return vendors.get_by_line_user(session, user.user_id)


def _flow_data(rt, user) -> dict:
    with rt.db.transaction() as session:
        return dict(session.get(Conversation, user.user_id).data)


def _to_shop_name(user, shop: str = "ร้านป้าศรีผ้าไหม"):
    user.says("ลงทะเบียนร้านค้า")
    if "ยินยอม" in user.last.labels():
        user.taps("ยินยอม")
    return user.says(shop)


def _to_line(user) -> None:
    """From a fresh start up to the question about the shop's LINE."""
    _to_shop_name(user)
    user.says("ศรีสุดา ใจดี")
    user.says("0812345678")
    user.taps("ชนบท")
    user.taps("ข้าม")  # PromptPay
    user.says("99 หมู่ 3 ต.ชนบท")


# ---- name and phone known from a training sign-up -----------------------------------------------------------------------
def test_name_and_phone_from_a_training_sign_up_are_offered_instead_of_asked(chat, rt, make_training, admin):  # noqa: F811
    make_training("ขายของออนไลน์ให้ปัง")
    somsri = chat("สมศรี")
    somsri.follow()
    somsri.says("อบรม")
    somsri.taps("สมัคร")
    somsri.says("สมศรี ใจดี")
    assert "สมัครเรียบร้อยแล้ว" in somsri.says("+66 81 234 5678").text

    reply = _to_shop_name(somsri)
    assert "ใช้ชื่อ สมศรี ใจดี เบอร์ 081-234-5678 ไหมคะ" in reply.text
    assert {"ใช้ข้อมูลนี้", "แก้ไข"} <= set(reply.labels())
    assert "ชื่อ-นามสกุลของเจ้าของร้าน" not in reply.text  # not asked again
    assert "กรุณากด “ใช้ข้อมูลนี้” หรือ “แก้ไข”" in somsri.says("ค่ะ").text  # "ค่ะ" is no name: tap, please
    assert "อำเภอไหน" in somsri.taps("ใช้ข้อมูลนี้").text
    somsri.taps("ชนบท")
    somsri.says(VALID_NATIONAL_ID)
    somsri.says("99 หมู่ 3 ต.ชนบท")
    somsri.taps("ข้าม")
    somsri.taps("ข้าม")
    somsri.taps("รับเองที่ร้าน")
    reply = somsri.taps("เสร็จแล้ว")
    assert "👤 สมศรี ใจดี" in reply.text and "📞 081-234-5678" in reply.text
    somsri.taps("ยืนยัน")
    vendor = _vendor(rt, somsri)
    assert (vendor.owner_name, vendor.phone, vendor.status) == ("สมศรี ใจดี", "0812345678", "pending")


def test_edit_instead_of_the_known_contact_asks_for_name_and_phone(chat, rt):
    somchai = chat("สมชาย")
    with rt.db.transaction() as session:
        session.add(Citizen(line_user_id=somchai.user_id, full_name="สมชาย รักดี", phone="0891234567"))
    _to_shop_name(somchai, "ร้านสมชายไก่ย่าง")
    reply = somchai.taps("แก้ไข")
    assert "ชื่อ-นามสกุลของเจ้าของร้าน" in reply.text
    somchai.says("สมหญิง รักดี")
    assert "อำเภอไหน" in somchai.says("043-123-456").text  # the shop's landline this time
    assert (_flow_data(rt, somchai)["owner_name"], _flow_data(rt, somchai)["phone"]) == ("สมหญิง รักดี", "043123456")


def test_a_number_kept_under_the_old_rules_is_asked_again_not_offered(chat, rt):
    somsak = chat("สมศักดิ์")
    with rt.db.transaction() as session:
        # The old vendor rule let a 9-digit mobile number through.
        session.add(Citizen(line_user_id=somsak.user_id, full_name="สมศักดิ์ ดีมาก", phone="081234567"))
    reply = _to_shop_name(somsak, "ร้านสมศักดิ์")
    assert "ใช้ชื่อ" not in reply.text and "ชื่อ-นามสกุลของเจ้าของร้าน" in reply.text


def test_without_anything_known_name_and_phone_are_asked(chat, rt):
    reply = _to_shop_name(chat("สมพร"), "ร้านสมพร")
    assert "ใช้ชื่อ" not in reply.text and "ชื่อ-นามสกุลของเจ้าของร้าน" in reply.text


# ---- the shop's LINE ----------------------------------------------------------------------------------------------------
def test_the_shop_line_id_is_asked_checked_and_stored_as_a_line_link(chat, rt):
    somsri = chat("สมศรี")
    _to_line(somsri)
    asked = somsri.last
    assert "ร้านมี LINE ไว้คุยกับลูกค้าไหมคะ" in asked.text and "ข้าม" in asked.quick_replies()
    for wrong in ("ไม่มีค่ะ", "https://evil.example.com/ti/p/@paasri", "@", "https://line.me/R/share?text=hi"):
        reply = somsri.says(wrong)
        assert "ไอดีหรือลิงก์ LINE ไม่ถูกต้อง" in reply.text and "@paasri" in reply.text
        assert "ข้าม" in reply.quick_replies() and _flow(rt, somsri) == "market_register:line"
    assert "เพจ Facebook" in somsri.says("@PaaSri").text
    somsri.taps("ข้าม")
    somsri.taps("รับเองที่ร้าน")
    reply = somsri.taps("เสร็จแล้ว")
    assert "💚 LINE ร้าน: @paasri" in reply.text
    somsri.taps("ยืนยัน")
    assert _vendor(rt, somsri).line_url == "https://line.me/R/ti/p/%40paasri"


def test_the_shop_line_may_be_skipped(chat, rt):
    somchai = chat("สมชาย")
    register_shop(somchai, shop="ร้านสมชาย")
    assert "ส่งใบสมัครร้าน" in somchai.last.text
    assert _vendor(rt, somchai).line_url is None


@pytest.mark.parametrize("typed,link", [
    ("@paasri", "https://line.me/R/ti/p/%40paasri"),
    ("@ PaaSri", "https://line.me/R/ti/p/%40paasri"),
    ("paasri.silk", "https://line.me/R/ti/p/~paasri.silk"),
    ("0812345678", "https://line.me/R/ti/p/~0812345678"),  # many people's LINE ID is their phone number
    ("https://line.me/R/ti/p/@paasri", "https://line.me/R/ti/p/%40paasri"),
    ("line.me/ti/p/%40paasri", "https://line.me/R/ti/p/%40paasri"),
    ("https://line.me/ti/p/~somsri", "https://line.me/R/ti/p/~somsri"),
    ("https://line.me/ti/p/AbCd1234xy", "https://line.me/R/ti/p/AbCd1234xy"),  # a QR code's link keeps its case
    ("line://ti/p/@paasri", "https://line.me/R/ti/p/%40paasri"),
    ("https://line.me/R/oaMessage/@paasri/?สวัสดี", "https://line.me/R/ti/p/%40paasri"),
    ("https://lin.ee/AbC123x", "https://lin.ee/AbC123x"),
])
def test_line_ids_and_links_people_paste_become_one_link(typed, link):
    assert vendors.clean_line_link(typed) == link


@pytest.mark.parametrize("typed", [
    "", "ไม่มี", "abc", "@", "a" * 21, "https://line.me.evil.com/R/ti/p/@x", "https://evil.com/R/ti/p/@x",
    "https://line.me/R/share?text=x", "javascript:alert(1)", "https://user@line.me/R/ti/p/@x",
    "https://line.me:8443/R/ti/p/@x", "https://lin.ee/", "https://line.me/R/oaMessage/somsri/",
])
def test_anything_else_is_refused_with_examples(typed):
    with pytest.raises(DomainError) as refused:
        vendors.clean_line_link(typed)
    assert refused.value.code == "bad_line_link" and "@paasri" in refused.value.message


def test_buyers_get_a_chat_with_the_shop_button_beside_call(chat, rt, admin):
    somsri = chat("สมศรี")
    somsri.follow()
    approved_shop(somsri, rt, line="@paasri")
    product = posted_product(somsri, rt)
    certify(rt, product.id)

    buyer = chat("ผู้ซื้อ")
    buyer.says("ตลาดชุมชน")
    buyer.taps("ดูทั้งหมด (1)")
    reply = buyer.taps("ติดต่อร้าน")
    assert "ร้าน ร้านป้าศรีผ้าไหม · อ.ชนบท" in reply.text
    assert reply.action("แชทกับร้าน") == {"type": "uri", "uri": "https://line.me/R/ti/p/%40paasri",
                                         "label": "แชทกับร้าน"}
    assert reply.action("โทรหาร้าน")["uri"] == "tel:0812345678"


def test_a_shop_without_line_has_no_chat_button(chat, rt):
    product_id = seed_listed(rt, 1)[0]
    reply = chat("ผู้ซื้อ").says(f"สนใจสินค้า #{product_id}")
    assert "โทรหาร้าน" in reply.labels() and "แชทกับร้าน" not in reply.labels()


def test_api_and_console_show_the_shop_line(client, rt):
    seed_listed(rt, 1)
    with rt.db.transaction() as session:
        session.execute(update(Vendor).values(line_url="https://line.me/R/ti/p/%40paasri"))
    shop = client.get("/api/v1/vendors", headers={"Authorization": f"Bearer {API_TOKEN}"}).get_json()["data"][0]
    assert shop["line_url"] == "https://line.me/R/ti/p/%40paasri"
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["VendorOut"]
    assert "line_url" in schema["properties"]
    staff_login(client, ADMIN_ID)
    html = client.get(f"/console/market/vendors/{shop['id']}").get_data(as_text=True)
    assert 'href="https://line.me/R/ti/p/%40paasri"' in html and "@paasri" in html


# ---- a shop name another shop has -------------------------------------------------------------------------------------
def test_a_same_shop_name_is_pointed_out_and_another_name_can_be_given(chat, rt):
    seed_listed(rt, 1, shop="ร้านป้าศรีผ้าไหม")  # an approved shop in อ.พล
    somsri = chat("สมศรี")
    reply = _to_shop_name(somsri, "ร้านป้าศรี  ผ้าไหม")  # spaces do not make it another name
    assert "มีร้าน “ร้านป้าศรีผ้าไหม” (อ.พล) ในตลาดชุมชนแล้ว" in reply.text
    assert {"เป็นคนละร้าน", "ตั้งชื่อใหม่"} <= set(reply.labels())
    assert _flow(rt, somsri) == "market_register:same_name"
    assert "ร้านของคุณชื่ออะไร" in somsri.taps("ตั้งชื่อใหม่").text
    assert "ชื่อ-นามสกุลของเจ้าของร้าน" in somsri.says("ร้านป้าศรีผ้าไหม โนนฆ้อง").text
    assert _flow_data(rt, somsri)["shop_name"] == "ร้านป้าศรีผ้าไหม โนนฆ้อง"


def test_a_new_name_may_be_typed_straight_at_the_same_name_question(chat, rt):
    seed_listed(rt, 1, shop="Paasri Silk")
    somsri = chat("สมศรี")
    assert "มีร้าน “Paasri Silk”" in _to_shop_name(somsri, "PAASRI silk").text  # case does not count either
    assert "ชื่อ-นามสกุลของเจ้าของร้าน" in somsri.says("Paasri Silk Chonnabot").text


def test_confirming_a_different_shop_registers_it_and_staff_see_the_same_name(chat, rt, admin):
    seed_listed(rt, 1, shop="ร้านป้าศรีผ้าไหม")
    somsri = chat("สมศรี")
    _to_shop_name(somsri)
    assert "ชื่อ-นามสกุลของเจ้าของร้าน" in somsri.taps("เป็นคนละร้าน").text
    somsri.says("ศรีสุดา ใจดี")
    somsri.says("0812345678")
    somsri.taps("ชนบท")
    somsri.taps("ข้าม")
    somsri.says("99 หมู่ 3 ต.ชนบท")
    somsri.taps("ข้าม")
    somsri.taps("ข้าม")
    somsri.taps("รับเองที่ร้าน")
    somsri.taps("เสร็จแล้ว")
    assert "ส่งใบสมัครร้าน “ร้านป้าศรีผ้าไหม” แล้ว" in somsri.taps("ยืนยัน").text
    assert _vendor(rt, somsri).status == "pending"
    assert "⚠️ ชื่อเดียวกับร้าน “ร้านป้าศรีผ้าไหม” (อ.พล) ผู้สมัครยืนยันว่าเป็นคนละร้าน" in admin.collect().text


def test_the_service_refuses_a_same_name_the_applicant_did_not_confirm(chat, rt):
    from services import consent

    seed_listed(rt, 1, shop="ร้านทดสอบ")
    uid = "U" + "c" * 32
    application = vendors.Application("ร้าน ทดสอบ", "นาย ทดสอบ", "0812345678", "phon", "1 หมู่ 1 ต.พล", ["pickup"])
    with rt.db.transaction() as session:
        consent.grant(session, uid, consent.MARKET_VENDOR, rt.clock())
    with pytest.raises(DomainError) as caught, rt.db.transaction() as session:
        vendors.register(session, uid, application, rt.clock())
    assert caught.value.code == "same_shop_name"
    application.same_name_confirmed = True
    with rt.db.transaction() as session:
        assert vendors.register(session, uid, application, rt.clock()).status == "pending"


def test_a_rejected_or_erased_shop_name_is_free_again(chat, rt):
    seed_listed(rt, 1, shop="ร้านป้าศรีผ้าไหม")
    with rt.db.transaction() as session:
        session.execute(update(Vendor).values(status="rejected"))
    reply = _to_shop_name(chat("สมศรี"))
    assert "มีร้าน" not in reply.text and "ชื่อ-นามสกุลของเจ้าของร้าน" in reply.text


# ---- erasing one's data closes the shop: said before, not after ---------------------------------------------------------
def test_the_erase_confirmation_says_the_shop_products_and_certificates_go_too(chat, rt):
    somsri = chat("สมศรี")
    somsri.follow()
    pending_shop(somsri, rt)
    somsri.says("ข้อมูลของฉัน")
    reply = somsri.taps("ลบข้อมูลของฉัน")
    body = reply.text
    assert "ร้าน “ร้านป้าศรีผ้าไหม” จะถูกปิด สินค้าทั้งหมดของร้านจะออกจากตลาดชุมชน และใบรับรองสินค้าจะถูกยกเลิก" in body
    assert body.index("ใบรับรองสินค้าจะถูกยกเลิก") < body.index("ลบแล้วกู้คืนไม่ได้")  # before the last warning


def test_the_erase_confirmation_of_someone_without_a_shop_does_not_mention_one(chat, rt):
    somchai = chat("สมชาย")
    somchai.follow()
    somchai.says("ข้อมูลของฉัน")
    reply = somchai.taps("ลบข้อมูลของฉัน")
    assert "ลบแล้วกู้คืนไม่ได้" in reply.text and "จะถูกปิด" not in reply.text


def test_the_shop_line_is_in_the_data_copy_and_erased_with_the_rest(chat, rt, client):
    from services import privacy

    somsri = chat("สมศรี")
    somsri.follow()
    pending_shop(somsri, rt, line="paasri.silk")
    with rt.db.transaction() as session:
        exported = privacy.collect_personal_data(session, somsri.user_id)
        token = privacy.issue_export_link(session, somsri.user_id, rt.clock())
    assert exported["vendors"]["shop"]["line_url"] == "https://line.me/R/ti/p/~paasri.silk"
    page = client.get(f"/my-data/{token}").get_data(as_text=True)
    assert "LINE ของร้าน" in page and "https://line.me/R/ti/p/~paasri.silk" in page
    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, somsri.user_id, rt.clock())
    with rt.db.transaction() as session:
        assert session.scalars(select(Vendor.line_url)).one() is None
