"""Share-and-earn in chat ("แชร์รับรายได้", "ลิงก์ของฉัน"): joining with a PromptPay ID for payouts, and a
personal link, message and QR code per product.

Joining is a declared flow: the share_earn opt-in (asked with a button when missing), then the PromptPay ID. The same
flow changes the ID of a member. Every button is re-checked on the server: a share postback for a product that is not
listed, or from someone who is not an active member, gets a polite answer and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates import referrals as cards
from flex_templates.basic import image, message_action, postback_action, text, with_quick_replies
from flex_templates.citizens import choice_card
from models.market import Product
from models.referrals import Sharer
from services import citizens, consent, products, referrals
from services.errors import DomainError
from texts import citizens as citizens_texts
from texts import commissions as commissions_texts
from texts import market as market_texts
from texts import platform as platform_texts
from texts import referrals as referrals_texts

router = Router("referrals")
router.menu_item(citizens_texts.WORD_SHARE_EARN, order=40)


# ---- typed buttons (prefix "rf") ----------------------------------------------------------------------------------------
@dataclass
class ShareProduct(PostbackData, prefix="rfs"):
    product_id: int


@dataclass
class GiveConsent(PostbackData, prefix="rfok"):
    pass


@dataclass
class ChangePromptpay(PostbackData, prefix="rfpp"):
    pass


@dataclass
class Leave(PostbackData, prefix="rflv"):
    pass


@dataclass
class LeaveConfirm(PostbackData, prefix="rflvy"):
    pass


def _base(ctx: Context) -> str:
    return ctx.settings.public_base_url


def _member_actions() -> list[dict]:
    return [message_action(referrals_texts.WORD_MY_LINKS), message_action(commissions_texts.WORD_MY_EARNINGS),
            message_action(market_texts.WORD_CATALOG)]


def _cancel_action() -> dict:
    return message_action(platform_texts.WORD_CANCEL)


def masked(promptpay_id: str | None) -> str:
    """'0812345678' -> '081xxxx678': enough for the member to recognise, not for a shoulder reader."""
    value = promptpay_id or ""
    if len(value) < 7:
        return value
    return referrals_texts.MASKED.format(head=value[:3], tail=value[-3:])


def _programme_body(ctx: Context) -> str:
    return referrals_texts.BODY.format(hold_days=ctx.settings.COMMISSION_HOLD_DAYS)


# ---- "แชร์รับรายได้" ------------------------------------------------------------------------------------------------------
@router.on_text(citizens_texts.WORD_SHARE_EARN)
def share_earn(ctx: Context) -> None:
    """A member sees their status and choices; anyone else reads the programme and starts joining."""
    if ctx.user_id is None:
        return
    citizens.get_or_create(ctx.session, ctx.user_id, ctx.now)  # so "ข้อมูลของฉัน" can show and erase what is kept
    sharer = referrals.get_sharer(ctx.session, ctx.user_id)
    if sharer is not None:
        _member_card(ctx, sharer)
        return
    step = "promptpay" if consent.has_opt_in(ctx.session, ctx.user_id, consent.SHARE_EARN) else "consent"
    join_flow.start(ctx, {"change": False}, step=step)


def _member_card(ctx: Context, sharer: Sharer) -> None:
    body = f"{_programme_body(ctx)}\n\n{referrals_texts.MEMBER_STATUS.format(promptpay=masked(sharer.promptpay_id))}"
    ctx.reply(choice_card(referrals_texts.ALT, referrals_texts.TITLE, body, [
        message_action(referrals_texts.WORD_MY_LINKS),
        message_action(commissions_texts.WORD_MY_EARNINGS),
        postback_action(referrals_texts.CHANGE_PROMPTPAY, ChangePromptpay().pack(), referrals_texts.CHANGE_PROMPTPAY),
        postback_action(referrals_texts.LEAVE, Leave().pack(), referrals_texts.LEAVE),
    ], ctx.menu_actions()))


def ask_consent(ctx: Context, state: FlowState) -> None:
    body = f"{_programme_body(ctx)}\n\n{referrals_texts.CONSENT_ASK}"
    ctx.reply(choice_card(referrals_texts.ALT, referrals_texts.TITLE, body, [
        postback_action(referrals_texts.CONSENT_YES, GiveConsent().pack(), referrals_texts.CONSENT_YES),
        _cancel_action(),
    ], [_cancel_action()]))


def answer_consent(ctx: Context, state: FlowState) -> str | None:
    if ctx.postback_as(GiveConsent) is None and ctx.text != referrals_texts.CONSENT_YES:
        ctx.reply(text(referrals_texts.TAP_CONSENT, [
            postback_action(referrals_texts.CONSENT_YES, GiveConsent().pack(), referrals_texts.CONSENT_YES),
            _cancel_action()]))
        return None
    consent.grant(ctx.session, ctx.user_id, consent.SHARE_EARN, ctx.now)
    state.data["explained"] = True  # the consent card already explained the programme
    return "promptpay"


def ask_promptpay(ctx: Context, state: FlowState) -> None:
    if state.data.get("change") or state.data.get("explained"):
        ctx.reply(text(referrals_texts.ASK_PROMPTPAY, [_cancel_action()]))
        return
    ctx.reply(choice_card(referrals_texts.ALT, referrals_texts.TITLE, _programme_body(ctx), [_cancel_action()]),
              text(referrals_texts.ASK_PROMPTPAY, [_cancel_action()]))


def answer_promptpay(ctx: Context, state: FlowState) -> str | None:
    if ctx.text is None:
        ctx.reply(text(referrals_texts.ASK_PROMPTPAY, [_cancel_action()]))
        return None
    try:
        with ctx.session.begin_nested():
            if state.data.get("change"):
                sharer = referrals.set_promptpay(ctx.session, ctx.user_id, ctx.text, ctx.now)
                answer = referrals_texts.PROMPTPAY_CHANGED
            else:
                sharer = referrals.join(ctx.session, ctx.user_id, ctx.text, ctx.now)
                answer = referrals_texts.JOINED
    except DomainError as exc:
        ctx.reply(text(exc.message, [_cancel_action()]))
        return None if exc.code == "bad_promptpay" else END
    ctx.reply(text(answer.format(promptpay=masked(sharer.promptpay_id)), _member_actions()))
    return END


join_flow = router.add_flow(Flow(
    "referral_join", referrals_texts.FLOW_TITLE,
    [Step("consent", ask_consent, answer_consent), Step("promptpay", ask_promptpay, answer_promptpay)],
    postbacks=(GiveConsent,),
))


@router.on_postback(ChangePromptpay)
def change_promptpay(ctx: Context, data: ChangePromptpay) -> None:
    if referrals.get_sharer(ctx.session, ctx.user_id) is None:
        _invite(ctx)
        return
    join_flow.start(ctx, {"change": True}, step="promptpay")


@router.on_postback(Leave)
def ask_leave(ctx: Context, data: Leave) -> None:
    """Asks before leaving: links stop earning."""
    if referrals.get_sharer(ctx.session, ctx.user_id) is None:
        ctx.reply(text(referrals_texts.NOT_LEFT, ctx.menu_actions()))
        return
    ctx.reply(text(referrals_texts.LEAVE_CONFIRM, [
        postback_action(referrals_texts.LEAVE_YES, LeaveConfirm().pack(), referrals_texts.LEAVE_YES),
        _cancel_action()]))


@router.on_postback(LeaveConfirm)
def leave(ctx: Context, data: LeaveConfirm) -> None:
    if ctx.user_id is None:
        return
    left = referrals.leave(ctx.session, ctx.user_id, ctx.now)
    ctx.reply(text(referrals_texts.LEFT if left else referrals_texts.NOT_LEFT, ctx.menu_actions()))


def _invite(ctx: Context) -> None:
    """What a non-member gets where a member would see their links: the programme and a way to join."""
    ctx.reply(choice_card(referrals_texts.ALT, referrals_texts.TITLE,
                          f"{referrals_texts.NOT_MEMBER}\n\n{_programme_body(ctx)}",
                          [message_action(referrals_texts.JOIN, citizens_texts.WORD_SHARE_EARN)], ctx.menu_actions()))


# ---- sharing a product ----------------------------------------------------------------------------------------------------
@router.on_postback(ShareProduct)
def share_product(ctx: Context, data: ShareProduct) -> None:
    """A member's personal link to a product: the link, a ready-made message, LINE's share button and a QR image."""
    try:
        with ctx.session.begin_nested():
            link = referrals.personal_link(ctx.session, ctx.user_id, data.product_id, ctx.now,
                                           ctx.settings.DEFAULT_COMMISSION_PERCENT)
    except DomainError as exc:
        actions = [message_action(market_texts.WORD_CATALOG)]
        if exc.code == "not_a_sharer":
            actions.append(message_action(citizens_texts.WORD_SHARE_EARN))
        ctx.reply(text(exc.message, actions))
        return
    product = ctx.session.get(Product, link.product_id)
    base = _base(ctx)
    url = referrals.link_url(base, link.code)
    message = referrals.share_message(product.name, products.format_price(product.price_satang), url)
    ctx.reply(
        cards.share_card(referrals_texts.SHARE_ALT.format(name=product.name), referrals_texts.SHARE_TITLE,
                         product.name, url, message, referrals_texts.SHARE_HINT, [
                             (referrals_texts.SHARE_BUTTON, cards.uri(referrals.line_share_url(message, url))),
                             (referrals_texts.OPEN_LINK, cards.uri(url)),
                         ]),
        text(message),
        with_quick_replies(image(referrals.qr_url(base, link.code)), _member_actions()),
    )


# ---- "ลิงก์ของฉัน" ---------------------------------------------------------------------------------------------------------
@router.on_text(referrals_texts.WORD_MY_LINKS)
def my_links(ctx: Context) -> None:
    """The member's links, newest first, with counted clicks and orders; a non-member gets the invitation."""
    sharer = referrals.get_sharer(ctx.session, ctx.user_id)
    if sharer is None:
        _invite(ctx)
        return
    rows = referrals.links_for_sharer(ctx.session, sharer.id)
    if not rows:
        ctx.reply(text(referrals_texts.NO_LINKS, _member_actions()))
        return
    base = _base(ctx)
    items = [cards.LinkCard(
        product_name=row.product.name, link=referrals.link_url(base, row.link.code),
        stats=referrals_texts.LINK_STATS.format(clicks=f"{row.clicks:,}", orders=f"{row.orders:,}"),
        note=referrals_texts.LINK_DISABLED if row.link.disabled_at is not None else None,
        buttons=[(referrals_texts.COPY_LINK, {"type": "postback", "data": ShareProduct(row.product.id).pack(),
                                             "displayText": referrals_texts.COPY_LINK})]
        if row.link.disabled_at is None else [],
    ) for row in rows]
    ctx.reply(cards.links_carousel(referrals_texts.MY_LINKS_ALT, items, _member_actions()))
