"""Buyers' orders in chat: "สั่งซื้อ" from a product bubble or the product page's pre-filled text, the order flow,
paying by PromptPay (slip photo), "ได้รับสินค้าแล้ว", cancelling, and "คำสั่งซื้อของฉัน"."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from config import ensure_secret_key
from flex_templates.basic import camera_roll_action, message_action, postback_action, text
from flex_templates.orders import Button, order_message, orders_carousel
from models.market import Product, Vendor
from models.orders import Order
from models.platform import Conversation
from services import consent, contact_details, images, order_links, orders, products, referrals
from services.errors import DomainError
from texts import orders as orders_texts

router = Router("orders")

FLOW_NAME = "order"
LIST_SIZE = 10
QUANTITY_BUTTONS = (1, 2, 3, 5)


# ---- typed postbacks (the shop's are answered in handlers/orders_vendor.py) ---------------------------------------------
@dataclass
class StartOrder(PostbackData, prefix="odst"):
    product_id: int
    code: str | None = None
    again: bool = False


@dataclass
class ConfirmOrder(PostbackData, prefix="odcf"):
    key: str


@dataclass
class CancelOrder(PostbackData, prefix="odca"):
    order_id: int


@dataclass
class ConfirmCancelOrder(PostbackData, prefix="odcy"):
    order_id: int


@dataclass
class KeepOrder(PostbackData, prefix="odkp"):
    order_id: int


@dataclass
class MarkReceived(PostbackData, prefix="odrc"):
    order_id: int


@dataclass
class ShowQr(PostbackData, prefix="odqr"):
    order_id: int


@dataclass
class SendSlip(PostbackData, prefix="odsl"):
    order_id: int


@dataclass
class Accept(PostbackData, prefix="odac"):
    order_id: int


@dataclass
class Decline(PostbackData, prefix="oddc"):
    order_id: int


@dataclass
class ConfirmPaid(PostbackData, prefix="odpd"):
    order_id: int


@dataclass
class Ship(PostbackData, prefix="odsh"):
    order_id: int


@dataclass
class ShopCancel(PostbackData, prefix="odsc"):
    order_id: int


@dataclass
class Refund(PostbackData, prefix="odrf"):
    order_id: int


_ACTIONS: dict[str, Callable[[int], PostbackData]] = {
    "cancel": CancelOrder, "received": MarkReceived, "qr": ShowQr, "slip": SendSlip, "accept": Accept,
    "decline": Decline, "paid": ConfirmPaid, "ship": Ship, "shop_cancel": ShopCancel, "refund": Refund,
}


def pack(action: str, order_id: int) -> str:
    """The postback data of an order's button (services/orders.py names the actions; the chat answers them)."""
    return _ACTIONS[action](order_id).pack()


def secret(ctx: Context) -> str:
    return ensure_secret_key(ctx.settings)


def base_url(ctx: Context) -> str:
    return ctx.settings.public_base_url


def buyer_menu() -> list[dict]:
    return [message_action(orders_texts.WORD_MY_ORDERS), message_action(orders_texts.WORD_CATALOG)]


def sorry(ctx: Context, exc: DomainError, buttons: list[dict] | None = None) -> None:
    ctx.reply(text(exc.message, buttons if buttons is not None else buyer_menu()))


def order_card_message(ctx: Context, order: Order, *, for_shop: bool, title: str | None = None) -> dict:
    actions = orders.vendor_actions(order) if for_shop else orders.buyer_actions(order)
    card = orders.card(ctx.session, order, for_shop=for_shop, title=title,
                       buttons=orders.buttons(order, actions, pack))
    return order_message(card.title, card)


# ---- starting ----------------------------------------------------------------------------------------------------------
@router.on_text(pattern=r"สั่งซื้อ\s*(?:สินค้า\s*)?#\s*\d{1,9}.*")
def order_text(ctx: Context) -> None:
    """Starts an order from the text the product page pre-fills (or the catalog's "สั่งซื้อ" types)."""
    request = order_links.parse_order_text(ctx.text)
    if request is None or ctx.user_id is None:
        return
    start(ctx, request.product_id, request.code, again=False)


@router.on_postback(StartOrder)
def order_button(ctx: Context, data: StartOrder) -> None:
    """Starts an order from a button (the simulator's path when no LINE OA id is set, and "สั่งอีกรายการ")."""
    if ctx.user_id is None:
        return
    start(ctx, data.product_id, data.code, again=data.again)


def start(ctx: Context, product_id: int, code: str | None, *, again: bool) -> None:
    """Records the referral code, refuses what cannot be ordered, and opens the order flow."""
    assert ctx.user_id is not None
    if code:
        referrals.record_touch(ctx.session, ctx.user_id, code, product_id, ctx.now)
    try:
        product = orders.orderable(ctx.session, product_id, ctx.user_id, ctx.now)
    except DomainError as exc:
        sorry(ctx, exc)
        return
    if not again:
        existing = orders.open_duplicate(ctx.session, ctx.user_id, product.id)
        if existing is not None:
            ctx.reply(text(orders_texts.ALREADY_ORDERED.format(
                product=existing.product_name, number=orders.number(existing), status=orders.status_text(existing))),
                order_card_message(ctx, existing, for_shop=False) | {"quickReply": {"items": [
                    {"type": "action", "action": postback_action(
                        orders_texts.WORD_ORDER_AGAIN, StartOrder(product.id, code, True).pack(),
                        orders_texts.WORD_ORDER_AGAIN)},
                    {"type": "action", "action": message_action(orders_texts.WORD_MY_ORDERS)}]}})
            return
    data = {"key": uuid.uuid4().hex, "product_id": product.id}
    step = "consent" if orders.needs_consent(ctx.session, ctx.user_id) else "quantity"
    order_flow.start(ctx, data, step=step)


def _product(ctx: Context, state: FlowState) -> Product | None:
    """The product still orderable, or None (the buyer was told why)."""
    try:
        return orders.orderable(ctx.session, int(state.data["product_id"]), ctx.user_id or "", ctx.now)
    except DomainError as exc:
        sorry(ctx, exc)
        return None


def _cancel_button() -> dict:
    return message_action(orders_texts.WORD_CANCEL)


# ---- consent -------------------------------------------------------------------------------------------------------
def ask_consent(ctx: Context, state: FlowState) -> None:
    product = ctx.session.get(Product, int(state.data["product_id"]))
    ctx.reply(text(orders_texts.CONSENT_ASK.format(shop=product.vendor.shop_name),
                   [message_action(orders_texts.WORD_CONSENT_YES), message_action(orders_texts.WORD_CONSENT_NO)]))


def answer_consent(ctx: Context, state: FlowState) -> str | None:
    if ctx.text == orders_texts.WORD_CONSENT_YES:
        consent.grant(ctx.session, ctx.user_id, consent.MARKET_BUYER, ctx.now)
        return "quantity"
    if ctx.text == orders_texts.WORD_CONSENT_NO:
        ctx.reply(text(orders_texts.CONSENT_DECLINED, [message_action(orders_texts.WORD_CATALOG)]))
        return END
    ctx.reply(text(orders_texts.CONSENT_PLEASE_TAP,
                   [message_action(orders_texts.WORD_CONSENT_YES), message_action(orders_texts.WORD_CONSENT_NO)]))
    return None


# ---- quantity ------------------------------------------------------------------------------------------------------
def ask_quantity(ctx: Context, state: FlowState) -> None:
    product = _product(ctx, state)
    if product is None:
        return
    buttons = [message_action(str(n)) for n in QUANTITY_BUTTONS if n <= product.stock]
    ctx.reply(text(orders_texts.ASK_QUANTITY.format(product=product.name, unit=product.unit, stock=product.stock,
                                                   price=products.price_per_unit(product.price_satang, product.unit)),
                   [*buttons, _cancel_button()]))


def answer_quantity(ctx: Context, state: FlowState) -> str | None:
    product = _product(ctx, state)
    if product is None:
        return END
    try:
        state.data["quantity"] = orders.parse_quantity(ctx.text, product.stock, product.unit)
    except DomainError as exc:
        ctx.reply(text(exc.message, [*(message_action(str(n)) for n in QUANTITY_BUTTONS if n <= product.stock),
                                     _cancel_button()]))
        return None
    return "delivery"


# ---- delivery --------------------------------------------------------------------------------------------------------
def _choices(ctx: Context, state: FlowState) -> list[tuple[str, str, str]]:
    product = ctx.session.get(Product, int(state.data["product_id"]))
    return orders.delivery_choices(product.vendor)


def ask_delivery(ctx: Context, state: FlowState) -> None:
    choices = _choices(ctx, state)
    lines = "\n".join(orders_texts.DELIVERY_LINE.format(option=name, fee=fee) for _key, name, fee in choices)
    ctx.reply(text(f"{orders_texts.ASK_DELIVERY}\n{lines}",
                   [*(message_action(name) for _key, name, _fee in choices), _cancel_button()]))


def answer_delivery(ctx: Context, state: FlowState) -> str | None:
    choices = _choices(ctx, state)
    chosen = next((key for key, name, _fee in choices if ctx.text in (name, key)), None)
    if chosen is None:
        ctx.reply(text(orders_texts.DELIVERY_PLEASE_TAP,
                       [*(message_action(name) for _key, name, _fee in choices), _cancel_button()]))
        return None
    state.data["delivery"] = chosen
    known = orders.known_contact(ctx.session, ctx.user_id or "")
    if known is not None:
        state.data["known_name"], state.data["known_phone"] = known
        return "use_contact"
    return "name"


# ---- name and phone ------------------------------------------------------------------------------------------------------
def _yes_edit() -> list[dict]:
    return [message_action(orders_texts.WORD_YES), message_action(orders_texts.WORD_EDIT), _cancel_button()]


def ask_use_contact(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(orders_texts.ASK_USE_NAME.format(
        name=state.data["known_name"], phone=contact_details.format_phone(state.data["known_phone"])), _yes_edit()))


def _after_contact(ctx: Context, state: FlowState) -> str:
    if state.data["delivery"] == orders.PICKUP:
        state.data["address"] = None
        return "confirm"
    known = orders.last_address(ctx.session, ctx.user_id or "")
    if known:
        state.data["known_address"] = known
        return "use_address"
    return "address"


def answer_use_contact(ctx: Context, state: FlowState) -> str | None:
    if ctx.text == orders_texts.WORD_YES:
        state.data["name"], state.data["phone"] = state.data["known_name"], state.data["known_phone"]
        return _after_contact(ctx, state)
    if ctx.text == orders_texts.WORD_EDIT:
        return "name"
    ctx.reply(text(orders_texts.USE_PLEASE_TAP, _yes_edit()))
    return None


def ask_name(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(orders_texts.ASK_NAME, [_cancel_button()]))


def answer_name(ctx: Context, state: FlowState) -> str | None:
    try:
        state.data["name"] = contact_details.clean_person_name(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel_button()]))
        return None
    return "phone"


def ask_phone(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(orders_texts.ASK_PHONE.format(name=state.data.get("name", "")), [_cancel_button()]))


def answer_phone(ctx: Context, state: FlowState) -> str | None:
    try:
        state.data["phone"] = contact_details.clean_phone(ctx.text, allow_landline=False)
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel_button()]))
        return None
    return _after_contact(ctx, state)


# ---- address ------------------------------------------------------------------------------------------------------------
def ask_use_address(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(orders_texts.ASK_USE_ADDRESS.format(address=state.data["known_address"]), _yes_edit()))


def answer_use_address(ctx: Context, state: FlowState) -> str | None:
    if ctx.text == orders_texts.WORD_YES:
        state.data["address"] = state.data["known_address"]
        return "confirm"
    if ctx.text == orders_texts.WORD_EDIT:
        return "address"
    ctx.reply(text(orders_texts.USE_PLEASE_TAP, _yes_edit()))
    return None


def ask_address(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(orders_texts.ASK_ADDRESS, [_cancel_button()]))


def answer_address(ctx: Context, state: FlowState) -> str | None:
    try:
        state.data["address"] = orders.clean_address(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel_button()]))
        return None
    return "confirm"


# ---- summary and confirmation --------------------------------------------------------------------------------------------
def _draft(state: FlowState) -> orders.Draft:
    data = state.data
    return orders.Draft(key=data["key"], product_id=int(data["product_id"]), quantity=int(data["quantity"]),
                        delivery_option=data["delivery"], name=data["name"], phone=data["phone"],
                        address=data.get("address"))


def ask_confirm(ctx: Context, state: FlowState) -> None:
    draft = _draft(state)
    try:
        card = orders.draft_card(ctx.session, draft)
    except DomainError as exc:
        sorry(ctx, exc, [_cancel_button()])
        return
    card.buttons = [Button(orders_texts.WORD_CONFIRM_ORDER, ConfirmOrder(draft.key).pack())]
    total = card.total[1] if card.total else ""
    ctx.reply(order_message(orders_texts.SUMMARY_ALT.format(product=card.status, total=total), card,
                            [_cancel_button()]))


def answer_confirm(ctx: Context, state: FlowState) -> str | None:
    if ctx.text == orders_texts.WORD_CONFIRM_ORDER:
        _place(ctx, state)
        return END
    ctx.reply(text(orders_texts.CONFIRM_PLEASE_TAP, [
        postback_action(orders_texts.WORD_CONFIRM_ORDER, ConfirmOrder(state.data["key"]).pack(),
                        orders_texts.WORD_CONFIRM_ORDER), _cancel_button()]))
    return None


def _place(ctx: Context, state: FlowState) -> None:
    placed = ctx.attempt(lambda: orders.place(ctx.session, ctx.user_id or "", _draft(state), ctx.now,
                                              window_days=ctx.settings.REFERRAL_WINDOW_DAYS, pack=pack),
                         buyer_menu())
    if placed is None:
        return
    order = placed.order
    vendor = ctx.session.get(Vendor, order.vendor_id)
    body = (orders_texts.PLACED.format(shop=vendor.shop_name, number=orders.number(order)) if placed.created
            else orders_texts.ALREADY_PLACED.format(number=orders.number(order), status=orders.status_text(order)))
    ctx.reply(text(body), order_card_message(ctx, order, for_shop=False) | {
        "quickReply": {"items": [{"type": "action", "action": a} for a in buyer_menu()]}})


@router.on_postback(ConfirmOrder)
def confirm(ctx: Context, data: ConfirmOrder) -> None:
    """Places the draft the buyer confirmed; a second tap (or a tap on an old summary) answers with the order."""
    if ctx.user_id is None:
        return
    existing = orders.by_request_key(ctx.session, data.key)
    if existing is not None:
        if existing.buyer_line_user_id != ctx.user_id:
            ctx.reply(text(orders_texts.NOT_YOUR_ORDER, buyer_menu()))
            return
        ctx.reply(text(orders_texts.ALREADY_PLACED.format(number=orders.number(existing),
                                                         status=orders.status_text(existing))),
                  order_card_message(ctx, existing, for_shop=False))
        return
    row = ctx.session.get(Conversation, ctx.user_id)
    if row is None or row.flow != FLOW_NAME or row.step != "confirm" or (row.data or {}).get("key") != data.key \
            or row.expires_at <= ctx.now:
        ctx.reply(text(orders_texts.DRAFT_GONE, buyer_menu()))
        return
    state = FlowState(row.flow, row.step, dict(row.data or {}))
    ctx.session.delete(row)
    ctx.session.flush()
    _place(ctx, state)


order_flow = router.add_flow(Flow(FLOW_NAME, orders_texts.FLOW_TITLE, [
    Step("quantity", ask_quantity, answer_quantity),
    Step("consent", ask_consent, answer_consent),
    Step("delivery", ask_delivery, answer_delivery),
    Step("use_contact", ask_use_contact, answer_use_contact),
    Step("name", ask_name, answer_name),
    Step("phone", ask_phone, answer_phone),
    Step("use_address", ask_use_address, answer_use_address),
    Step("address", ask_address, answer_address),
    Step("confirm", ask_confirm, answer_confirm),
]))


# ---- after placing: cancel, QR, slip, received ----------------------------------------------------------------------------
@router.on_postback(CancelOrder)
def ask_cancel(ctx: Context, data: CancelOrder) -> None:
    """Asks before cancelling (a mistaken tap must not lose the order)."""
    try:
        order = orders.check_buyer_cancel(ctx.session, data.order_id, ctx.user_id or "")
    except DomainError as exc:
        sorry(ctx, exc)
        return
    ctx.reply(text(orders_texts.CONFIRM_CANCEL.format(number=orders.number(order), product=order.product_name), [
        postback_action(orders_texts.WORD_CONFIRM_CANCEL, ConfirmCancelOrder(order.id).pack(),
                        orders_texts.WORD_CONFIRM_CANCEL),
        postback_action(orders_texts.WORD_KEEP_ORDER, KeepOrder(order.id).pack(), orders_texts.WORD_KEEP_ORDER)]))


@router.on_postback(KeepOrder)
def keep(ctx: Context, data: KeepOrder) -> None:
    try:
        order = orders.buyer_order(ctx.session, data.order_id, ctx.user_id)
    except DomainError as exc:
        sorry(ctx, exc)
        return
    ctx.reply(text(orders_texts.KEPT.format(number=orders.number(order)), buyer_menu()))


@router.on_postback(ConfirmCancelOrder)
def cancel(ctx: Context, data: ConfirmCancelOrder) -> None:
    order = ctx.attempt(lambda: orders.cancel_by_buyer(ctx.session, data.order_id, ctx.user_id or "", ctx.now, pack),
                        buyer_menu())
    if order is not None:
        ctx.reply(text(orders_texts.BUYER_CANCELLED.format(number=orders.number(order)), buyer_menu()))


@router.on_postback(MarkReceived)
def received(ctx: Context, data: MarkReceived) -> None:
    order = ctx.attempt(lambda: orders.mark_received(ctx.session, data.order_id, ctx.user_id or "", ctx.now,
                                                     hold_days=ctx.settings.COMMISSION_HOLD_DAYS, pack=pack,
                                                     survey_rate=ctx.settings.BUYER_SURVEY_SAMPLE_RATE),
                        buyer_menu())
    if order is not None:
        ctx.reply(text(orders_texts.BUYER_RECEIVED.format(product=order.product_name), buyer_menu()))


@router.on_postback(ShowQr)
def show_qr(ctx: Context, data: ShowQr) -> None:
    try:
        order = orders.check_slip_allowed(ctx.session, data.order_id, ctx.user_id or "")
    except DomainError as exc:
        sorry(ctx, exc)
        return
    messages = orders.payment_messages(order, base_url(ctx), secret(ctx))
    messages[-1] = messages[-1] | {"quickReply": {"items": [{"type": "action", "action": postback_action(
        orders_texts.WORD_SEND_SLIP, SendSlip(order.id).pack(), orders_texts.WORD_SEND_SLIP)}]}}
    ctx.reply(*messages)


@router.on_postback(SendSlip)
def send_slip(ctx: Context, data: SendSlip) -> None:
    """Waits for the slip photo of this order (text meanwhile gets a polite ask for a photo)."""
    try:
        orders.check_slip_allowed(ctx.session, data.order_id, ctx.user_id or "")
    except DomainError as exc:
        sorry(ctx, exc)
        return
    slip_flow.start(ctx, {"order_id": data.order_id})


def _slip_buttons() -> list[dict]:
    return [camera_roll_action(orders_texts.WORD_PICK_PHOTO), _cancel_button()]


def ask_slip(ctx: Context, state: FlowState) -> None:
    order = orders.get(ctx.session, int(state.data["order_id"]))
    ctx.reply(text(orders_texts.ASK_SLIP.format(number=orders.number(order),
                                               total=products.format_price(order.total_satang)), _slip_buttons()))


def answer_slip(ctx: Context, state: FlowState) -> str | None:
    if ctx.message_type != "image":
        ctx.reply(text(orders_texts.SLIP_NEED_PHOTO, _slip_buttons()))
        return None
    return END if _take_slip(ctx, int(state.data["order_id"])) else None


def _take_slip(ctx: Context, order_id: int) -> bool:
    ctx.show_loading(20)
    try:
        data = ctx.message_content(images.MAX_BYTES)
    except Exception:  # noqa: BLE001 - LINE's content API down or the content expired: ask for it again
        ctx.reply(text(orders_texts.SLIP_FETCH_FAILED, _slip_buttons()))
        return False
    order = ctx.attempt(lambda: orders.attach_slip(ctx.session, order_id, ctx.user_id or "", data, ctx.now,
                                                   base_url=base_url(ctx), pack=pack), _slip_buttons())
    if order is None:
        return False
    ctx.reply(text(orders_texts.SLIP_SENT, buyer_menu()))
    return True


slip_flow = router.add_flow(Flow("order_slip", orders_texts.SLIP_FLOW_TITLE, [Step("slip", ask_slip, answer_slip)]))


@router.fallback
def slip_photo(ctx: Context) -> bool:
    """A photo sent outside any flow while one order awaits a transfer is that order's slip."""
    if ctx.message_type != "image" or ctx.user_id is None:
        return False
    waiting = orders.awaiting_slip(ctx.session, ctx.user_id)
    if not waiting:
        return False
    if len(waiting) > 1:
        ctx.reply(text(orders_texts.SLIP_WHICH, [message_action(orders_texts.WORD_MY_ORDERS)]))
        return True
    _take_slip(ctx, waiting[0].id)
    return True


# ---- "คำสั่งซื้อของฉัน" ----------------------------------------------------------------------------------------------------
@router.on_text(orders_texts.WORD_MY_ORDERS)
def my_orders(ctx: Context) -> None:
    """Lists the buyer's orders, newest first, each with its status and next action."""
    if ctx.user_id is None:
        return
    rows = orders.orders_for_buyer(ctx.session, ctx.user_id, LIST_SIZE)
    if not rows:
        ctx.reply(text(orders_texts.NO_ORDERS, [message_action(orders_texts.WORD_CATALOG), *ctx.menu_actions()]))
        return
    cards = [orders.card(ctx.session, o, for_shop=False, buttons=orders.buttons(o, orders.buyer_actions(o), pack))
             for o in rows]
    count = orders.count_for_buyer(ctx.session, ctx.user_id)
    if count > len(cards):
        ctx.reply(text(orders_texts.LIST_MORE.format(shown=len(cards), count=count)))
    ctx.reply(orders_carousel(orders_texts.MY_ORDERS_ALT.format(count=len(cards)), cards,
                              [message_action(orders_texts.WORD_CATALOG), *ctx.menu_actions()]))
