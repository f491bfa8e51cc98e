""""บันทึกยอดขาย": a vendor records a traditional (offline) sale by buttons.

Product (the shop's own as quick replies, or a name typed for goods never posted), quantity (1 2 3 5 10 or typed),
amount (price × quantity offered as "ใช่ N บาท", or typed), channel (5 buttons), date (วันนี้, เมื่อวาน, or LINE's
date picker up to today), a summary to confirm. Each answer is checked by services/sales.py's rules; a wrong one is
explained and the same question stays open. "ยกเลิก" leaves at any step. The answer tells the month's totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates.basic import message_action, postback_action, text
from services import products, sales, vendors
from services.errors import DomainError
from texts import market as market_texts
from texts import platform as platform_texts
from texts import sales as sales_texts
from texts.dates import THAI_MONTHS, buddhist_year, thai_date

router = Router("sales")

QUANTITY_CHOICES = (1, 2, 3, 5, 10)
MAX_PRODUCT_BUTTONS = 11  # LINE shows 13 quick replies; ยกเลิก takes one, and one is left for breathing room


# ---- typed button data (owned by the flow: a tap outside it is answered as stale) --------------------------------------
@dataclass
class SaleProduct(PostbackData, prefix="slp"):
    product_id: int


@dataclass
class SaleAmountOk(PostbackData, prefix="sla"):
    pass


@dataclass
class SaleChannel(PostbackData, prefix="slc"):
    key: str


@dataclass
class SaleDay(PostbackData, prefix="sld"):
    which: str  # "today" | "yesterday" | "pick" (LINE's date picker sends the day in the event's params)


@dataclass
class SaleConfirm(PostbackData, prefix="slok"):
    pass


def _cancel() -> dict:
    return message_action(sales_texts.LABEL_CANCEL, platform_texts.WORD_CANCEL)


def _today(ctx: Context) -> date:
    return sales.local_day(ctx.now)


def date_picker(label: str, data: str, today: date) -> dict:
    """LINE's date picker (a quick reply action) limited to days up to today."""
    return {"type": "datetimepicker", "label": label, "data": data, "mode": "date", "initial": today.isoformat(),
            "max": today.isoformat(), "min": (today - timedelta(days=sales.BACKDATE_DAYS)).isoformat()}


# ---- the flow ----------------------------------------------------------------------------------------------------------
def vendor_guard(ctx: Context) -> bool:
    """Only approved shops record sales; everyone else is told why (and how to register)."""
    try:
        vendors.approved_vendor(ctx.session, ctx.user_id)
    except DomainError as exc:
        ctx.reply(text(exc.message, [message_action(market_texts.WORD_REGISTER)] if exc.code == "not_a_vendor"
                       else ctx.menu_actions()))
        return False
    return True


def _shop(ctx: Context):
    return vendors.approved_vendor(ctx.session, ctx.user_id)


def ask_product(ctx: Context, state: FlowState) -> None:
    own = products.list_for_vendor(ctx.session, _shop(ctx))[:MAX_PRODUCT_BUTTONS]
    buttons = [postback_action(p.name, SaleProduct(p.id).pack(), p.name) for p in own]
    body = sales_texts.ASK_PRODUCT if own else sales_texts.ASK_PRODUCT_NONE
    ctx.reply(text(body + f"\n({platform_texts.FLOW_CANCEL_HINT})", [*buttons, _cancel()]))


def answer_product(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(SaleProduct)
    if choice is None and not ctx.text:
        ctx.reply(text(sales_texts.PLEASE_TAP, [_cancel()]))
        return None
    try:
        product_id, name = sales.clean_product(ctx.session, _shop(ctx),
                                               choice.product_id if choice else ctx.text or "")
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel()]))
        return None
    state.data.update(product_id=product_id, product_name=name, unit=sales_texts.DEFAULT_UNIT, price_satang=None)
    if product_id is not None:
        product = products.owned_product(ctx.session, ctx.user_id, product_id)
        state.data.update(unit=product.unit, price_satang=product.price_satang)
    return "quantity"


def ask_quantity(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(sales_texts.ASK_QUANTITY.format(product=state.data["product_name"], unit=state.data["unit"]),
                   [*(message_action(str(n)) for n in QUANTITY_CHOICES), _cancel()]))


def answer_quantity(ctx: Context, state: FlowState) -> str | None:
    try:
        state.data["quantity"] = sales.clean_quantity(ctx.text or "")
    except DomainError as exc:
        ctx.reply(text(exc.message, [*(message_action(str(n)) for n in QUANTITY_CHOICES), _cancel()]))
        return None
    return "amount"


def _prefilled(state: FlowState) -> int | None:
    price = state.data.get("price_satang")
    return int(price) * int(state.data["quantity"]) if price else None


def ask_amount(ctx: Context, state: FlowState) -> None:
    guess = _prefilled(state)
    if guess is None or guess > products.PRICE_MAX_SATANG:
        ctx.reply(text(sales_texts.ASK_AMOUNT, [_cancel()]))
        return
    amount = products.format_price(guess)
    ctx.reply(text(sales_texts.ASK_AMOUNT_PREFILLED.format(
        quantity=int(state.data["quantity"]), unit=state.data["unit"],
        price=products.format_price(int(state.data["price_satang"])), amount=amount),
        [postback_action(sales_texts.LABEL_AMOUNT_OK.format(amount=amount), SaleAmountOk().pack(),
                         sales_texts.LABEL_AMOUNT_OK.format(amount=amount)), _cancel()]))


def answer_amount(ctx: Context, state: FlowState) -> str | None:
    if ctx.postback_as(SaleAmountOk) is not None and _prefilled(state) is not None:
        state.data["amount_satang"] = _prefilled(state)
        return "channel"
    try:
        state.data["amount_satang"] = sales.clean_amount(ctx.text or "")
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel()]))
        return None
    return "channel"


def _channel_buttons() -> list[dict]:
    return [postback_action(sales_texts.CHANNELS[key], SaleChannel(key).pack(), sales_texts.CHANNELS[key])
            for key in sales.TRADITIONAL_CHANNELS]


def ask_channel(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(sales_texts.ASK_CHANNEL, [*_channel_buttons(), _cancel()]))


def answer_channel(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(SaleChannel)
    try:
        state.data["channel"] = sales.clean_channel(choice.key if choice else ctx.text or "")
    except DomainError as exc:
        ctx.reply(text(exc.message, [*_channel_buttons(), _cancel()]))
        return None
    return "day"


def _day_buttons(ctx: Context) -> list[dict]:
    return [postback_action(sales_texts.LABEL_TODAY, SaleDay("today").pack(), sales_texts.LABEL_TODAY),
            postback_action(sales_texts.LABEL_YESTERDAY, SaleDay("yesterday").pack(), sales_texts.LABEL_YESTERDAY),
            date_picker(sales_texts.LABEL_PICK_DATE, SaleDay("pick").pack(), _today(ctx)), _cancel()]


def ask_day(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(sales_texts.ASK_DATE, _day_buttons(ctx)))


def answer_day(ctx: Context, state: FlowState) -> str | None:
    choice = ctx.postback_as(SaleDay)
    today = _today(ctx)
    if choice is not None and choice.which == "today":
        value: date | str = today
    elif choice is not None and choice.which == "yesterday":
        value = today - timedelta(days=1)
    elif choice is not None and choice.which == "pick":
        value = str(ctx.postback_params.get("date") or "")
    elif ctx.text:
        value = ctx.text
    else:
        ctx.reply(text(sales_texts.PLEASE_TAP, _day_buttons(ctx)))
        return None
    try:
        state.data["sold_on"] = sales.clean_sold_on(value, ctx.now).isoformat()
    except DomainError as exc:
        ctx.reply(text(exc.message, _day_buttons(ctx)))
        return None
    return "confirm"


def _summary(state: FlowState) -> dict:
    return {"product": state.data["product_name"], "quantity": int(state.data["quantity"]),
            "amount": products.format_price(int(state.data["amount_satang"])),
            "channel": sales_texts.CHANNELS[state.data["channel"]],
            "date": thai_date(date.fromisoformat(state.data["sold_on"]))}


def ask_confirm(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(sales_texts.SUMMARY.format(**_summary(state)), [
        postback_action(sales_texts.LABEL_CONFIRM, SaleConfirm().pack(), sales_texts.LABEL_CONFIRM), _cancel()]))


def answer_confirm(ctx: Context, state: FlowState) -> str | None:
    if ctx.postback_as(SaleConfirm) is None:
        ctx.reply(text(sales_texts.PLEASE_TAP, [
            postback_action(sales_texts.LABEL_CONFIRM, SaleConfirm().pack(), sales_texts.LABEL_CONFIRM), _cancel()]))
        return None
    product_id = state.data.get("product_id")
    sale = ctx.attempt(lambda: sales.record_vendor_sale(
        ctx.session, ctx.user_id or "", product=int(product_id) if product_id else state.data["product_name"],
        quantity=int(state.data["quantity"]), amount_satang=int(state.data["amount_satang"]),
        channel=state.data["channel"], sold_on=date.fromisoformat(state.data["sold_on"]), now=ctx.now))
    if sale is None:
        return END
    ctx.reply(text(sales_texts.SAVED.format(**_summary(state)) + "\n\n" + month_text(ctx, sale.vendor_id, sale.sold_on),
                   [message_action(sales_texts.WORD_RECORD_SALE), *ctx.menu_actions()]))
    return END


def month_text(ctx: Context, vendor_id: int, day: date) -> str:
    """The shop's totals for the month, by channel."""
    vendor = vendors.get(ctx.session, vendor_id)
    totals = sales.vendor_month_totals(ctx.session, vendor_id, day)
    lines = [sales_texts.MONTH_TOTALS.format(month=f"{THAI_MONTHS[day.month - 1]} {buddhist_year(day)}", shop=vendor.shop_name)]
    channels = [key for key in sales_texts.CHANNELS if totals.by_channel.get(key)]
    lines += [sales_texts.MONTH_LINE.format(channel=sales_texts.CHANNELS[key],
                                            amount=products.format_price(totals.by_channel[key])) for key in channels]
    lines.append(sales_texts.MONTH_TOTAL.format(amount=products.format_price(totals.total_satang))
                 if channels else sales_texts.MONTH_EMPTY)
    return "\n".join(lines)


record_flow = router.add_flow(Flow(
    "sales_record", sales_texts.FLOW_TITLE, [
        Step("product", ask_product, answer_product),
        Step("quantity", ask_quantity, answer_quantity),
        Step("amount", ask_amount, answer_amount),
        Step("channel", ask_channel, answer_channel),
        Step("day", ask_day, answer_day),
        Step("confirm", ask_confirm, answer_confirm),
    ],
    entry_words=(sales_texts.WORD_RECORD_SALE,), postbacks=(SaleProduct, SaleAmountOk, SaleChannel, SaleDay,
                                                           SaleConfirm),
    guard=vendor_guard,
))
