"""Community market in chat: the catalog ("ตลาดชุมชน"), search as a fallback, contacting a shop, a vendor's own
products ("สินค้าของฉัน") and their edits, and staff decisions from the chat notices (อนุมัติ / ไม่อนุมัติ).

Registration and posting flows live in handlers/market_vendor.py. Every button's data is re-checked here: who
taps it (staff? the product's own vendor?) is decided on the server, never by the data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote

from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Context, Router
from flex_templates.basic import Message, image, message_action, postback_action, text, with_quick_replies
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
    review_card,
    uri,
)
from models.market import Certification, Product, Vendor
from services import catalog, certification, products, staff, thai_text, vendors
from services.errors import DomainError
from texts import market as T
from texts import platform as PT
from texts.districts import district_name

router = Router("market", order=300)
router.menu_item(T.WORD_CATALOG, order=30)

R = TypeVar("R")


# ---- typed button data (prefixes start with "mk": the market's) ----------------------------------------------------------
@dataclass
class BrowseCategory(PostbackData, prefix="mkcat"):
    category: str  # "" = every category
    page: int


@dataclass
class SearchPage(PostbackData, prefix="mksrch"):
    query: str
    page: int


@dataclass
class ContactShop(PostbackData, prefix="mkcon"):
    product_id: int


@dataclass
class PreviewTap(PostbackData, prefix="mkprev"):
    pass


@dataclass
class MyProducts(PostbackData, prefix="mkmine"):
    page: int


@dataclass
class EditProduct(PostbackData, prefix="mkedit"):
    product_id: int
    field: str  # "price" | "stock"


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


@dataclass
class VendorDecision(PostbackData, prefix="mkvd"):
    vendor_id: int
    approve: bool


@dataclass
class CertDecision(PostbackData, prefix="mkcd"):
    cert_id: int
    approve: bool


# ---- helpers ------------------------------------------------------------------------------------------------------------
def base_url(ctx: Context) -> str:
    return ctx.settings.public_base_url


def admin_ids(ctx: Context) -> tuple[str, ...]:
    return tuple(ctx.settings.ADMIN_LINE_USER_IDS)


def menu_actions(ctx: Context) -> list[dict]:
    return [message_action(item.label, item.text) for item in ctx.cache.get("menu", [])]


def attempt(ctx: Context, fn: Callable[[], R]) -> R | None:
    """Runs a service call in a savepoint; a DomainError is undone and answered with its Thai message."""
    try:
        with ctx.session.begin_nested():
            return fn()
    except DomainError as exc:
        ctx.reply(text(exc.message, menu_actions(ctx)))
        return None


def share_uri(name: str, price: str, page: str) -> str:
    """LINE's share picker with the product's public page link (https://line.me/R/share?text=...)."""
    return "https://line.me/R/share?text=" + quote(T.SHARE_TEXT.format(name=name, price=price, url=page), safe="")


def buyer_card(product: Product, base: str) -> ProductCard:
    """The bubble buyers see: photo, name, price per unit, badge, selling points, district; contact/share/open."""
    page = products.public_url(base, product.id)
    photo = (product.photos or [None])[0]
    return ProductCard(
        name=product.name,
        price_text=products.price_per_unit(product.price_satang, product.unit),
        district_text=T.FROM_DISTRICT.format(district=district_name(product.vendor.district)),
        image_url=products.photo_url(base, photo) if photo else None,
        points=[T.SELLING_POINTS[p] for p in product.selling_points or [] if p in T.SELLING_POINTS],
        badge=T.CERTIFIED_BADGE,
        shop=product.vendor.shop_name,
        buttons=(
            (T.CONTACT, postback(ContactShop(product.id).pack(), T.CONTACT)),
            (T.SHARE, uri(share_uri(product.name, products.format_price(product.price_satang), page))),
            (T.OPEN_PAGE, uri(page)),
        ),
    )


def category_actions() -> list[dict]:
    actions = [postback_action(T.ALL_CATEGORIES, BrowseCategory("", 0).pack(), T.ALL_CATEGORIES)]
    for key, name in T.CATEGORIES.items():
        actions.append(postback_action(name, BrowseCategory(key, 0).pack(), name))
    return actions


def _carousel(alt: str, page: catalog.CatalogPage, base: str, next_data: str | None) -> Message:
    cards = [buyer_card(p, base) for p in page.products]
    more = None
    if page.remaining and next_data:
        more = (T.MORE_TITLE.format(count=f"{page.remaining:,}"), T.MORE_BUTTON, postback(next_data, T.MORE_BUTTON))
    return product_carousel(alt, cards, more, category_actions())


# ---- catalog ---------------------------------------------------------------------------------------------------------------
def category_card(ctx: Context) -> Message:
    """The categories (with how many products each has) as big buttons."""
    counts = catalog.category_counts(ctx.session, ctx.now)
    options = [(f"{T.ALL_CATEGORIES} ({sum(counts.values()):,})",
                postback(BrowseCategory("", 0).pack(), T.ALL_CATEGORIES), False)]
    for key, name in T.CATEGORIES.items():
        options.append((f"{T.CATEGORY_ICONS[key]} {name} ({counts.get(key, 0):,})",
                        postback(BrowseCategory(key, 0).pack(), name), False))
    return choice_card(T.WORD_CATALOG, T.WORD_CATALOG, options)


@router.on_text(T.WORD_CATALOG)
def show_catalog(ctx: Context) -> None:
    """Shows the categories as big buttons, and says that typing a product's name searches."""
    ctx.reply(text(T.CATALOG_INTRO), with_quick_replies(category_card(ctx), _vendor_actions(ctx)))


def _vendor_actions(ctx: Context) -> list[dict]:
    vendor = vendors.get_by_line_user(ctx.session, ctx.user_id)
    if vendor is not None and vendor.status == "approved":
        return [message_action(T.WORD_POST), message_action(T.WORD_MY_PRODUCTS)]
    return [message_action(T.WORD_REGISTER)]


@router.on_postback(BrowseCategory)
def browse_category(ctx: Context, data: BrowseCategory) -> None:
    """A page of listed products of a category (or all), with a "more" bubble for the next page."""
    category = data.category if data.category in T.CATEGORIES else None
    if data.category and category is None:
        ctx.reply(text(PT.STALE_BUTTON, category_actions()))
        return
    page = catalog.browse(ctx.session, ctx.now, category, max(0, min(data.page, 10_000)))
    title = T.CATEGORIES[category] if category else T.ALL_CATEGORIES
    if not page.products:
        ctx.reply(text(T.CATALOG_EMPTY, category_actions()))
        return
    alt = T.CATALOG_ALT.format(title=title, count=f"{page.total:,}")
    ctx.reply(_carousel(alt, page, base_url(ctx), BrowseCategory(data.category, page.page + 1).pack()))


def _search(ctx: Context, query: catalog.Query, page_number: int) -> None:
    """Answers a search: the results as a carousel, or "ไม่พบสินค้า “…”" with the category buttons."""
    found = catalog.find(ctx.session, ctx.now, query, page_number)
    if not found.page.products and found.page.total:  # an old "more" button past the end: from the start
        found = catalog.find(ctx.session, ctx.now, query, 0)
    page, shown = found.page, thai_text.shorten(found.query, 30)
    if not page.products:
        ctx.reply(text(T.SEARCH_NOT_FOUND.format(query=shown)), with_quick_replies(category_card(ctx),
                                                                                   menu_actions(ctx)))
        return
    try:
        next_data: str | None = SearchPage(found.text, page.page + 1).pack()
    except ValueError:  # a long Thai query does not fit LINE's 300-character postback data: first page only
        next_data = None
    alt = T.SEARCH_ALT.format(query=shown, count=f"{page.total:,}")
    if page.page == 0:
        ctx.reply(text(T.SEARCH_FOUND.format(query=shown, count=f"{page.total:,}")))
    ctx.reply(_carousel(alt, page, base_url(ctx), next_data))


@router.fallback
def search_catalog(ctx: Context) -> bool:
    """Free text that names something searches the catalog (found, or "ไม่พบสินค้า" with the categories); text
    that is no search at all (greetings, emoji, numbers, sentences: catalog.chat_query) gets the help answer."""
    query = catalog.chat_query(ctx.text)
    if query is None:
        return False
    _search(ctx, query, 0)
    return True


@router.on_postback(SearchPage)
def search_page(ctx: Context, data: SearchPage) -> None:
    """The next page of a search ("ดูเพิ่มเติม")."""
    query = catalog.read_query(data.query)
    if query is None:
        ctx.reply(text(PT.STALE_BUTTON, category_actions()))
        return
    _search(ctx, query, max(0, min(data.page, catalog.PAGE_MAX)))


# ---- contacting a shop -------------------------------------------------------------------------------------------------------
def _contact(ctx: Context, product_id: int) -> None:
    product = attempt(ctx, lambda: catalog.listed_product(ctx.session, product_id, ctx.now))
    if product is None:
        return
    vendor = product.vendor
    body = T.CONTACT_TEXT.format(
        shop=vendor.shop_name, district=district_name(vendor.district), name=product.name,
        price=products.price_per_unit(product.price_satang, product.unit),
        delivery=vendors.delivery_names(vendor.delivery_options or []), address=vendor.pickup_address or T.NONE)
    if vendor.promptpay_id:
        body += "\n" + T.PROMPTPAY_LINE.format(promptpay=vendor.promptpay_id)
    buttons = []
    if vendor.phone:
        buttons.append((T.CALL, uri(f"tel:{vendor.phone}")))
    if vendor.line_url:
        buttons.append((T.CHAT_SHOP, uri(vendor.line_url)))
    if vendor.facebook_url:
        buttons.append((T.FACEBOOK, uri(vendor.facebook_url)))
    buttons.append((T.OPEN_PAGE, uri(products.public_url(base_url(ctx), product.id))))
    ctx.reply(contact_card(T.CONTACT_ALT.format(shop=vendor.shop_name), body, buttons))


@router.on_postback(ContactShop)
def contact_shop(ctx: Context, data: ContactShop) -> None:
    """How to reach the shop of a listed product: phone, Facebook page, pickup address, delivery."""
    _contact(ctx, data.product_id)


ASK_ABOUT = re.compile(r"สนใจสินค้า\s*#\s*(\d{1,9})")


@router.on_text(pattern=r"สนใจสินค้า\s*#\s*\d{1,9}.*")
def ask_about_product(ctx: Context) -> None:
    """The public page's "ask in LINE" link types "สนใจสินค้า #12": answer with the shop's contact card."""
    match = ASK_ABOUT.match(ctx.text or "")
    if match:
        _contact(ctx, int(match.group(1)))


@router.on_postback(PreviewTap)
def preview_tap(ctx: Context, data: PreviewTap) -> None:
    ctx.reply(text(T.PREVIEW_BUTTON_NOTE))


# ---- my products -------------------------------------------------------------------------------------------------------------
STATUS_COLOURS = {"certified": DEEP_GREEN, "submitted": AMBER, "rejected": RED, "expired": RED, "revoked": RED}


def owner_card(ctx: Context, product: Product, vendor: Vendor) -> ProductCard:
    """The vendor's own view of a product: its certification state and the buttons to manage it."""
    base = base_url(ctx)
    photo = (product.photos or [None])[0]
    lines: list[tuple[str, str]] = []
    status = product.cert_status
    label = T.CERT_STATUS.get(status, status)
    if status == "certified" and product.certified_until:
        label += " " + T.VALID_UNTIL_LINE.format(date=certification.thai_date(product.certified_until))
    lines.append((label, STATUS_COLOURS.get(status, TEXT_MUTED)))
    pending_review = certification.pending(ctx.session, product)
    if pending_review is not None and status != "submitted":
        lines.append((T.CERT_STATUS["submitted"], AMBER))
    if status in ("rejected", "revoked"):
        last = certification.latest(ctx.session, product)
        if last is not None and last.reason:
            lines.append((T.REASON_LINE.format(reason=last.reason), RED))
    lines.append((T.STOCK_LINE.format(stock=f"{product.stock:,}", unit=product.unit), TEXT_MUTED))
    if product.hidden:
        lines.append((T.HIDDEN_TAG, AMBER))
    buttons: list[tuple[str, dict]] = [
        (T.EDIT_PRICE, postback(EditProduct(product.id, "price").pack(), T.EDIT_PRICE)),
        (T.EDIT_STOCK, postback(EditProduct(product.id, "stock").pack(), T.EDIT_STOCK)),
        (T.SHOW if product.hidden else T.HIDE,
         postback(HideProduct(product.id, not product.hidden).pack(), T.SHOW if product.hidden else T.HIDE)),
    ]
    if status == "certified":
        buttons.append((T.CERTIFICATE, postback(ShowCertificate(product.id).pack(), T.CERTIFICATE)))
    if pending_review is None:
        renewable = status != "certified" or (
            product.certified_until is not None and product.certified_until - ctx.now <= certification.RENEWAL_WINDOW)
        if renewable:
            word = T.RENEW if status == "certified" else T.RESUBMIT
            buttons.append((word, postback(Resubmit(product.id).pack(), word)))
    buttons.append((T.DELETE, postback(DeleteProduct(product.id, "ask").pack(), T.DELETE)))
    return ProductCard(
        name=product.name, price_text=products.price_per_unit(product.price_satang, product.unit),
        district_text=T.FROM_DISTRICT.format(district=district_name(vendor.district)),
        image_url=products.photo_url(base, photo) if photo else None,
        points=[T.SELLING_POINTS[p] for p in product.selling_points or [] if p in T.SELLING_POINTS],
        status_lines=lines, buttons=buttons, primary_first=False,
    )


def _my_products(ctx: Context, page_number: int) -> None:
    vendor = vendors.get_by_line_user(ctx.session, ctx.user_id)
    if vendor is None or vendor.status == "rejected":
        ctx.reply(text(T.NOT_A_VENDOR, [message_action(T.WORD_REGISTER)]))
        return
    if vendor.status == "pending":
        ctx.reply(text(T.VENDOR_NOT_APPROVED.format(shop=vendor.shop_name), menu_actions(ctx)))
        return
    items = products.list_for_vendor(ctx.session, vendor)
    if not items:
        ctx.reply(text(T.MY_PRODUCTS_EMPTY, [message_action(T.WORD_POST)]))
        return
    size = catalog.PAGE_SIZE
    page_number = max(0, min(page_number, (len(items) - 1) // size))
    shown = items[page_number * size:(page_number + 1) * size]
    remaining = len(items) - (page_number + 1) * size
    more = None
    if remaining > 0:
        more = (T.MORE_TITLE.format(count=f"{remaining:,}"), T.MORE_BUTTON,
                postback(MyProducts(page_number + 1).pack(), T.MORE_BUTTON))
    if page_number == 0:
        ctx.reply(text(T.MY_PRODUCTS_INTRO.format(shop=vendor.shop_name, count=f"{len(items):,}")))
    ctx.reply(product_carousel(T.MY_PRODUCTS_ALT.format(count=len(items)),
                               [owner_card(ctx, p, vendor) for p in shown], more,
                               [message_action(T.WORD_POST), message_action(T.WORD_CATALOG)]))


@router.on_text(T.WORD_MY_PRODUCTS)
def my_products(ctx: Context) -> None:
    """Lists the vendor's own products with their certification state and buttons to manage them."""
    _my_products(ctx, 0)


@router.on_postback(MyProducts)
def my_products_page(ctx: Context, data: MyProducts) -> None:
    _my_products(ctx, data.page)


def _owned(ctx: Context, product_id: int) -> Product | None:
    return attempt(ctx, lambda: products.owned_product(ctx.session, ctx.user_id, product_id))


@router.on_postback(HideProduct)
def hide_product(ctx: Context, data: HideProduct) -> None:
    product = attempt(ctx, lambda: products.set_hidden(ctx.session, ctx.user_id, data.product_id, data.hidden,
                                                       ctx.now))
    if product is not None:
        body = (T.HIDDEN_DONE if product.hidden else T.SHOWN_DONE).format(name=product.name)
        ctx.reply(text(body, [message_action(T.WORD_MY_PRODUCTS)]))


@router.on_postback(DeleteProduct)
def delete_product(ctx: Context, data: DeleteProduct) -> None:
    """Asks before deleting; deletes only the caller's own product."""
    product = _owned(ctx, data.product_id)
    if product is None:
        return
    if data.step == "yes":
        name = product.name
        if attempt(ctx, lambda: products.delete_own(ctx.session, ctx.user_id, data.product_id, ctx.now)):
            ctx.reply(text(T.DELETED.format(name=name), [message_action(T.WORD_MY_PRODUCTS)]))
        return
    if data.step == "no":
        ctx.reply(text(T.NOT_DELETED, [message_action(T.WORD_MY_PRODUCTS)]))
        return
    ctx.reply(contact_card(T.ASK_DELETE.format(name=product.name), T.ASK_DELETE.format(name=product.name), [
        (T.DELETE_NO, postback(DeleteProduct(product.id, "no").pack(), T.DELETE_NO)),
        (T.DELETE_YES, postback(DeleteProduct(product.id, "yes").pack(), T.DELETE_YES)),
    ]))


@router.on_postback(ShowCertificate)
def show_certificate(ctx: Context, data: ShowCertificate) -> None:
    """Sends the printable QR label and the link to the public verification page."""
    product = _owned(ctx, data.product_id)
    if product is None:
        return
    cert = certification.current_certificate(ctx.session, product, ctx.now)
    if cert is None or cert.number is None:
        ctx.reply(text(T.NO_CERTIFICATE, [message_action(T.WORD_MY_PRODUCTS)]))
        return
    base = base_url(ctx)
    page = certification.certificate_url(base, cert.number)
    body = T.CERT_CARD_TEXT.format(number=cert.number, name=product.name,
                                   until=certification.thai_date(cert.valid_until))
    ctx.reply(image(f"{page}/label.png"),
              notice_card(T.CERT_CARD_ALT.format(number=cert.number), body, [(T.OPEN_CERT_PAGE, page)]))


@router.on_postback(Resubmit)
def resubmit(ctx: Context, data: Resubmit) -> None:
    """The vendor asks for (re)certification; staff get the review notice."""
    cert = attempt(ctx, lambda: certification.resubmit(ctx.session, ctx.user_id, data.product_id, ctx.now))
    if cert is None:
        return
    notify_product_review(ctx, cert)
    ctx.reply(text(T.RESUBMITTED.format(name=cert.product.name), [message_action(T.WORD_MY_PRODUCTS)]))


# ---- editing price and stock ("แก้ราคา" / "แก้จำนวน") --------------------------------------------------------------------------
def _edit_product(ctx: Context, state: FlowState) -> Product | None:
    return _owned(ctx, int(state.data.get("product_id", 0)))


def ask_price(ctx: Context, state: FlowState) -> None:
    product = _edit_product(ctx, state)
    if product is not None:
        ctx.reply(text(T.ASK_NEW_PRICE.format(name=product.name, price=products.format_price(product.price_satang))
                       + f"\n({PT.FLOW_CANCEL_HINT})"))


def answer_price(ctx: Context, state: FlowState) -> str | None:
    if ctx.text is None:
        ctx.reply(text(T.PRICE_BAD))
        return None
    try:
        satang = products.parse_price(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    product = attempt(ctx, lambda: products.set_price(ctx.session, ctx.user_id, int(state.data["product_id"]),
                                                      satang, ctx.now))
    if product is not None:
        ctx.reply(text(T.PRICE_SAVED.format(name=product.name, price=products.format_price(product.price_satang)),
                       [message_action(T.WORD_MY_PRODUCTS)]))
    return END


def ask_stock(ctx: Context, state: FlowState) -> None:
    product = _edit_product(ctx, state)
    if product is not None:
        ctx.reply(text(T.ASK_NEW_STOCK.format(name=product.name, stock=f"{product.stock:,}", unit=product.unit)
                       + f"\n({PT.FLOW_CANCEL_HINT})"))


def answer_stock(ctx: Context, state: FlowState) -> str | None:
    try:
        stock = products.parse_stock(ctx.text or "")
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    product = attempt(ctx, lambda: products.set_stock(ctx.session, ctx.user_id, int(state.data["product_id"]),
                                                      stock, ctx.now))
    if product is not None:
        body = T.STOCK_SAVED.format(name=product.name, stock=f"{product.stock:,}", unit=product.unit)
        if product.stock == 0:
            body += "\n" + T.OUT_OF_STOCK_NOTE
        ctx.reply(text(body, [message_action(T.WORD_MY_PRODUCTS)]))
    return END


edit_flow = router.add_flow(Flow("market_edit", T.EDIT_TITLE, [
    Step("price", ask_price, answer_price),
    Step("stock", ask_stock, answer_stock),
]))


@router.on_postback(EditProduct)
def edit_product(ctx: Context, data: EditProduct) -> None:
    """Starts the price or stock edit, only for the caller's own product."""
    if data.field not in ("price", "stock") or _owned(ctx, data.product_id) is None:
        if data.field not in ("price", "stock"):
            ctx.reply(text(PT.STALE_BUTTON))
        return
    edit_flow.start(ctx, {"product_id": data.product_id}, step=data.field)


# ---- staff review in chat ---------------------------------------------------------------------------------------------------------
def is_staff(ctx: Context) -> bool:
    return staff.is_staff(ctx.session, ctx.user_id, admin_ids(ctx))


def notify_vendor_review(ctx: Context, vendor: Vendor) -> None:
    """Sends staff the new shop with อนุมัติ / ไม่อนุมัติ buttons."""
    body = T.STAFF_NEW_VENDOR.format(
        shop=vendor.shop_name, district=district_name(vendor.district), owner=vendor.owner_name or T.NONE,
        phone=vendor.phone or T.NONE, delivery=vendors.delivery_names(vendor.delivery_options or []))
    same_name = vendors.same_name_shop(ctx.session, vendor.shop_name, vendor.line_user_id)
    if same_name is not None:
        body += "\n" + T.STAFF_SAME_NAME_NOTE.format(shop=same_name.shop_name,
                                                     district=district_name(same_name.district))
    card = review_card(
        T.STAFF_NEW_VENDOR_ALT.format(shop=vendor.shop_name), T.CONSOLE_PENDING_VENDORS, body,
        (T.WORD_APPROVE, postback(VendorDecision(vendor.id, True).pack(), T.WORD_APPROVE)),
        (T.WORD_REJECT, postback(VendorDecision(vendor.id, False).pack(), T.WORD_REJECT)),
        link=(T.CONSOLE_OPEN, uri(f"{base_url(ctx)}/console/market/vendors/{vendor.id}")),
    )
    vendors.notify_reviewers(ctx.session, [card], ctx.now, admin_ids(ctx), source=f"market-vendor:{vendor.id}")


def notify_product_review(ctx: Context, cert: Certification) -> None:
    """Sends staff a submitted product with อนุมัติ / ไม่อนุมัติ buttons."""
    product = cert.product
    base = base_url(ctx)
    photo = (product.photos or [None])[0]
    body = T.STAFF_NEW_PRODUCT.format(id=product.id, shop=product.vendor.shop_name,
                                      district=district_name(product.vendor.district),
                                      description=product.description[:300])
    title = f"{product.name} · {products.price_per_unit(product.price_satang, product.unit)}"
    card = review_card(
        T.STAFF_NEW_PRODUCT_ALT.format(name=product.name), title, body,
        (T.WORD_APPROVE, postback(CertDecision(cert.id, True).pack(), T.WORD_APPROVE)),
        (T.WORD_REJECT, postback(CertDecision(cert.id, False).pack(), T.WORD_REJECT)),
        image_url=products.photo_url(base, photo) if photo else None,
        link=(T.CONSOLE_OPEN, uri(f"{base}/console/market/products/{product.id}")),
    )
    vendors.notify_reviewers(ctx.session, [card], ctx.now, admin_ids(ctx), source=f"market-cert:{cert.id}")


@router.on_postback(VendorDecision)
def vendor_decision(ctx: Context, data: VendorDecision) -> None:
    """อนุมัติ approves the shop at once; ไม่อนุมัติ asks the reason first. Staff only, checked now."""
    if not is_staff(ctx):
        ctx.reply(text(T.STAFF_ONLY, menu_actions(ctx)))
        return
    vendor = ctx.session.get(Vendor, data.vendor_id)
    if vendor is None or vendor.erased_at is not None:
        ctx.reply(text(T.API_VENDOR_NOT_FOUND))
        return
    if vendor.status != "pending":
        ctx.reply(text(T.ALREADY_DECIDED.format(status=T.VENDOR_STATUS.get(vendor.status, vendor.status))))
        return
    if data.approve:
        done = attempt(ctx, lambda: vendors.approve(ctx.session, vendor.id, ctx.user_id, ctx.now, admin_ids(ctx)))
        if done is not None:
            ctx.reply(text(T.STAFF_VENDOR_APPROVED.format(shop=done.shop_name)))
        return
    reason_flow.start(ctx, {"kind": "vendor", "id": vendor.id, "name": vendor.shop_name})


@router.on_postback(CertDecision)
def cert_decision(ctx: Context, data: CertDecision) -> None:
    """อนุมัติ certifies the product; ไม่อนุมัติ asks the reason the vendor will see. Staff only, checked now."""
    if not is_staff(ctx):
        ctx.reply(text(T.STAFF_ONLY, menu_actions(ctx)))
        return
    cert = ctx.session.get(Certification, data.cert_id)
    if cert is None:
        ctx.reply(text(T.API_CERT_NOT_FOUND))
        return
    if cert.status != "submitted":
        ctx.reply(text(T.ALREADY_DECIDED.format(status=T.CERT_STATUS.get(cert.status, cert.status))))
        return
    if data.approve:
        done = attempt(ctx, lambda: certification.approve(ctx.session, cert.id, ctx.user_id, ctx.now, base_url(ctx),
                                                          admin_ids(ctx)))
        if done is not None:
            ctx.reply(text(T.STAFF_CERTIFIED.format(name=done.product.name, number=done.number,
                                                    until=certification.thai_date(done.valid_until))))
        return
    reason_flow.start(ctx, {"kind": "cert", "id": cert.id, "name": cert.product.name})


def ask_reason(ctx: Context, state: FlowState) -> None:
    reasons = T.VENDOR_REJECT_REASONS if state.data.get("kind") == "vendor" else T.REJECT_REASONS
    ctx.reply(text(T.ASK_REJECT_REASON.format(name=state.data.get("name", "")) + f"\n({PT.FLOW_CANCEL_HINT})",
                   [message_action(r) for r in reasons]))


def answer_reason(ctx: Context, state: FlowState) -> str | None:
    if ctx.text is None:
        ctx.reply(text(T.REASON_BAD.format(max=vendors.REASON_MAX)))
        return None
    reason = ctx.text
    try:
        vendors.clean_reason(reason)
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    target = int(state.data.get("id", 0))
    if state.data.get("kind") == "vendor":
        vendor = attempt(ctx, lambda: vendors.reject(ctx.session, target, ctx.user_id, reason, ctx.now,
                                                     admin_ids(ctx)))
        if vendor is not None:
            ctx.reply(text(T.STAFF_VENDOR_REJECTED.format(shop=vendor.shop_name)))
    else:
        cert = attempt(ctx, lambda: certification.reject(ctx.session, target, ctx.user_id, reason, ctx.now,
                                                         admin_ids(ctx)))
        if cert is not None:
            ctx.reply(text(T.STAFF_REJECTED.format(name=cert.product.name)))
    return END


def _staff_guard(ctx: Context) -> bool:
    if is_staff(ctx):
        return True
    ctx.reply(text(T.STAFF_ONLY, menu_actions(ctx)))
    return False


reason_flow = router.add_flow(Flow("market_reason", T.REASON_TITLE, [Step("reason", ask_reason, answer_reason)],
                                   guard=_staff_guard))


