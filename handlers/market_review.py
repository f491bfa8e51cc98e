"""Staff review of the market in chat: the notices reviewers get for a new shop and for a product submitted for
certification (อนุมัติ / ไม่อนุมัติ, and a link to the console), and the decisions tapped from them.

The vendor handlers call `notify_new_shop` / `notify_submission` once the service has recorded the application or
submission; the services write the notice (vendors.ask_reviewers, certification.ask_reviewers: who reviews, what
they read, the outbox rows) with this module's typed buttons, which services cannot pack (they never import bot/).
Who may decide, and whether a decision is still open, is the services' rule too (vendors.open_application,
certification.open_submission), checked again on every tap: postback data is forged easily.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates.basic import message_action, text
from handlers.market import base_url
from models.market import Certification, Vendor
from services import certification, vendors
from services.errors import DomainError
from texts import market as market_texts
from texts import platform as platform_texts

router = Router("market_review")


@dataclass
class VendorDecision(PostbackData, prefix="mkvd"):
    vendor_id: int
    approve: bool


@dataclass
class CertDecision(PostbackData, prefix="mkcd"):
    cert_id: int
    approve: bool


def admin_ids(ctx: Context) -> tuple[str, ...]:
    return tuple(ctx.settings.ADMIN_LINE_USER_IDS)


# ---- notices (written by the services, with this module's buttons) --------------------------------------------------------
def notify_new_shop(ctx: Context, vendor: Vendor) -> None:
    """Sends reviewers the new shop with อนุมัติ / ไม่อนุมัติ buttons."""
    vendors.ask_reviewers(ctx.session, vendor, ctx.now, admin_ids(ctx), base_url(ctx), decide=(
        VendorDecision(vendor.id, True).pack(), VendorDecision(vendor.id, False).pack()))


def notify_submission(ctx: Context, cert: Certification) -> None:
    """Sends reviewers a submitted product with อนุมัติ / ไม่อนุมัติ buttons."""
    certification.ask_reviewers(ctx.session, cert, ctx.now, admin_ids(ctx), base_url(ctx), decide=(
        CertDecision(cert.id, True).pack(), CertDecision(cert.id, False).pack()))


# ---- decisions --------------------------------------------------------------------------------------------------------------
def _still_open(ctx: Context, find):  # noqa: ANN001, ANN202 - a service lookup that raises with the Thai reason
    """The application or submission if the caller may still decide it; else the reason, and None."""
    try:
        return find()
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions() if exc.code == "staff_only" else None))
        return None


@router.on_postback(VendorDecision)
def vendor_decision(ctx: Context, data: VendorDecision) -> None:
    """อนุมัติ approves the shop at once; ไม่อนุมัติ asks the reason first. Staff only, checked now."""
    vendor = _still_open(ctx, lambda: vendors.open_application(ctx.session, data.vendor_id, ctx.user_id or "",
                                                               admin_ids(ctx)))
    if vendor is None:
        return
    if data.approve:
        done = ctx.attempt(lambda: vendors.approve(ctx.session, vendor.id, ctx.user_id, ctx.now, admin_ids(ctx)))
        if done is not None:
            ctx.reply(text(market_texts.STAFF_VENDOR_APPROVED.format(shop=done.shop_name)))
        return
    reason_flow.start(ctx, {"kind": "vendor", "id": vendor.id, "name": vendor.shop_name})


@router.on_postback(CertDecision)
def cert_decision(ctx: Context, data: CertDecision) -> None:
    """อนุมัติ certifies the product; ไม่อนุมัติ asks the reason the vendor will see. Staff only, checked now."""
    cert = _still_open(ctx, lambda: certification.open_submission(ctx.session, data.cert_id, ctx.user_id or "",
                                                                  admin_ids(ctx)))
    if cert is None:
        return
    if data.approve:
        done = ctx.attempt(lambda: certification.approve(ctx.session, cert.id, ctx.user_id, ctx.now, base_url(ctx),
                                                          admin_ids(ctx)))
        if done is not None:
            ctx.reply(text(market_texts.STAFF_CERTIFIED.format(name=done.product.name, number=done.number,
                                                               until=certification.thai_date(done.valid_until))))
        return
    reason_flow.start(ctx, {"kind": "cert", "id": cert.id, "name": cert.product.name})


def ask_reason(ctx: Context, state: FlowState) -> None:
    reasons = market_texts.VENDOR_REJECT_REASONS if state.data.get("kind") == "vendor" else market_texts.REJECT_REASONS
    ask = market_texts.ASK_REJECT_REASON.format(name=state.data.get("name", ""))
    ctx.reply(text(ask + f"\n({platform_texts.FLOW_CANCEL_HINT})", [message_action(r) for r in reasons]))


def answer_reason(ctx: Context, state: FlowState) -> str | None:
    if ctx.text is None:
        ctx.reply(text(market_texts.REASON_BAD.format(max=vendors.REASON_MAX)))
        return None
    reason = ctx.text
    try:
        vendors.clean_reason(reason)
    except DomainError as exc:
        ctx.reply(text(exc.message))
        return None
    target = int(state.data.get("id", 0))
    if state.data.get("kind") == "vendor":
        vendor = ctx.attempt(lambda: vendors.reject(ctx.session, target, ctx.user_id, reason, ctx.now,
                                                     admin_ids(ctx)))
        if vendor is not None:
            ctx.reply(text(market_texts.STAFF_VENDOR_REJECTED.format(shop=vendor.shop_name)))
    else:
        cert = ctx.attempt(lambda: certification.reject(ctx.session, target, ctx.user_id, reason, ctx.now,
                                                         admin_ids(ctx)))
        if cert is not None:
            ctx.reply(text(market_texts.STAFF_REJECTED.format(name=cert.product.name)))
    return END


def _staff_guard(ctx: Context) -> bool:
    try:
        vendors.require_reviewer(ctx.session, ctx.user_id or "", admin_ids(ctx))
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions()))
        return False
    return True


reason_flow = router.add_flow(Flow("market_reason", market_texts.REASON_TITLE,
                                   [Step("reason", ask_reason, answer_reason)], guard=_staff_guard))
