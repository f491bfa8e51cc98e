"""Commissions in chat: a sharer's "รายได้ของฉัน", and a vendor recording that they paid a sharer.

"รายได้ของฉัน": what the member has waiting, ready and received, with the latest movements of their ledger.
"จ่ายค่าแนะนำ": the shop's sharers with approved balances; one tap shows the sharer's PromptPay ID and a QR for the
exact amount, and "จ่ายแล้ว" records the payout. The shop is always the caller's own (never taken from the button
data), so a forged button can at most say there is nothing to pay.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.postback import PostbackData
from bot.router import Router
from flex_templates.basic import image, message_action, postback_action, text
from models.referrals import Sharer
from services import commissions
from services.products import format_price
from texts import citizens as citizens_texts
from texts import commissions as commissions_texts
from texts import referrals as referrals_texts
from texts.dates import thai_date

router = Router("earnings")
MAX_OWED_SHOWN = 10  # quick replies hold 13; the rest wait for the next payout round


@dataclass
class PaySharer(PostbackData, prefix="cmp"):
    sharer_id: int


@dataclass
class PaidSharer(PostbackData, prefix="cmy"):
    sharer_id: int
    amount: int


@dataclass
class NotPaidYet(PostbackData, prefix="cmn"):
    sharer_id: int


# ---- the sharer -------------------------------------------------------------------------------------------------------
def _entry_status(status: str, kind: str) -> str:
    return commissions_texts.ENTRY_STATUS.get((status, kind), commissions_texts.STATUS_NAMES.get(status, status))


@router.on_text(commissions_texts.WORD_MY_EARNINGS)
def my_earnings(ctx: Context) -> None:
    """Shows a sharer's totals by state and their latest ledger entries."""
    sharer = commissions.sharer_by_user(ctx.session, ctx.user_id)
    if sharer is None:
        ctx.reply(text(commissions_texts.NOT_A_SHARER, [message_action(citizens_texts.WORD_SHARE_EARN)]))
        return
    totals = commissions.balances(ctx.session, sharer.id)
    lines = [commissions_texts.EARNINGS_TITLE]
    lines += [commissions_texts.EARNINGS_LINE.format(name=name, amount=format_price(totals[bucket]))
              for bucket, name in commissions_texts.EARNINGS_BUCKETS if bucket != "hold" or totals["hold"]]
    latest = commissions.latest_entries(ctx.session, sharer.id)
    if latest:
        lines += ["", commissions_texts.EARNINGS_LATEST]
        lines += [commissions_texts.EARNINGS_ENTRY.format(
            date=thai_date(line.at), product=line.product, amount=format_price(line.amount_satang),
            status=_entry_status(line.status, line.kind)) for line in latest]
    else:
        lines += ["", commissions_texts.EARNINGS_NONE]
    lines += ["", commissions_texts.EARNINGS_HOW.format(days=ctx.settings.COMMISSION_HOLD_DAYS,
                                                       promptpay=_masked(sharer.promptpay_id))]
    if sharer.left_at is not None:
        lines.append(commissions_texts.EARNINGS_LEFT)
    ctx.reply(text("\n".join(lines), [message_action(referrals_texts.WORD_MY_LINKS), *ctx.menu_actions()]))


def _masked(promptpay_id: str | None) -> str:
    value = promptpay_id or "-"
    return value if len(value) < 7 else f"{value[:3]}xxxx{value[-3:]}"


# ---- the shop ---------------------------------------------------------------------------------------------------------
def _who(ctx: Context, sharer_id: int) -> str:
    sharer = ctx.session.get(Sharer, sharer_id)
    name = commissions.sharer_name(ctx.session, sharer) if sharer is not None else None
    return name or commissions_texts.SHARER_LABEL.format(id=sharer_id)


@router.on_text(commissions_texts.WORD_PAY_SHARERS)
def owed_to_sharers(ctx: Context) -> None:
    """Lists the sharers the caller's shop owes, each with a button to pay them."""
    vendor = commissions.vendor_of(ctx.session, ctx.user_id)
    if vendor is None:
        ctx.reply(text(commissions_texts.NOT_A_SHOP, ctx.menu_actions()))
        return
    owed = commissions.owed_by_vendor(ctx.session, vendor.id)[:MAX_OWED_SHOWN]
    if not owed:
        ctx.reply(text(commissions_texts.OWED_NONE, ctx.menu_actions()))
        return
    lines = [commissions_texts.OWED_TITLE.format(shop=vendor.shop_name, count=len(owed))]
    lines += [commissions_texts.OWED_LINE.format(index=index, who=_who(ctx, row.sharer_id),
                                                amount=format_price(row.amount_satang))
              for index, row in enumerate(owed, start=1)]
    buttons = [postback_action(commissions_texts.PAY_BUTTON.format(index=index), PaySharer(row.sharer_id).pack())
               for index, row in enumerate(owed, start=1)]
    ctx.reply(text("\n".join(lines), buttons))


@router.on_postback(PaySharer)
def pay_sharer(ctx: Context, data: PaySharer) -> None:
    """Shows the sharer's PromptPay ID and a QR for the exact amount owed, then asks to confirm the transfer."""
    vendor = commissions.vendor_of(ctx.session, ctx.user_id)
    if vendor is None:
        ctx.reply(text(commissions_texts.NOT_A_SHOP, ctx.menu_actions()))
        return
    amount = commissions.payable(ctx.session, vendor.id, data.sharer_id)
    if amount <= 0:
        ctx.reply(text(commissions_texts.NOTHING_PAYABLE, [message_action(commissions_texts.WORD_PAY_SHARERS)]))
        return
    sharer = ctx.session.get(Sharer, data.sharer_id)
    who = _who(ctx, data.sharer_id)
    if sharer is None or not sharer.promptpay_id:
        ctx.reply(text(commissions_texts.PAY_NO_PROMPTPAY.format(who=who), ctx.menu_actions()))
        return
    token = commissions.payout_qr_token(ctx.settings.LINE_CHANNEL_SECRET or "", vendor.id, sharer.id, amount,
                                        ctx.now)
    url = f"{ctx.settings.public_base_url.rstrip('/')}/commissions/payout-qr/{token}.png"
    ctx.reply(image(url), text(
        commissions_texts.PAY_HOW.format(who=who, amount=format_price(amount), promptpay=sharer.promptpay_id),
        [postback_action(commissions_texts.WORD_PAID, PaidSharer(sharer.id, amount).pack(),
                         commissions_texts.WORD_PAID),
         postback_action(commissions_texts.WORD_NOT_YET, NotPaidYet(sharer.id).pack(), commissions_texts.WORD_NOT_YET)],
    ))


@router.on_postback(PaidSharer)
def paid_sharer(ctx: Context, data: PaidSharer) -> None:
    """Records the payout the vendor confirmed (only for the caller's own shop, only the amount owed)."""
    vendor = commissions.vendor_of(ctx.session, ctx.user_id)
    if vendor is None:
        ctx.reply(text(commissions_texts.NOT_A_SHOP, ctx.menu_actions()))
        return
    payout = ctx.attempt(lambda: commissions.record_payout(
        ctx.session, ctx.user_id, vendor.id, data.sharer_id, data.amount, ctx.now, None,
        ctx.settings.ADMIN_LINE_USER_IDS), [message_action(commissions_texts.WORD_PAY_SHARERS)])
    if payout is not None:
        ctx.reply(text(commissions_texts.PAID_DONE.format(amount=format_price(payout.amount_satang),
                                                         who=_who(ctx, data.sharer_id)),
                       [message_action(commissions_texts.WORD_PAY_SHARERS), *ctx.menu_actions()]))


@router.on_postback(NotPaidYet)
def not_paid_yet(ctx: Context, data: NotPaidYet) -> None:
    ctx.reply(text(commissions_texts.PAY_LATER, ctx.menu_actions()))
