"""A shop's side of orders in chat: รับออเดอร์ / ปฏิเสธ, ได้รับเงินแล้ว, shipping with a tracking number, cancelling,
refunds, delivery fees, and "คำสั่งซื้อของร้าน"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.router import Router
from flex_templates.basic import message_action, text
from flex_templates.orders import orders_carousel
from handlers.orders import (
    Accept,
    ConfirmPaid,
    Decline,
    Refund,
    Ship,
    ShopCancel,
    base_url,
    order_card_message,
    pack,
    secret,
)
from models.orders import Order
from services import orders, products, shipping
from services.errors import DomainError
from texts import market as market_texts
from texts import orders as orders_texts

router = Router("orders_vendor")

LIST_SIZE = 10


def shop_menu() -> list[dict]:
    return [message_action(orders_texts.WORD_SHOP_ORDERS), message_action(orders_texts.WORD_DELIVERY_FEES)]


def _sorry(ctx: Context, exc: DomainError) -> None:
    ctx.reply(text(exc.message, shop_menu()))


def _cancel_button() -> dict:
    return message_action(orders_texts.WORD_CANCEL)


# ---- รับออเดอร์ / ได้รับเงินแล้ว ------------------------------------------------------------------------------------------
@router.on_postback(Accept)
def accept(ctx: Context, data: Accept) -> None:
    """Takes the order: stock is reserved and the buyer gets how to pay."""
    order = ctx.attempt(lambda: orders.accept(
        ctx.session, data.order_id, ctx.user_id or "", ctx.now, default_percent=ctx.settings.DEFAULT_COMMISSION_PERCENT,
        base_url=base_url(ctx), secret=secret(ctx), pack=pack), shop_menu())
    if order is None:
        return
    unit = orders.unit_of(ctx.session, order)
    then = (orders_texts.SHOP_ACCEPTED_PROMPTPAY.format(total=products.format_price(order.total_satang))
            if order.payment_method == "promptpay"
            else orders_texts.SHOP_ACCEPTED_COD.format(payment=orders_texts.PAYMENT[order.payment_method]))
    ctx.reply(text(orders_texts.SHOP_ACCEPTED.format(number=orders.number(order), quantity=order.quantity, unit=unit)
                   + "\n" + then), order_card_message(ctx, order, for_shop=True))


@router.on_postback(ConfirmPaid)
def paid(ctx: Context, data: ConfirmPaid) -> None:
    order = ctx.attempt(lambda: orders.confirm_paid(ctx.session, data.order_id, ctx.user_id or "", ctx.now, pack),
                        shop_menu())
    if order is not None:
        ctx.reply(text(orders_texts.SHOP_PAID.format(number=orders.number(order))),
                  order_card_message(ctx, order, for_shop=True))


# ---- ปฏิเสธ and ยกเลิก: a reason, tapped or typed -----------------------------------------------------------------------
def _reason_buttons(reasons: tuple[str, ...]) -> list[dict]:
    return [*(message_action(r) for r in reasons), message_action(orders_texts.WORD_OTHER_REASON), _cancel_button()]


@dataclass
class ReasonFlow:
    """A flow asking why (quick-reply reasons, or "อื่น ๆ" then typed), then doing `act` with the reason; `check`
    refuses another shop's order or a wrong state before anything is asked."""

    flow: Flow
    check: Callable[[Session, int, str], Order]

    def begin(self, ctx: Context, order_id: int) -> None:
        try:
            self.check(ctx.session, order_id, ctx.user_id or "")
        except DomainError as exc:
            _sorry(ctx, exc)
            return
        self.flow.start(ctx, {"order_id": order_id})


def _reason_flow(name: str, title: str, question: str, reasons: tuple[str, ...],
                 check: Callable[[Session, int, str], Order], act: Callable[[Context, int, str], None]) -> ReasonFlow:
    def ask_reason(ctx: Context, state: FlowState) -> None:
        order = orders.get(ctx.session, int(state.data["order_id"]))
        ctx.reply(text(question.format(number=orders.number(order)), _reason_buttons(reasons)))

    def answer_reason(ctx: Context, state: FlowState) -> str | None:
        if ctx.text == orders_texts.WORD_OTHER_REASON:
            return "other"
        return act_on_reason(ctx, state)

    def ask_other(ctx: Context, state: FlowState) -> None:
        ctx.reply(text(orders_texts.ASK_OTHER_REASON, [_cancel_button()]))

    def act_on_reason(ctx: Context, state: FlowState) -> str | None:
        if ctx.text is None:
            ctx.reply(text(orders_texts.ASK_OTHER_REASON, _reason_buttons(reasons)))
            return None
        try:
            orders.clean_reason(ctx.text)
        except DomainError as exc:
            ctx.reply(text(exc.message, [_cancel_button()]))
            return None
        act(ctx, int(state.data["order_id"]), ctx.text)
        return END

    flow = Flow(name, title, [Step("reason", ask_reason, answer_reason), Step("other", ask_other, act_on_reason)])
    return ReasonFlow(flow, check)


def _decline(ctx: Context, order_id: int, reason: str) -> None:
    order = ctx.attempt(lambda: orders.decline(ctx.session, order_id, ctx.user_id or "", reason, ctx.now, pack),
                        shop_menu())
    if order is not None:
        ctx.reply(text(orders_texts.SHOP_DECLINED.format(number=orders.number(order)), shop_menu()))


def _shop_cancel(ctx: Context, order_id: int, reason: str) -> None:
    order = ctx.attempt(lambda: orders.cancel_by_vendor(ctx.session, order_id, ctx.user_id or "", reason, ctx.now,
                                                        pack), shop_menu())
    if order is not None:
        ctx.reply(text(orders_texts.SHOP_CANCELLED.format(number=orders.number(order)), shop_menu()))


decline_flow = _reason_flow("order_decline", orders_texts.DECLINE_FLOW_TITLE, orders_texts.ASK_DECLINE_REASON,
                            orders_texts.DECLINE_REASONS, orders.check_decline_allowed, _decline)
cancel_flow = _reason_flow("order_shop_cancel", orders_texts.SHOP_CANCEL_FLOW_TITLE, orders_texts.ASK_CANCEL_REASON,
                           orders_texts.CANCEL_REASONS, orders.check_shop_cancel_allowed, _shop_cancel)
router.add_flow(decline_flow.flow)
router.add_flow(cancel_flow.flow)


@router.on_postback(Decline)
def decline(ctx: Context, data: Decline) -> None:
    decline_flow.begin(ctx, data.order_id)


@router.on_postback(ShopCancel)
def shop_cancel(ctx: Context, data: ShopCancel) -> None:
    cancel_flow.begin(ctx, data.order_id)


# ---- จัดส่งแล้ว: carrier and tracking number (pickup and local delivery need none) ------------------------------------------
@router.on_postback(Ship)
def ship(ctx: Context, data: Ship) -> None:
    try:
        order = orders.check_ship_allowed(ctx.session, data.order_id, ctx.user_id or "")
    except DomainError as exc:
        _sorry(ctx, exc)
        return
    if orders.needs_tracking(order):
        ship_flow.start(ctx, {"order_id": order.id})
        return
    _shipped(ctx, order.id, None, None)


def _shipped(ctx: Context, order_id: int, carrier: str | None, tracking: str | None, confirmed: bool = False) -> bool:
    order = ctx.attempt(lambda: orders.ship(ctx.session, order_id, ctx.user_id or "", ctx.now, carrier=carrier,
                                            tracking=tracking, pack=pack, check_digit_confirmed=confirmed),
                        [_cancel_button()] if carrier else None)
    if order is None:
        return False
    ctx.reply(text(orders_texts.SHOP_SHIPPED.format(number=orders.number(order)), shop_menu()))
    return True


def _carriers(ctx: Context, state: FlowState) -> list[str]:
    return orders.shipping_choices(ctx.session, orders.get(ctx.session, int(state.data["order_id"])))


def _carrier_buttons(keys: list[str]) -> list[dict]:
    return [*(message_action(shipping.carrier_name(k)) for k in keys), _cancel_button()]


def ask_carrier(ctx: Context, state: FlowState) -> None:
    order = orders.get(ctx.session, int(state.data["order_id"]))
    ctx.reply(text(orders_texts.ASK_CARRIER.format(number=orders.number(order)), _carrier_buttons(_carriers(ctx, state))))


def answer_carrier(ctx: Context, state: FlowState) -> str | None:
    keys = _carriers(ctx, state)
    chosen = next((k for k in keys if ctx.text in (shipping.carrier_name(k), market_texts.DELIVERY_OPTIONS.get(k), k)),
                  None)
    if chosen is None:
        ctx.reply(text(orders_texts.CARRIER_PLEASE_TAP, _carrier_buttons(keys)))
        return None
    state.data["carrier"] = chosen
    return "tracking"


def ask_tracking(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(orders_texts.ASK_TRACKING.format(carrier=shipping.carrier_name(state.data["carrier"])),
                   [_cancel_button()]))


def answer_tracking(ctx: Context, state: FlowState) -> str | None:
    typed = ctx.text or ""
    # The same number sent again after the check-digit warning (or "ใช้เลขนี้") means the vendor is sure.
    confirmed = typed == state.data.get("unsure_number")
    try:
        number = shipping.clean_tracking(state.data["carrier"], typed, check_digit_confirmed=confirmed)
    except DomainError as exc:
        buttons = [_cancel_button()]
        if exc.code == "check_digit":
            state.data["unsure_number"] = typed
            buttons.insert(0, message_action(orders_texts.LABEL_USE_THIS_NUMBER, typed))
        ctx.reply(text(exc.message, buttons))
        return None
    return END if _shipped(ctx, int(state.data["order_id"]), state.data["carrier"], number, confirmed) else None


ship_flow = router.add_flow(Flow("order_ship", orders_texts.SHIP_FLOW_TITLE, [
    Step("carrier", ask_carrier, answer_carrier), Step("tracking", ask_tracking, answer_tracking)]))


# ---- คืนเงิน (after receipt) ------------------------------------------------------------------------------------------------
@router.on_postback(Refund)
def refund(ctx: Context, data: Refund) -> None:
    try:
        orders.check_refund_allowed(ctx.session, data.order_id, ctx.user_id or "")
    except DomainError as exc:
        _sorry(ctx, exc)
        return
    refund_flow.start(ctx, {"order_id": data.order_id})


def ask_amount(ctx: Context, state: FlowState) -> None:
    order = orders.get(ctx.session, int(state.data["order_id"]))
    ctx.reply(text(orders_texts.ASK_REFUND_AMOUNT.format(total=products.format_price(order.total_satang)),
                   [_cancel_button()]))


def answer_amount(ctx: Context, state: FlowState) -> str | None:
    order = orders.get(ctx.session, int(state.data["order_id"]))
    try:
        state.data["amount"] = orders.parse_refund(ctx.text, order)
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel_button()]))
        return None
    return "reason"


def ask_refund_reason(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(orders_texts.ASK_REFUND_REASON, [_cancel_button()]))


def answer_refund_reason(ctx: Context, state: FlowState) -> str | None:
    try:
        reason = orders.clean_reason(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel_button()]))
        return None
    order = ctx.attempt(lambda: orders.refund(ctx.session, int(state.data["order_id"]), ctx.user_id or "",
                                              int(state.data["amount"]), reason, ctx.now, pack), shop_menu())
    if order is not None:
        ctx.reply(text(orders_texts.SHOP_REFUNDED.format(amount=products.format_price(order.refund_satang or 0),
                                                        number=orders.number(order)), shop_menu()))
    return END


refund_flow = router.add_flow(Flow("order_refund", orders_texts.REFUND_FLOW_TITLE, [
    Step("amount", ask_amount, answer_amount), Step("reason", ask_refund_reason, answer_refund_reason)]))


# ---- "คำสั่งซื้อของร้าน" --------------------------------------------------------------------------------------------------
@router.on_text(orders_texts.WORD_SHOP_ORDERS)
def shop_orders(ctx: Context) -> None:
    """Lists the shop's orders, those waiting for the shop first, each with its next action."""
    try:
        vendor = orders.shop_of(ctx.session, ctx.user_id)
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions()))
        return
    rows = orders.orders_for_vendor(ctx.session, vendor.id, LIST_SIZE)
    if not rows:
        ctx.reply(text(orders_texts.NO_SHOP_ORDERS, [message_action(orders_texts.WORD_DELIVERY_FEES),
                                                    *ctx.menu_actions()]))
        return
    cards = [orders.card(ctx.session, o, for_shop=True, buttons=orders.buttons(o, orders.vendor_actions(o), pack))
             for o in rows]
    count = orders.count_for_vendor(ctx.session, vendor.id)
    if count > len(cards):
        ctx.reply(text(orders_texts.SHOP_LIST_MORE.format(shown=len(cards), count=count)))
    ctx.reply(orders_carousel(orders_texts.SHOP_ORDERS_ALT.format(count=len(cards)), cards,
                              [message_action(orders_texts.WORD_DELIVERY_FEES), *ctx.menu_actions()]))


# ---- ค่าส่ง: the shop's fee per delivery option ---------------------------------------------------------------------------
def _fee_options(ctx: Context) -> list[tuple[str, str, str]]:
    vendor = orders.shop_of(ctx.session, ctx.user_id)
    return [c for c in orders.delivery_choices(vendor) if c[0] != orders.PICKUP]


def _is_shop(ctx: Context) -> bool:
    try:
        orders.shop_of(ctx.session, ctx.user_id)
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions()))
        return False
    return True


def ask_fee_option(ctx: Context, state: FlowState) -> None:
    choices = _fee_options(ctx)
    lines = "\n".join(orders_texts.DELIVERY_LINE.format(option=name, fee=fee) for _key, name, fee in choices)
    ctx.reply(text(orders_texts.FEES_NOW.format(lines=lines),
                   [*(message_action(name) for _key, name, _fee in choices), _cancel_button()]))


def answer_fee_option(ctx: Context, state: FlowState) -> str | None:
    choices = _fee_options(ctx)
    chosen = next((key for key, name, _fee in choices if ctx.text in (name, key)), None)
    if chosen is None:
        ctx.reply(text(orders_texts.FEE_OPTION_UNKNOWN,
                       [*(message_action(name) for _key, name, _fee in choices), _cancel_button()]))
        return None
    state.data["option"] = chosen
    return "fee"


def ask_fee(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(orders_texts.ASK_FEE.format(option=market_texts.DELIVERY_OPTIONS[state.data["option"]]),
                   [message_action("0"), _cancel_button()]))


def answer_fee(ctx: Context, state: FlowState) -> str | None:
    try:
        satang = orders.parse_fee(ctx.text)
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel_button()]))
        return None
    vendor = ctx.attempt(lambda: orders.set_delivery_fee(ctx.session, ctx.user_id or "", state.data["option"], satang,
                                                         ctx.now), shop_menu())
    if vendor is not None:
        ctx.reply(text(orders_texts.FEE_SAVED.format(option=market_texts.DELIVERY_OPTIONS[state.data["option"]],
                                                    fee=orders.fee_text(satang)), shop_menu()))
    return END


fees_flow = router.add_flow(Flow("order_fees", orders_texts.FEES_FLOW_TITLE, [
    Step("option", ask_fee_option, answer_fee_option), Step("fee", ask_fee, answer_fee)],
    entry_words=(orders_texts.WORD_DELIVERY_FEES,), guard=_is_shop))
