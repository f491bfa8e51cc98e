"""Market test helpers: photos, shops and products.

`register_shop` and `post_product` walk the chat flows the way a person does (the reviewers get their notices);
`pending_shop`, `approved_shop` and `posted_product` build the same shop and product through the services, for tests
whose subject comes after them (a chat walk costs about a second). Registration and posting are walked whole, by chat,
in test_vendor_registration.py and test_posting.py.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from handlers.market_review import CertDecision, VendorDecision
from models.market import Certification, Product, Vendor
from services import certification, consent, listings, products, vendors
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL
from tests.dialog import ChatUser

VALID_NATIONAL_ID = "1101700230708"  # check digit valid (mod 11)


def jpeg(size: tuple[int, int] = (800, 600), colour: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def register_shop(user: ChatUser, shop: str = "ร้านป้าศรีผ้าไหม", facebook: str | None = None,
                  line: str | None = None) -> None:
    """Walks the registration flow with valid answers and confirms (a name and phone known from before are used;
    a shop of the same name elsewhere is confirmed to be a different shop)."""
    user.says("ลงทะเบียนร้านค้า")
    if "ยินยอม" in user.last.labels():
        user.taps("ยินยอม")
    user.says(shop)
    if "เป็นคนละร้าน" in user.last.labels():
        user.taps("เป็นคนละร้าน")
    if "ใช้ข้อมูลนี้" in user.last.labels():
        user.taps("ใช้ข้อมูลนี้")
    else:
        user.says("ศรีสุดา ใจดี")
        user.says("081-234-5678")
    user.taps("ชนบท")
    user.says(VALID_NATIONAL_ID)
    user.says("99 หมู่ 3 ต.ชนบท")
    user.says(line) if line else user.taps("ข้าม")
    user.says(facebook) if facebook else user.taps("ข้าม")
    user.taps("ไปรษณีย์ไทย")
    user.taps("รับเองที่ร้าน")
    user.taps("เสร็จแล้ว")
    user.taps("ยืนยัน")


def pending_shop(user: ChatUser, rt: Any, shop: str = "ร้านป้าศรีผ้าไหม", line: str | None = None, *,
                 tell_reviewers: bool = False) -> Vendor:
    """The application register_shop makes (the market opt-in, then the same answers: a name and phone known from
    before are used), through the services; with `tell_reviewers`, reviewers get the new shop's notice and its
    อนุมัติ / ไม่อนุมัติ, as after the chat."""
    now = rt.clock()
    with rt.db.transaction() as session:
        consent.grant(session, user.user_id, consent.MARKET_VENDOR, now)
        owner, phone = vendors.known_contact(session, user.user_id) or ("ศรีสุดา ใจดี", "0812345678")
        vendor = vendors.register(session, user.user_id, vendors.Application(
            shop_name=shop, owner_name=owner, phone=phone, district="chonnabot", pickup_address="99 หมู่ 3 ต.ชนบท",
            delivery_options=["thailand_post", "pickup"], promptpay_id=VALID_NATIONAL_ID, line_url=line,
            same_name_confirmed=True), now)
        if tell_reviewers:
            vendors.ask_reviewers(session, vendor, now, rt.settings.ADMIN_LINE_USER_IDS, PUBLIC_BASE_URL, decide=(
                VendorDecision(vendor.id, True).pack(), VendorDecision(vendor.id, False).pack()))
    rt.process_pending()
    return vendor


def approved_shop(user: ChatUser, rt: Any, shop: str = "ร้านป้าศรีผ้าไหม", line: str | None = None) -> Vendor:
    """A pending_shop approved by the configured admin through the service; the vendor's approval message is read
    and set aside."""
    vendor_id = pending_shop(user, rt, shop, line).id
    with rt.db.transaction() as session:
        vendor = vendors.approve(session, vendor_id, ADMIN_ID, rt.clock(), rt.settings.ADMIN_LINE_USER_IDS)
    rt.process_pending()
    user.collect()
    return vendor


def post_product(user: ChatUser, name: str = "ผ้าไหมมัดหมี่ลายนาค", price: str = "1,200",
                 unit: str = "ผืน", photos: int = 1, stock: str = "5") -> None:
    """Walks the posting flow with valid answers and submits."""
    user.says("ลงขายสินค้า")
    user.says(name)
    user.taps("ผ้าไหมและสิ่งทอ")
    user.says(price)
    user.says(unit)
    user.says("ทอมือจากบ้านโนนฆ้อง สีธรรมชาติ")
    user.taps("ทำมือ")
    user.taps("วัตถุดิบในท้องถิ่น")
    user.taps("เสร็จแล้ว")
    for index in range(photos):
        user.sends_image(jpeg(colour=(10 * index, 120, 40)))
    if photos < products.MAX_PHOTOS:
        user.taps("เสร็จแล้ว")
    user.says(stock)
    user.taps("ส่งตรวจรับรอง")


def posted_product(user: ChatUser, rt: Any, name: str = "ผ้าไหมมัดหมี่ลายนาค", price: str = "1,200",
                   unit: str = "ผืน", photos: int = 1, stock: str = "5", *, tell_reviewers: bool = False) -> Product:
    """The product post_product posts, through the services: photos stored, posted, submitted for certification;
    with `tell_reviewers`, reviewers get the submission's notice and its อนุมัติ / ไม่อนุมัติ, as after the chat."""
    now = rt.clock()
    with rt.db.transaction() as session:
        kept = [products.accept_photo(session, user.user_id, jpeg(colour=(10 * index, 120, 40)), now)
                for index in range(photos)]
        draft = products.Draft(name=name, category="textile", price_satang=products.parse_price(price), unit=unit,
                               description="ทอมือจากบ้านโนนฆ้อง สีธรรมชาติ", stock=products.parse_stock(stock),
                               selling_points=["handmade", "local"], photos=kept)
        product = listings.post(session, user.user_id, draft, now)
        if tell_reviewers:
            cert = certification.pending(session, product)
            certification.ask_reviewers(session, cert, now, rt.settings.ADMIN_LINE_USER_IDS, PUBLIC_BASE_URL, decide=(
                CertDecision(cert.id, True).pack(), CertDecision(cert.id, False).pack()))
    rt.process_pending()
    user.collect()
    return product


def latest_product(rt: Any, user: ChatUser) -> Product:
    with rt.db.transaction() as session:
        vendor = vendors.get_by_line_user(session, user.user_id)
        return products.list_for_vendor(session, vendor)[0]


def certify(rt: Any, product_id: int) -> Certification:
    """The admin approves the product's open submission (through the service)."""
    with rt.db.transaction() as session:
        product = session.get(Product, product_id)
        cert = certification.pending(session, product)
        certification.approve(session, cert.id, ADMIN_ID, rt.clock(), PUBLIC_BASE_URL,
                              rt.settings.ADMIN_LINE_USER_IDS)
        return cert


def seed_listed(rt: Any, count: int, *, name: str = "สินค้า", category: str = "food", shop: str = "ร้านทดสอบ",
                line_user_id: str | None = None, description: str = "ของดีขอนแก่น") -> list[int]:
    """Inserts `count` certified, in-stock products of one approved shop directly (for catalog tests)."""
    now = rt.clock()
    uid = line_user_id or "U" + "9" * 32
    ids = []
    with rt.db.transaction() as session:
        consent.grant(session, uid, consent.MARKET_VENDOR, now)
        vendor = vendors.get_by_line_user(session, uid)
        if vendor is None:
            vendor = Vendor(line_user_id=uid, shop_name=shop, owner_name="ทดสอบ ระบบ", phone="0812345678",
                            district="phon", pickup_address="1 หมู่ 1", sales_channels=["line"],
                            delivery_options=["pickup"], status="approved", created_at=now, updated_at=now)
            session.add(vendor)
            session.flush()
        for index in range(count):
            product = Product(vendor_id=vendor.id, name=f"{name} {index + 1}", category=category, price_satang=3500,
                              unit="ชิ้น", description=description, selling_points=["clean"],
                              photos=[{"id": 1, "digest": "0" * 64}], stock=3, hidden=False, cert_status="submitted",
                              created_at=now, updated_at=now,
                              search_text=products.search_text_of(f"{name} {index + 1}", description, vendor.shop_name))
            session.add(product)
            session.flush()
            cert = certification.submit(session, product, now)
            certification.approve(session, cert.id, "api", now, PUBLIC_BASE_URL)
            ids.append(product.id)
    rt.process_pending()
    return ids


@pytest.fixture
def admin(chat):
    """The configured admin, as a chat user."""
    return chat("แอดมิน อบจ.", user_id=ADMIN_ID)
