"""Vendors in chat: "ลงทะเบียนร้านค้า" (the market opt-in, then the shop's details) and "ลงขายสินค้า" (name,
category, price and unit, description, selling points, 1-5 photos, stock, a preview exactly as buyers see it, submit).

Registration: shop name (a name another live shop has is pointed out: "a different shop" or another name), owner
name and phone (offered for confirmation when known from a training sign-up or an earlier application), district,
PromptPay, pickup address, the shop's LINE (optional: buyers get "แชทกับร้าน"), Facebook page, delivery, confirm.

The preview offers ส่งตรวจรับรอง, แก้ไข (pick a part; its question's answer leads straight back to the preview)
and ยกเลิก (asked once; the photos sent are deleted).

Each answer is checked by the services' rules; a wrong answer is explained and the same question stays open,
so nothing typed before is lost. "ยกเลิก" leaves either flow at any step.

"สินค้าของฉัน": the vendor's own products with their certification state, and the buttons to manage them: แก้ราคา,
แก้จำนวน and ค่าแนะนำ (%) (the share-and-earn rate, 0-30) (a one-question flow each), ซ่อน/แสดง, ใบรับรอง/QR,
ขอรับรองใหม่/ต่ออายุใบรับรอง, ลบ. Each button
names a product id, which the services check belongs to the caller. Staff are told of a new shop or a submission
through handlers/market_review.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates.basic import image, message_action, text
from flex_templates.market import (
    AMBER,
    DEEP_GREEN,
    RED,
    TEXT_MUTED,
    ProductCard,
    choice_card,
    contact_card,
    notice_card,
    postback,
    product_carousel,
    single_product,
)
from flex_templates.platform import district_picker
from handlers.market import base_url
from handlers.market_review import notify_new_shop, notify_submission
from models.market import Product, Vendor
from services import catalog, certification, consent, contact_details, images, listings, products, vendors
from services.errors import DomainError
from services.images import ImageRejected
from texts import commissions as commissions_texts
from texts import market as market_texts
from texts import orders as orders_texts
from texts import platform as platform_texts
from texts import sales as sales_texts
from texts.districts import DISTRICTS, district_name, find_district

router = Router("market_vendor")


# ---- typed button data (owned by the flows: a tap outside its flow is answered as stale) ---------------------------------
@dataclass
class ConsentChoice(PostbackData, prefix="mkreg-ok"):
    yes: bool


@dataclass
class ShopDistrict(PostbackData, prefix="mkreg-d"):
    key: str


@dataclass
class DeliveryToggle(PostbackData, prefix="mkreg-dl"):
    key: str  # a delivery option, or "done"


@dataclass
class ConfirmShop(PostbackData, prefix="mkreg-c"):
    ok: bool


@dataclass
class UseKnownContact(PostbackData, prefix="mkreg-k"):
    use: bool  # True: the name and phone offered; False: type them


@dataclass
class SameShopName(PostbackData, prefix="mkreg-n"):
    different_shop: bool  # True: "it is another shop", keep the name; False: type another name


@dataclass
class ChooseCategory(PostbackData, prefix="mkpost-c"):
    key: str


@dataclass
class PointToggle(PostbackData, prefix="mkpost-p"):
    key: str  # a selling point, or "done"


@dataclass
class SubmitProduct(PostbackData, prefix="mkpost-s"):
    pass


@dataclass
class PreviewChoice(PostbackData, prefix="mkpost-v"):
    action: str  # "edit" | "cancel"


@dataclass
class EditField(PostbackData, prefix="mkpost-e"):
    field: str  # a key of texts.market.EDIT_FIELDS (also the step that asks it), or "back"


@dataclass
class CancelPost(PostbackData, prefix="mkpost-x"):
    yes: bool


# ---- buttons on the vendor's own products (outside any flow) -----------------------------------------------------------
@dataclass
class PreviewTap(PostbackData, prefix="mkprev"):
    pass


@dataclass
class MyProducts(PostbackData, prefix="mkmine"):
    page: int


@dataclass
class EditProduct(PostbackData, prefix="mkedit"):
    product_id: int
    field: str  # "price" | "stock" | "commission"


@dataclass
class HideProduct(PostbackData, prefix="mkhide"):
    product_id: int
    hidden: bool


@dataclass
class DeleteProduct(PostbackData, prefix="mkdel"):
    product_id: int
    step: str  # "ask" | "yes" | "no"


@dataclass
class ShowCertificate(PostbackData, prefix="mkcert"):
    product_id: int


@dataclass
class Resubmit(PostbackData, prefix="mkresub"):
    product_id: int



def _typed(ctx: Context, state: FlowState, key: str, clean, ask_again: str | None = None) -> bool:  # noqa: ANN001
    """Stores a cleaned typed answer in the flow; on bad input explains why and keeps the question open."""
    if ctx.text is None:
        ctx.reply(text(ask_again or market_texts.PLEASE_TYPE))
        return False
    try:
        state.data[key] = clean(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return False
    return True


def _skip_button() -> list[dict]:
    return [message_action(market_texts.WORD_SKIP)]


def _optional(ctx: Context, state: FlowState, key: str, clean) -> bool:  # noqa: ANN001
    """Like `_typed` for a question that may be skipped: "ข้าม" stores nothing, bad input keeps the skip button."""
    if ctx.text == market_texts.WORD_SKIP:
        state.data[key] = None
        return True
    try:
        state.data[key] = clean(ctx.text or "")
    except DomainError as exc:
        ctx.reply(text(exc.message, _skip_button()))
        return False
    return True


# ---- "ลงทะเบียนร้านค้า" ------------------------------------------------------------------------------------------------
def registration_guard(ctx: Context) -> bool:
    """Only people without a shop (or whose application was turned down) register."""
    vendor = vendors.get_by_line_user(ctx.session, ctx.user_id)
    if vendor is None or vendor.status == "rejected":
        return True
    if vendor.status == "approved" and not consent.has_opt_in(ctx.session, ctx.user_id, consent.MARKET_VENDOR):
        return True  # an approved shop that withdrew the opt-in may give it again (and only that is asked)
    if vendor.status == "pending":
        ctx.reply(text(market_texts.ALREADY_PENDING.format(shop=vendor.shop_name), ctx.menu_actions()))
    else:
        ctx.reply(text(market_texts.ALREADY_APPROVED.format(shop=vendor.shop_name),
                       [message_action(market_texts.WORD_POST), message_action(market_texts.WORD_MY_PRODUCTS)]))
    return False


def registration_start(ctx: Context, state: FlowState) -> None:
    if consent.has_opt_in(ctx.session, ctx.user_id, consent.MARKET_VENDOR):
        state.step = "shop"


def ask_consent(ctx: Context, state: FlowState) -> None:
    ctx.reply(contact_card(market_texts.REGISTER_TITLE, market_texts.CONSENT_NOTICE, [
        (market_texts.CONSENT_YES, postback(ConsentChoice(True).pack(), market_texts.CONSENT_YES)),
        (market_texts.CONSENT_NO, postback(ConsentChoice(False).pack(), market_texts.CONSENT_NO)),
    ]))


def answer_consent(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(ConsentChoice)
    if not isinstance(choice, ConsentChoice):
        ctx.reply(text(market_texts.CONSENT_PLEASE_TAP))
        return None
    if not choice.yes:
        ctx.reply(text(market_texts.CONSENT_DECLINED, [message_action(market_texts.WORD_CATALOG)]))
        return END
    consent.grant(ctx.session, ctx.user_id, consent.MARKET_VENDOR, ctx.now)
    vendor = vendors.get_by_line_user(ctx.session, ctx.user_id)
    if vendor is not None and vendor.status == "approved":
        ctx.reply(text(market_texts.ALREADY_APPROVED.format(shop=vendor.shop_name),
                       [message_action(market_texts.WORD_POST), message_action(market_texts.WORD_MY_PRODUCTS)]))
        return END
    return "shop"


def ask_shop(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_SHOP.format(max=vendors.SHOP_MAX) + f"\n({platform_texts.FLOW_CANCEL_HINT})"))


def answer_shop(ctx: Context, state: FlowState) -> str | None:
    if not _typed(ctx, state, "shop_name", vendors.clean_shop_name):
        return None
    state.data.pop("same_name_confirmed", None)
    if vendors.same_name_shop(ctx.session, state.data["shop_name"], ctx.user_id) is not None:
        return "same_name"
    return _after_shop_name(ctx)


def _after_shop_name(ctx: Context) -> str:
    """Offers the name and phone the person gave before (e.g. at a training sign-up) instead of asking again."""
    return "contact" if vendors.known_contact(ctx.session, ctx.user_id) else "owner"


def ask_same_name(ctx: Context, state: FlowState) -> None:
    other = vendors.same_name_shop(ctx.session, state.data.get("shop_name", ""), ctx.user_id)
    shop = other.shop_name if other else state.data.get("shop_name", "")
    body = market_texts.SHOP_SAME_NAME.format(shop=shop, district=district_name(other.district) if other else "")
    ctx.reply(contact_card(market_texts.REGISTER_TITLE, body, [
        (market_texts.SAME_NAME_OK, postback(SameShopName(True).pack(), market_texts.SAME_NAME_OK)),
        (market_texts.SAME_NAME_RENAME, postback(SameShopName(False).pack(), market_texts.SAME_NAME_RENAME)),
    ]))


def answer_same_name(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(SameShopName)
    if isinstance(choice, SameShopName):
        if not choice.different_shop:
            return "shop"
        state.data["same_name_confirmed"] = True
        return _after_shop_name(ctx)
    if ctx.text is not None:  # typed another name straight away
        return answer_shop(ctx, state)
    ctx.reply(text(market_texts.PLEASE_TAP))
    return None


def ask_known_contact(ctx: Context, state: FlowState) -> None:
    known = vendors.known_contact(ctx.session, ctx.user_id)
    name, phone = known if known else ("", "")
    ctx.reply(contact_card(market_texts.REGISTER_TITLE, market_texts.ASK_USE_CONTACT.format(
        name=name, phone=contact_details.format_phone(phone)), [
        (market_texts.USE_CONTACT, postback(UseKnownContact(True).pack(), market_texts.USE_CONTACT)),
        (market_texts.CHANGE_CONTACT, postback(UseKnownContact(False).pack(), market_texts.CHANGE_CONTACT)),
    ]))


def answer_known_contact(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(UseKnownContact)
    if not isinstance(choice, UseKnownContact):
        ctx.reply(text(market_texts.USE_CONTACT_PLEASE_TAP))
        return None
    known = vendors.known_contact(ctx.session, ctx.user_id)  # read again: never trust what the button carried
    if not choice.use or known is None:
        return "owner"
    state.data["owner_name"], state.data["phone"] = known
    return "district"


def ask_owner(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_OWNER))


def answer_owner(ctx: Context, state: FlowState) -> str | None:
    return "phone" if _typed(ctx, state, "owner_name", vendors.clean_owner_name) else None


def ask_phone(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_PHONE))


def answer_phone(ctx: Context, state: FlowState) -> str | None:
    return "district" if _typed(ctx, state, "phone", vendors.clean_shop_phone) else None


def ask_shop_district(ctx: Context, state: FlowState) -> None:
    options = [(name, ShopDistrict(key).pack()) for key, name in DISTRICTS.items()]
    ctx.reply(text(market_texts.ASK_DISTRICT), district_picker(market_texts.DISTRICT_CARD_TITLE, market_texts.ASK_DISTRICT_ALT, options))


def answer_shop_district(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(ShopDistrict)
    key = choice.key if isinstance(choice, ShopDistrict) else find_district(ctx.text or "")
    if key not in DISTRICTS:
        shown = (ctx.text or "")[:40]
        ctx.reply(text(market_texts.DISTRICT_NOT_FOUND.format(text=shown) if shown else market_texts.ASK_DISTRICT))
        return None
    state.data["district"] = key
    return "promptpay"


def ask_promptpay(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_PROMPTPAY, _skip_button()))


def answer_promptpay(ctx: Context, state: FlowState) -> str | None:
    return "address" if _optional(ctx, state, "promptpay_id", vendors.clean_promptpay) else None


def ask_address(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_ADDRESS))


def answer_address(ctx: Context, state: FlowState) -> str | None:
    return "line" if _typed(ctx, state, "pickup_address", vendors.clean_address) else None


def ask_line(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_LINE, _skip_button()))


def answer_line(ctx: Context, state: FlowState) -> str | None:
    return "facebook" if _optional(ctx, state, "line_url", vendors.clean_line_link) else None


def ask_facebook(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_FACEBOOK, _skip_button()))


def answer_facebook(ctx: Context, state: FlowState) -> str | None:
    return "delivery" if _optional(ctx, state, "facebook_url", vendors.clean_facebook_url) else None


def ask_delivery(ctx: Context, state: FlowState) -> None:
    chosen = state.data.get("delivery", [])
    options = [(name, postback(DeliveryToggle(key).pack()), key in chosen) for key, name in market_texts.DELIVERY_OPTIONS.items()]
    summary = market_texts.DELIVERY_CHOSEN.format(chosen=vendors.delivery_names(chosen)) if chosen else market_texts.DELIVERY_NONE_YET
    ctx.reply(choice_card(market_texts.ASK_DELIVERY, market_texts.ASK_DELIVERY, options,
                          footer=[(market_texts.WORD_DONE, postback(DeliveryToggle("done").pack(), market_texts.WORD_DONE))],
                          subtitle=summary))


def answer_delivery(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(DeliveryToggle)
    if not isinstance(choice, DeliveryToggle):
        ctx.reply(text(market_texts.PLEASE_TAP))
        return None
    chosen = list(state.data.get("delivery", []))
    if choice.key == "done":
        if not chosen:
            ctx.reply(text(market_texts.DELIVERY_NEED_ONE))
            return None
        return "confirm"
    if choice.key in market_texts.DELIVERY_OPTIONS:
        chosen = [k for k in chosen if k != choice.key] if choice.key in chosen else [*chosen, choice.key]
        state.data["delivery"] = [k for k in market_texts.DELIVERY_OPTIONS if k in chosen]
    return "delivery"


def _application(data: dict) -> vendors.Application:
    return vendors.Application(
        shop_name=data.get("shop_name", ""), owner_name=data.get("owner_name", ""), phone=data.get("phone", ""),
        district=data.get("district", ""), pickup_address=data.get("pickup_address", ""),
        delivery_options=data.get("delivery", []), promptpay_id=data.get("promptpay_id"),
        facebook_url=data.get("facebook_url"), line_url=data.get("line_url"),
        same_name_confirmed=bool(data.get("same_name_confirmed")))


def ask_confirm(ctx: Context, state: FlowState) -> None:
    d = state.data
    channels = market_texts.CHANNEL_LINE + (f", {market_texts.CHANNEL_FACEBOOK}" if d.get("facebook_url") else "")
    body = market_texts.REGISTER_SUMMARY.format(
        shop=d.get("shop_name"), owner=d.get("owner_name"), phone=contact_details.format_phone(d.get("phone", "")),
        district=district_name(d.get("district")), promptpay=d.get("promptpay_id") or market_texts.NONE,
        address=d.get("pickup_address"), channels=channels, delivery=vendors.delivery_names(d.get("delivery", [])))
    if d.get("line_url"):
        body += "\n" + market_texts.REGISTER_SUMMARY_LINE.format(line=vendors.line_link_label(d["line_url"]))
    ctx.reply(contact_card(market_texts.REGISTER_TITLE, body, [
        (market_texts.CONFIRM, postback(ConfirmShop(True).pack(), market_texts.CONFIRM)),
        (market_texts.START_OVER, postback(ConfirmShop(False).pack(), market_texts.START_OVER)),
    ]))


def answer_confirm(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(ConfirmShop)
    if not isinstance(choice, ConfirmShop):
        ctx.reply(text(market_texts.CONFIRM_PLEASE_TAP))
        return None
    if not choice.ok:
        state.data = {}
        return "shop"
    if not state.data.get("same_name_confirmed") and vendors.same_name_shop(
            ctx.session, state.data.get("shop_name", ""), ctx.user_id) is not None:
        return "same_name"  # a shop of that name registered while this one was being typed
    vendor = ctx.attempt(lambda: vendors.register(ctx.session, ctx.user_id, _application(state.data), ctx.now))
    if vendor is None:
        return END
    notify_new_shop(ctx, vendor)
    ctx.reply(text(market_texts.REGISTERED.format(shop=vendor.shop_name), [message_action(market_texts.WORD_CATALOG)]))
    return END


registration_flow = router.add_flow(Flow(
    "market_register", market_texts.REGISTER_TITLE, [
        Step("consent", ask_consent, answer_consent),
        Step("shop", ask_shop, answer_shop),
        Step("same_name", ask_same_name, answer_same_name),
        Step("contact", ask_known_contact, answer_known_contact),
        Step("owner", ask_owner, answer_owner),
        Step("phone", ask_phone, answer_phone),
        Step("district", ask_shop_district, answer_shop_district),
        Step("promptpay", ask_promptpay, answer_promptpay),
        Step("address", ask_address, answer_address),
        Step("line", ask_line, answer_line),
        Step("facebook", ask_facebook, answer_facebook),
        Step("delivery", ask_delivery, answer_delivery),
        Step("confirm", ask_confirm, answer_confirm),
    ],
    entry_words=(market_texts.WORD_REGISTER,), postbacks=(ConsentChoice, ShopDistrict, DeliveryToggle, ConfirmShop,
                                               UseKnownContact, SameShopName),
    guard=registration_guard, on_start=registration_start,
))


# ---- "ลงขายสินค้า" ------------------------------------------------------------------------------------------------------
def seller_guard(ctx: Context) -> bool:
    """Only approved shops post; everyone else is told why (and how to register)."""
    try:
        vendors.approved_vendor(ctx.session, ctx.user_id)
    except DomainError as exc:
        ctx.reply(text(exc.message, [message_action(market_texts.WORD_REGISTER)] if exc.code == "not_a_vendor"
                       else ctx.menu_actions()))
        return False
    return True


def posting_start(ctx: Context, state: FlowState) -> None:
    # Photos of an earlier, unfinished post are not this product's.
    products.delete_drafts(ctx.session, ctx.user_id)


def _then(state: FlowState, step: str) -> str:
    """The next question, or straight back to the preview when the vendor is changing one answer from it."""
    return "preview" if state.data.get("editing") else step


def ask_name(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_NAME.format(max=products.NAME_MAX) + f"\n({platform_texts.FLOW_CANCEL_HINT})"))


def answer_name(ctx: Context, state: FlowState) -> str | None:
    return _then(state, "category") if _typed(ctx, state, "name", products.clean_name) else None


def ask_category(ctx: Context, state: FlowState) -> None:
    options = [(name, postback(ChooseCategory(key).pack(), name), False)
               for key, name in market_texts.CATEGORIES.items()]
    ctx.reply(choice_card(market_texts.ASK_CATEGORY, market_texts.ASK_CATEGORY, options))


def answer_category(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(ChooseCategory)
    key = choice.key if isinstance(choice, ChooseCategory) else next(
        (k for k, name in market_texts.CATEGORIES.items() if ctx.text and ctx.text.strip() == name), None)
    if key not in market_texts.CATEGORIES:
        ctx.reply(text(market_texts.PLEASE_TAP))
        return None
    state.data["category"] = key
    return _then(state, "price")


def ask_price(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_PRICE))


def answer_price(ctx: Context, state: FlowState) -> str | None:
    return _then(state, "unit") if _typed(ctx, state, "price_satang", products.parse_price, market_texts.PRICE_BAD) else None


def ask_unit(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_UNIT, [message_action(unit) for unit in market_texts.UNITS]))


def answer_unit(ctx: Context, state: FlowState) -> str | None:
    return _then(state, "description") if _typed(ctx, state, "unit", products.clean_unit) else None


def ask_description(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_DESCRIPTION.format(max=products.DESCRIPTION_MAX)))


def answer_description(ctx: Context, state: FlowState) -> str | None:
    if ctx.text is None:
        ctx.reply(text(market_texts.PLEASE_TYPE))
        return None
    raw = (ctx.message.get("text") or "")  # keep the vendor's line breaks (ctx.text joins lines)
    try:
        state.data["description"] = products.clean_description(raw)
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    return _then(state, "points")


def ask_points(ctx: Context, state: FlowState) -> None:
    chosen = state.data.get("points", [])
    options = [(name, postback(PointToggle(key).pack()), key in chosen) for key, name in market_texts.SELLING_POINTS.items()]
    names = ", ".join(market_texts.SELLING_POINTS[k] for k in chosen)
    ctx.reply(choice_card(market_texts.ASK_POINTS, market_texts.ASK_POINTS, options,
                          footer=[(market_texts.WORD_DONE, postback(PointToggle("done").pack(), market_texts.WORD_DONE))],
                          subtitle=market_texts.POINTS_CHOSEN.format(chosen=names) if names else None))


def answer_points(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(PointToggle)
    if not isinstance(choice, PointToggle):
        if ctx.text == market_texts.WORD_DONE:
            return _then(state, "photos")
        ctx.reply(text(market_texts.PLEASE_TAP))
        return None
    if choice.key == "done":
        return _then(state, "photos")
    chosen = list(state.data.get("points", []))
    if choice.key in market_texts.SELLING_POINTS:
        chosen = [k for k in chosen if k != choice.key] if choice.key in chosen else [*chosen, choice.key]
        state.data["points"] = products.clean_points(chosen)
    return "points"


def ask_photos(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_PHOTOS))


def _done_button() -> list[dict]:
    return [message_action(market_texts.WORD_DONE)]


def answer_photos(ctx: Context, state: FlowState) -> str | None:
    photos = list(state.data.get("photos", []))
    if ctx.message_type != "image":
        if ctx.text == market_texts.WORD_DONE:
            if not photos:
                ctx.reply(text(market_texts.PHOTO_NEED_ONE))
                return None
            state.data.pop("replacing_photos", None)  # "done" before any new photo: the old ones stay
            return _then(state, "stock")
        ctx.reply(text(market_texts.PHOTO_EXPECTED_OR_DONE if photos else market_texts.PHOTO_EXPECTED, _done_button() if photos else None))
        return None
    if state.data.get("replacing_photos"):
        photos = []  # counted from the first new photo on; the old ones go once a new one is kept (below)
    if len(photos) >= products.MAX_PHOTOS:
        ctx.reply(text(market_texts.PHOTO_SIXTH.format(max=products.MAX_PHOTOS), _done_button()))
        return None
    ctx.show_loading(20)
    try:
        data = ctx.message_content(images.MAX_BYTES)
    except Exception:  # noqa: BLE001 - LINE's content API down or the content expired: ask for it again
        ctx.reply(text(market_texts.PHOTO_FETCH_FAILED, _done_button() if photos else None))
        return None
    try:
        with ctx.session.begin_nested():
            photo = products.accept_photo(ctx.session, ctx.user_id, data, ctx.now)
    except ImageRejected as exc:
        ctx.reply(text(exc.message, _done_button() if photos else None))
        return None
    if state.data.pop("replacing_photos", None):
        products.discard_draft_photos(ctx.session, ctx.user_id, [p["id"] for p in state.data.get("photos", [])])
    photos.append(photo)
    state.data["photos"] = photos
    if len(photos) >= products.MAX_PHOTOS:
        ctx.reply(text(market_texts.PHOTO_LAST.format(max=products.MAX_PHOTOS)))
        return _then(state, "stock")
    ctx.reply(text(market_texts.PHOTO_RECEIVED.format(count=len(photos), max=products.MAX_PHOTOS), _done_button()))
    return None


def ask_stock(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(market_texts.ASK_STOCK.format(unit=state.data.get("unit", ""))))


def answer_stock(ctx: Context, state: FlowState) -> str | None:
    if ctx.message_type == "image":  # an album's sixth photo arrives after the fifth moved the flow on
        ctx.reply(text(market_texts.PHOTO_SIXTH_LATE.format(max=products.MAX_PHOTOS, unit=state.data.get("unit", ""))))
        return None
    return "preview" if _typed(ctx, state, "stock", products.parse_stock) else None


def _draft(data: dict) -> products.Draft:
    return products.Draft(
        name=data.get("name", ""), category=data.get("category", ""), price_satang=int(data.get("price_satang", 0)),
        unit=data.get("unit", ""), description=data.get("description", ""), stock=int(data.get("stock", 0)),
        selling_points=list(data.get("points", [])), photos=list(data.get("photos", [])))


def preview_card(ctx: Context, draft: products.Draft, district: str) -> ProductCard:
    """The product exactly as buyers will see it (its buttons explain they work once it is certified)."""
    base = base_url(ctx)
    tap = postback(PreviewTap().pack())
    return ProductCard(
        name=draft.name, price_text=products.price_per_unit(draft.price_satang, draft.unit),
        district_text=market_texts.FROM_DISTRICT.format(district=district_name(district)),
        image_url=products.photo_url(base, draft.photos[0]) if draft.photos else None,
        points=[market_texts.SELLING_POINTS[p] for p in draft.selling_points if p in market_texts.SELLING_POINTS],
        badge_pending=market_texts.PREVIEW_BADGE, shop=None,
        buttons=((market_texts.CONTACT, tap), (market_texts.SHARE, tap), (market_texts.OPEN_PAGE, tap)),
    )


@router.on_postback(PreviewTap)
def preview_tap(ctx: Context, data: PreviewTap) -> None:
    ctx.reply(text(market_texts.PREVIEW_BUTTON_NOTE))


def ask_preview(ctx: Context, state: FlowState) -> None:
    vendor = vendors.get_by_line_user(ctx.session, ctx.user_id)
    draft = _draft(state.data)
    card = preview_card(ctx, draft, vendor.district if vendor else "")
    card = ProductCard(**{**card.__dict__, "shop": vendor.shop_name if vendor else None})
    ctx.reply(
        text(market_texts.PREVIEW_INTRO),
        single_product(market_texts.PREVIEW_ALT.format(name=draft.name), card),
        contact_card(market_texts.SUBMIT, market_texts.PREVIEW_CHOICES_BODY, [
            (market_texts.SUBMIT, postback(SubmitProduct().pack(), market_texts.SUBMIT)),
            (market_texts.PREVIEW_EDIT, postback(PreviewChoice("edit").pack(), market_texts.PREVIEW_EDIT)),
            (market_texts.PREVIEW_CANCEL, postback(PreviewChoice("cancel").pack(), market_texts.PREVIEW_CANCEL)),
        ]),
    )


def answer_preview(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(PreviewChoice)
    if isinstance(choice, PreviewChoice) and choice.action in ("edit", "cancel"):
        return "edit_pick" if choice.action == "edit" else "cancel"
    if not isinstance(ctx.postback_as(SubmitProduct), SubmitProduct):
        ctx.reply(text(market_texts.PREVIEW_PLEASE_TAP))
        return None
    product = ctx.attempt(lambda: listings.post(ctx.session, ctx.user_id, _draft(state.data), ctx.now))
    if product is None:
        return END
    review = certification.pending(ctx.session, product)
    if review is not None:
        notify_submission(ctx, review)
    ctx.reply(text(market_texts.SUBMITTED.format(name=product.name),
                   [message_action(market_texts.WORD_MY_PRODUCTS), message_action(market_texts.WORD_POST)]))
    return END


def ask_edit_pick(ctx: Context, state: FlowState) -> None:
    options = [(label, postback(EditField(key).pack(), label), False) for key, label in market_texts.EDIT_FIELDS.items()]
    ctx.reply(choice_card(market_texts.EDIT_PICK_TITLE, market_texts.EDIT_PICK_ALT, options,
                          footer=[(market_texts.EDIT_BACK, postback(EditField("back").pack(), market_texts.EDIT_BACK))]))


def _current_value(data: dict, key: str) -> str | None:
    """What a typed answer is now, shown when the vendor goes back to change it (None for button answers)."""
    if key == "price":
        return products.format_price(int(data.get("price_satang", 0)))
    if key == "stock":
        return f"{int(data.get('stock', 0)):,} {data.get('unit', '')}"
    if key in ("name", "unit", "description"):
        return str(data.get(key, ""))[:120]
    return None


def answer_edit_pick(ctx: Context, state: FlowState) -> str | None:
    """Goes to the chosen question; its answer leads straight back to the preview."""
    choice = ctx.postback_as(EditField)
    if not isinstance(choice, EditField):
        ctx.reply(text(market_texts.PLEASE_TAP))
        return None
    if choice.field == "back":
        return "preview"
    if choice.field not in market_texts.EDIT_FIELDS:
        ctx.reply(text(market_texts.PLEASE_TAP))
        return None
    state.data["editing"] = True
    label = market_texts.EDIT_FIELDS[choice.field]
    if choice.field == "photos":
        state.data["replacing_photos"] = True
        ctx.reply(text(market_texts.EDIT_PHOTOS_NOTE.format(count=len(state.data.get("photos", []))), _done_button()))
    elif (value := _current_value(state.data, choice.field)) is not None:
        ctx.reply(text(market_texts.EDIT_NOW.format(field=label, value=value)))
    return choice.field


def ask_cancel(ctx: Context, state: FlowState) -> None:
    body = market_texts.ASK_CANCEL_POST.format(name=state.data.get("name", ""))
    ctx.reply(contact_card(body, body, [
        (market_texts.CANCEL_POST_NO, postback(CancelPost(False).pack(), market_texts.CANCEL_POST_NO)),
        (market_texts.CANCEL_POST_YES, postback(CancelPost(True).pack(), market_texts.CANCEL_POST_YES)),
    ]))


def answer_cancel(ctx: Context, state: FlowState) -> str | None:
    """Cancelling deletes the photos sent for this product; "back" keeps everything as it was."""
    choice = ctx.postback_as(CancelPost)
    if not isinstance(choice, CancelPost):
        ctx.reply(text(market_texts.PLEASE_TAP))
        return None
    if not choice.yes:
        return "preview"
    products.delete_drafts(ctx.session, ctx.user_id)
    ctx.reply(text(market_texts.POST_CANCELLED.format(name=state.data.get("name", "")),
                   [message_action(market_texts.WORD_POST), message_action(market_texts.WORD_MY_PRODUCTS)]))
    return END


posting_flow = router.add_flow(Flow(
    "market_post", market_texts.POST_TITLE, [
        Step("name", ask_name, answer_name),
        Step("category", ask_category, answer_category),
        Step("price", ask_price, answer_price),
        Step("unit", ask_unit, answer_unit),
        Step("description", ask_description, answer_description),
        Step("points", ask_points, answer_points),
        Step("photos", ask_photos, answer_photos),
        Step("stock", ask_stock, answer_stock),
        Step("preview", ask_preview, answer_preview),
        Step("edit_pick", ask_edit_pick, answer_edit_pick),
        Step("cancel", ask_cancel, answer_cancel),
    ],
    entry_words=(market_texts.WORD_POST,), postbacks=(ChooseCategory, PointToggle, SubmitProduct, PreviewChoice, EditField,
                                           CancelPost),
    guard=seller_guard, on_start=posting_start,
))


# ---- my products -------------------------------------------------------------------------------------------------------------
STATUS_COLOURS = {"certified": DEEP_GREEN, "submitted": AMBER, "rejected": RED, "expired": RED, "revoked": RED}


def owner_card(ctx: Context, product: Product, vendor: Vendor) -> ProductCard:
    """The vendor's own view of a product: its certification state and the buttons to manage it."""
    base = base_url(ctx)
    photo = (product.photos or [None])[0]
    lines: list[tuple[str, str]] = []
    status = product.cert_status
    label = market_texts.CERT_STATUS.get(status, status)
    if status == "certified" and product.certified_until:
        label += " " + market_texts.VALID_UNTIL_LINE.format(date=certification.thai_date(product.certified_until))
    lines.append((label, STATUS_COLOURS.get(status, TEXT_MUTED)))
    pending_review = certification.pending(ctx.session, product)
    if pending_review is not None and status != "submitted":
        lines.append((market_texts.CERT_STATUS["submitted"], AMBER))
    if status in ("rejected", "revoked"):
        last = certification.latest(ctx.session, product)
        if last is not None and last.reason:
            lines.append((market_texts.REASON_LINE.format(reason=last.reason), RED))
    lines.append((market_texts.STOCK_LINE.format(stock=f"{product.stock:,}", unit=product.unit), TEXT_MUTED))
    if product.hidden:
        lines.append((market_texts.HIDDEN_TAG, AMBER))
    rate = products.commission_percent(product, ctx.settings.DEFAULT_COMMISSION_PERCENT)
    lines.append((market_texts.COMMISSION_LINE.format(percent=rate) if rate else market_texts.COMMISSION_NONE_LINE, TEXT_MUTED))
    buttons: list[tuple[str, dict]] = [
        (market_texts.EDIT_PRICE, postback(EditProduct(product.id, "price").pack(), market_texts.EDIT_PRICE)),
        (market_texts.EDIT_STOCK, postback(EditProduct(product.id, "stock").pack(), market_texts.EDIT_STOCK)),
        (market_texts.EDIT_COMMISSION, postback(EditProduct(product.id, "commission").pack(), market_texts.EDIT_COMMISSION)),
        (market_texts.SHOW if product.hidden else market_texts.HIDE,
         postback(HideProduct(product.id, not product.hidden).pack(), market_texts.SHOW if product.hidden else market_texts.HIDE)),
    ]
    if status == "certified":
        buttons.append((market_texts.CERTIFICATE, postback(ShowCertificate(product.id).pack(), market_texts.CERTIFICATE)))
    if certification.renewable(product, ctx.now, under_review=pending_review is not None):
        word = market_texts.RENEW if status == "certified" else market_texts.RESUBMIT
        buttons.append((word, postback(Resubmit(product.id).pack(), word)))
    buttons.append((market_texts.DELETE, postback(DeleteProduct(product.id, "ask").pack(), market_texts.DELETE)))
    return ProductCard(
        name=product.name, price_text=products.price_per_unit(product.price_satang, product.unit),
        district_text=market_texts.FROM_DISTRICT.format(district=district_name(vendor.district)),
        image_url=products.photo_url(base, photo) if photo else None,
        points=[market_texts.SELLING_POINTS[p] for p in product.selling_points or [] if p in market_texts.SELLING_POINTS],
        status_lines=lines, buttons=buttons, primary_first=False,
    )


def shop_actions() -> list[dict]:
    """An approved shop's everyday words as quick replies: post, orders, offline sales, paying sharers, the catalog."""
    return [message_action(market_texts.WORD_POST), message_action(orders_texts.WORD_SHOP_ORDERS),
            message_action(sales_texts.WORD_RECORD_SALE), message_action(commissions_texts.WORD_PAY_SHARERS),
            message_action(market_texts.WORD_CATALOG)]


def _my_products(ctx: Context, page_number: int) -> None:
    vendor = vendors.get_by_line_user(ctx.session, ctx.user_id)
    if vendor is None or vendor.status == "rejected":
        ctx.reply(text(market_texts.NOT_A_VENDOR, [message_action(market_texts.WORD_REGISTER)]))
        return
    if vendor.status == "pending":
        ctx.reply(text(market_texts.VENDOR_NOT_APPROVED.format(shop=vendor.shop_name), ctx.menu_actions()))
        return
    items = products.list_for_vendor(ctx.session, vendor)
    if not items:
        ctx.reply(text(market_texts.MY_PRODUCTS_EMPTY, [message_action(market_texts.WORD_POST)]))
        return
    size = catalog.PAGE_SIZE
    page_number = max(0, min(page_number, (len(items) - 1) // size))
    shown = items[page_number * size:(page_number + 1) * size]
    remaining = len(items) - (page_number + 1) * size
    more = None
    if remaining > 0:
        more = (market_texts.MORE_TITLE.format(count=f"{remaining:,}"), market_texts.MORE_BUTTON,
                postback(MyProducts(page_number + 1).pack(), market_texts.MORE_BUTTON))
    if page_number == 0:
        ctx.reply(text(market_texts.MY_PRODUCTS_INTRO.format(shop=vendor.shop_name, count=f"{len(items):,}")))
    ctx.reply(product_carousel(market_texts.MY_PRODUCTS_ALT.format(count=len(items)),
                               [owner_card(ctx, p, vendor) for p in shown], more, shop_actions()))


@router.on_text(market_texts.WORD_MY_PRODUCTS)
def my_products(ctx: Context) -> None:
    """Lists the vendor's own products with their certification state and buttons to manage them."""
    _my_products(ctx, 0)


@router.on_postback(MyProducts)
def my_products_page(ctx: Context, data: MyProducts) -> None:
    _my_products(ctx, data.page)


def _owned(ctx: Context, product_id: int) -> Product | None:
    return ctx.attempt(lambda: products.owned_product(ctx.session, ctx.user_id, product_id))


@router.on_postback(HideProduct)
def hide_product(ctx: Context, data: HideProduct) -> None:
    product = ctx.attempt(lambda: products.set_hidden(ctx.session, ctx.user_id, data.product_id, data.hidden,
                                                       ctx.now))
    if product is not None:
        body = (market_texts.HIDDEN_DONE if product.hidden else market_texts.SHOWN_DONE).format(name=product.name)
        ctx.reply(text(body, [message_action(market_texts.WORD_MY_PRODUCTS)]))


@router.on_postback(DeleteProduct)
def delete_product(ctx: Context, data: DeleteProduct) -> None:
    """Asks before deleting; deletes only the caller's own product."""
    product = _owned(ctx, data.product_id)
    if product is None:
        return
    if data.step == "yes":
        name = product.name
        if ctx.attempt(lambda: listings.delete_own(ctx.session, ctx.user_id, data.product_id, ctx.now)):
            ctx.reply(text(market_texts.DELETED.format(name=name), [message_action(market_texts.WORD_MY_PRODUCTS)]))
        return
    if data.step == "no":
        ctx.reply(text(market_texts.NOT_DELETED, [message_action(market_texts.WORD_MY_PRODUCTS)]))
        return
    ctx.reply(contact_card(market_texts.ASK_DELETE.format(name=product.name), market_texts.ASK_DELETE.format(name=product.name), [
        (market_texts.DELETE_NO, postback(DeleteProduct(product.id, "no").pack(), market_texts.DELETE_NO)),
        (market_texts.DELETE_YES, postback(DeleteProduct(product.id, "yes").pack(), market_texts.DELETE_YES)),
    ]))


@router.on_postback(ShowCertificate)
def show_certificate(ctx: Context, data: ShowCertificate) -> None:
    """Sends the printable QR label and the link to the public verification page."""
    product = _owned(ctx, data.product_id)
    if product is None:
        return
    cert = certification.current_certificate(ctx.session, product, ctx.now)
    if cert is None or cert.number is None:
        ctx.reply(text(market_texts.NO_CERTIFICATE, [message_action(market_texts.WORD_MY_PRODUCTS)]))
        return
    base = base_url(ctx)
    page = certification.certificate_url(base, cert.number)
    body = market_texts.CERT_CARD_TEXT.format(number=cert.number, name=product.name,
                                   until=certification.thai_date(cert.valid_until))
    ctx.reply(image(f"{page}/label.png"),
              notice_card(market_texts.CERT_CARD_ALT.format(number=cert.number), body, [(market_texts.OPEN_CERT_PAGE, page)]))


@router.on_postback(Resubmit)
def resubmit(ctx: Context, data: Resubmit) -> None:
    """The vendor asks for (re)certification; staff get the review notice."""
    cert = ctx.attempt(lambda: certification.resubmit(ctx.session, ctx.user_id, data.product_id, ctx.now))
    if cert is None:
        return
    notify_submission(ctx, cert)
    ctx.reply(text(market_texts.RESUBMITTED.format(name=cert.product.name), [message_action(market_texts.WORD_MY_PRODUCTS)]))


# ---- editing price and stock ("แก้ราคา" / "แก้จำนวน") --------------------------------------------------------------------------
def _edit_product(ctx: Context, state: FlowState) -> Product | None:
    return _owned(ctx, int(state.data.get("product_id", 0)))


def ask_new_price(ctx: Context, state: FlowState) -> None:
    product = _edit_product(ctx, state)
    if product is not None:
        ctx.reply(text(market_texts.ASK_NEW_PRICE.format(name=product.name, price=products.format_price(product.price_satang))
                       + f"\n({platform_texts.FLOW_CANCEL_HINT})"))


def answer_new_price(ctx: Context, state: FlowState) -> str | None:
    if ctx.text is None:
        ctx.reply(text(market_texts.PRICE_BAD))
        return None
    try:
        satang = products.parse_price(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    product = ctx.attempt(lambda: products.set_price(ctx.session, ctx.user_id, int(state.data["product_id"]),
                                                      satang, ctx.now))
    if product is not None:
        ctx.reply(text(market_texts.PRICE_SAVED.format(name=product.name, price=products.format_price(product.price_satang)),
                       [message_action(market_texts.WORD_MY_PRODUCTS)]))
    return END


def ask_new_stock(ctx: Context, state: FlowState) -> None:
    product = _edit_product(ctx, state)
    if product is not None:
        ctx.reply(text(market_texts.ASK_NEW_STOCK.format(name=product.name, stock=f"{product.stock:,}", unit=product.unit)
                       + f"\n({platform_texts.FLOW_CANCEL_HINT})"))


def answer_new_stock(ctx: Context, state: FlowState) -> str | None:
    try:
        stock = products.parse_stock(ctx.text or "")
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    product = ctx.attempt(lambda: products.set_stock(ctx.session, ctx.user_id, int(state.data["product_id"]),
                                                      stock, ctx.now))
    if product is not None:
        body = market_texts.STOCK_SAVED.format(name=product.name, stock=f"{product.stock:,}", unit=product.unit)
        if product.stock == 0:
            body += "\n" + market_texts.OUT_OF_STOCK_NOTE
        ctx.reply(text(body, [message_action(market_texts.WORD_MY_PRODUCTS)]))
    return END


def ask_new_commission(ctx: Context, state: FlowState) -> None:
    product = _edit_product(ctx, state)
    if product is not None:
        rate = products.commission_percent(product, ctx.settings.DEFAULT_COMMISSION_PERCENT)
        ctx.reply(text(market_texts.ASK_NEW_COMMISSION.format(name=product.name, percent=rate) + f"\n({platform_texts.FLOW_CANCEL_HINT})",
                       [message_action(f"{choice}%", choice) for choice in market_texts.COMMISSION_CHOICES]))


def answer_new_commission(ctx: Context, state: FlowState) -> str | None:
    try:
        percent = products.parse_commission_percent(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message, [message_action(f"{choice}%", choice) for choice in market_texts.COMMISSION_CHOICES]))
        return None
    product = ctx.attempt(lambda: products.set_commission_percent(
        ctx.session, ctx.user_id, int(state.data["product_id"]), percent, ctx.now))
    if product is not None:
        body = (market_texts.COMMISSION_SAVED if percent else market_texts.COMMISSION_OFF_SAVED).format(name=product.name, percent=percent)
        ctx.reply(text(body, [message_action(market_texts.WORD_MY_PRODUCTS)]))
    return END


EDIT_FIELDS = ("price", "stock", "commission")
edit_flow = router.add_flow(Flow("market_edit", market_texts.EDIT_TITLE, [
    Step("price", ask_new_price, answer_new_price),
    Step("stock", ask_new_stock, answer_new_stock),
    Step("commission", ask_new_commission, answer_new_commission),
]))


@router.on_postback(EditProduct)
def edit_product(ctx: Context, data: EditProduct) -> None:
    """Starts the price, stock or commission rate edit, only for the caller's own product."""
    if data.field not in EDIT_FIELDS or _owned(ctx, data.product_id) is None:
        if data.field not in EDIT_FIELDS:
            ctx.reply(text(platform_texts.STALE_BUTTON))
        return
    edit_flow.start(ctx, {"product_id": data.product_id}, step=data.field)
