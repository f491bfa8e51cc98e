"""Community market for buyers in chat: the catalog ("ตลาดชุมชน") by category, search as a fallback for free text,
product cards with contact and share buttons, and contacting a shop (also from the public page's "สนใจสินค้า #12").

A vendor's registration, posting and own products are in handlers/market_vendor.py; staff review of shops and
products is in handlers/market_review.py. Every button's data is re-checked: only listed products are shown or
contacted, whatever the data says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from bot.context import Context
from bot.postback import PostbackData
from bot.router import Router
from flex_templates.basic import Message, message_action, postback_action, text, with_quick_replies
from flex_templates.market import ProductCard, choice_card, contact_card, postback, product_carousel, say, uri
from handlers.referrals import ShareProduct
from models.market import Product
from services import buyer_feedback, catalog, order_links, products, referrals, share_visits, thai_text, vendors
from texts import market as market_texts
from texts import orders as orders_texts
from texts import platform as platform_texts
from texts.districts import district_name

router = Router("market")
router.menu_item(market_texts.WORD_CATALOG, order=30)



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


# ---- helpers ------------------------------------------------------------------------------------------------------------
def base_url(ctx: Context) -> str:
    return ctx.settings.public_base_url



def share_uri(name: str, price: str, page: str) -> str:
    """LINE's share picker with the product's public page link (https://line.me/R/share?text=...)."""
    shared = market_texts.SHARE_TEXT.format(name=name, price=price, url=page)
    return "https://line.me/R/share?text=" + quote(shared, safe="")


def buyer_card(product: Product, base: str, *, personal_share: bool = False,
               rating: buyer_feedback.Rating | None = None) -> ProductCard:
    """The bubble buyers see: photo, name, price per unit, buyers' rating (from 5 answers), badge, selling points,
    district; order/contact/share/open. With `personal_share` (an active share-and-earn member, a product in the
    programme) "แชร์" asks the bot for the member's own link; otherwise it shares the plain product page."""
    page = products.public_url(base, product.id)
    photo = (product.photos or [None])[0]
    if personal_share:
        share = postback(ShareProduct(product.id).pack(), market_texts.SHARE)
    else:
        share = uri(share_uri(product.name, products.format_price(product.price_satang),
                              share_visits.tagged(page, "line")))
    return ProductCard(
        name=product.name,
        price_text=products.price_per_unit(product.price_satang, product.unit),
        district_text=market_texts.FROM_DISTRICT.format(district=district_name(product.vendor.district)),
        image_url=products.photo_url(base, photo) if photo else None,
        points=[market_texts.SELLING_POINTS[p] for p in product.selling_points or []
                if p in market_texts.SELLING_POINTS],
        badge=market_texts.CERTIFIED_BADGE,
        shop=product.vendor.shop_name,
        rating=buyer_feedback.rating_text(rating),
        buttons=(
            (orders_texts.WORD_ORDER, say(order_links.order_text(product.id, product.name))),
            (market_texts.CONTACT, postback(ContactShop(product.id).pack(), market_texts.CONTACT)),
            (market_texts.SHARE, share),
            (market_texts.OPEN_PAGE, uri(page)),
        ),
    )


def category_actions() -> list[dict]:
    actions = [postback_action(market_texts.ALL_CATEGORIES, BrowseCategory("", 0).pack(), market_texts.ALL_CATEGORIES)]
    for key, name in market_texts.CATEGORIES.items():
        actions.append(postback_action(name, BrowseCategory(key, 0).pack(), name))
    return actions


def _carousel(ctx: Context, alt: str, page: catalog.CatalogPage, next_data: str | None) -> Message:
    # One membership read per page, not per bubble.
    member = referrals.get_sharer(ctx.session, ctx.user_id) is not None
    default_percent = ctx.settings.DEFAULT_COMMISSION_PERCENT
    ratings = buyer_feedback.product_ratings(ctx.session, [p.id for p in page.products])  # one query per page
    cards = [buyer_card(p, base_url(ctx), personal_share=member and products.in_share_programme(p, default_percent),
                        rating=ratings.get(p.id))
             for p in page.products]
    more = None
    if page.remaining and next_data:
        more = (market_texts.MORE_TITLE.format(count=f"{page.remaining:,}"), market_texts.MORE_BUTTON,
                postback(next_data, market_texts.MORE_BUTTON))
    return product_carousel(alt, cards, more, category_actions())


# ---- catalog ---------------------------------------------------------------------------------------------------------------
def category_card(ctx: Context) -> Message:
    """The categories (with how many products each has) as big buttons."""
    counts = catalog.category_counts(ctx.session, ctx.now)
    options = [(f"{market_texts.ALL_CATEGORIES} ({sum(counts.values()):,})",
                postback(BrowseCategory("", 0).pack(), market_texts.ALL_CATEGORIES), False)]
    for key, name in market_texts.CATEGORIES.items():
        options.append((f"{market_texts.CATEGORY_ICONS[key]} {name} ({counts.get(key, 0):,})",
                        postback(BrowseCategory(key, 0).pack(), name), False))
    return choice_card(market_texts.WORD_CATALOG, market_texts.WORD_CATALOG, options)


@router.on_text(market_texts.WORD_CATALOG)
def show_catalog(ctx: Context) -> None:
    """Shows the categories as big buttons, and says that typing a product's name searches."""
    ctx.reply(text(market_texts.CATALOG_INTRO), with_quick_replies(category_card(ctx), _vendor_actions(ctx)))


def _vendor_actions(ctx: Context) -> list[dict]:
    vendor = vendors.get_by_line_user(ctx.session, ctx.user_id)
    if vendor is not None and vendor.status == "approved":
        return [message_action(market_texts.WORD_MY_PRODUCTS), message_action(orders_texts.WORD_SHOP_ORDERS),
                message_action(orders_texts.WORD_MY_ORDERS)]
    return [message_action(orders_texts.WORD_MY_ORDERS), message_action(market_texts.WORD_REGISTER)]


@router.on_postback(BrowseCategory)
def browse_category(ctx: Context, data: BrowseCategory) -> None:
    """A page of listed products of a category (or all), with a "more" bubble for the next page."""
    category = data.category if data.category in market_texts.CATEGORIES else None
    if data.category and category is None:
        ctx.reply(text(platform_texts.STALE_BUTTON, category_actions()))
        return
    page = catalog.browse(ctx.session, ctx.now, category, max(0, min(data.page, 10_000)))
    title = market_texts.CATEGORIES[category] if category else market_texts.ALL_CATEGORIES
    if not page.products:
        ctx.reply(text(market_texts.CATALOG_EMPTY, category_actions()))
        return
    alt = market_texts.CATALOG_ALT.format(title=title, count=f"{page.total:,}")
    ctx.reply(_carousel(ctx, alt, page, BrowseCategory(data.category, page.page + 1).pack()))


def _search(ctx: Context, query: catalog.Query, page_number: int) -> None:
    """Answers a search: the results as a carousel, or "ไม่พบสินค้า “…”" with the category buttons."""
    found = catalog.find(ctx.session, ctx.now, query, page_number)
    if not found.page.products and found.page.total:  # an old "more" button past the end: from the start
        found = catalog.find(ctx.session, ctx.now, query, 0)
    page, shown = found.page, thai_text.shorten(found.query, 30)
    if not page.products:
        ctx.reply(text(market_texts.SEARCH_NOT_FOUND.format(query=shown)), with_quick_replies(category_card(ctx),
                                                                                              ctx.menu_actions()))
        return
    try:
        next_data: str | None = SearchPage(found.text, page.page + 1).pack()
    except ValueError:  # a long Thai query does not fit LINE's 300-character postback data: first page only
        next_data = None
    alt = market_texts.SEARCH_ALT.format(query=shown, count=f"{page.total:,}")
    if page.page == 0:
        ctx.reply(text(market_texts.SEARCH_FOUND.format(query=shown, count=f"{page.total:,}")))
    ctx.reply(_carousel(ctx, alt, page, next_data))


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
        ctx.reply(text(platform_texts.STALE_BUTTON, category_actions()))
        return
    _search(ctx, query, max(0, min(data.page, catalog.PAGE_MAX)))


# ---- contacting a shop -------------------------------------------------------------------------------------------------------
def _contact(ctx: Context, product_id: int) -> None:
    product = ctx.attempt(lambda: catalog.listed_product(ctx.session, product_id, ctx.now))
    if product is None:
        return
    vendor = product.vendor
    body = market_texts.CONTACT_TEXT.format(
        shop=vendor.shop_name, district=district_name(vendor.district), name=product.name,
        price=products.price_per_unit(product.price_satang, product.unit),
        delivery=vendors.delivery_names(vendor.delivery_options or []),
        address=vendor.pickup_address or market_texts.NONE)
    if vendor.promptpay_id:
        body += "\n" + market_texts.PROMPTPAY_LINE.format(promptpay=vendor.promptpay_id)
    buttons = []
    if vendor.phone:
        buttons.append((market_texts.CALL, uri(f"tel:{vendor.phone}")))
    if vendor.line_url:
        buttons.append((market_texts.CHAT_SHOP, uri(vendor.line_url)))
    if vendor.facebook_url:
        buttons.append((market_texts.FACEBOOK, uri(vendor.facebook_url)))
    buttons.append((market_texts.OPEN_PAGE, uri(products.public_url(base_url(ctx), product.id))))
    ctx.reply(contact_card(market_texts.CONTACT_ALT.format(shop=vendor.shop_name), body, buttons))


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
