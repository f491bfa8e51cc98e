"""REST API of referral links and commissions (read).

A sharer appears only as an internal number (`sharer_id`): never their LINE id or PromptPay ID (personal data)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from bot.runtime import runtime
from models.market import Product
from models.orders import COMMISSION_STATUSES, Commission
from models.referrals import ReferralLink
from services import order_reports, referrals
from services.sales import month_range
from web.api_sales import MONTH_PATTERN
from web.openapi import ApiModel, ApiRouter, ListQuery, UtcDateTime, page_of
from web.pagination import keyset_page

router = ApiRouter("referrals", "ลิงก์แนะนำและค่าแนะนำ (แชร์รับรายได้)")

CommissionStatus = Literal[COMMISSION_STATUSES]  # type: ignore[valid-type]


class ReferralLinkOut(ApiModel):
    """A sharer's personal link to one product (`PUBLIC_BASE_URL/r/<code>`)."""

    id: int
    code: str
    url: str
    product_id: int
    product_name: str
    vendor_id: int
    sharer_id: int = Field(description="Internal number of the sharer (not a LINE id).")
    clicks: int = Field(description="Counted clicks: at most one per visitor per hour; bots and HEAD not counted.")
    orders: int = Field(description="Orders attributed to the link.")
    enabled: bool
    created_at: UtcDateTime
    disabled_at: UtcDateTime | None


class ReferralLinkQuery(ListQuery):
    product_id: int | None = Field(None, ge=1, description="Only links to this product.")
    vendor_id: int | None = Field(None, ge=1, description="Only links to this shop's products.")
    sharer_id: int | None = Field(None, ge=1, description="Only this sharer's links.")


class CommissionOut(ApiModel):
    """What one attributed order earns its sharer, and where it stands: `pending` until receipt plus the holding
    period, `hold` for staff to decide, `approved` (owed by the shop), `paid`, `reversed`."""

    id: int
    order_id: int
    sharer_id: int = Field(description="Internal number of the sharer (not a LINE id).")
    vendor_id: int
    link_id: int
    rate_percent: int
    amount_satang: int
    status: CommissionStatus  # type: ignore[valid-type]
    hold_reason: str | None
    approve_after: UtcDateTime | None
    created_at: UtcDateTime
    updated_at: UtcDateTime


class CommissionQuery(ListQuery):
    status: CommissionStatus | None = Field(None, description="Only commissions in this state.")  # type: ignore
    vendor_id: int | None = Field(None, ge=1, description="Only this shop's commissions.")
    month: str | None = Field(None, pattern=MONTH_PATTERN,
                              description="Created in this month (Khon Kaen), `YYYY-MM`.")


@router.get("/referral-links", summary="List referral links", query=ReferralLinkQuery,
            response=page_of(ReferralLinkOut))
def list_referral_links(query: ReferralLinkQuery) -> Any:
    """Links in id order (keyset pagination) with their counted clicks and attributed orders."""
    stmt = select(ReferralLink)
    if query.product_id:
        stmt = stmt.where(ReferralLink.product_id == query.product_id)
    if query.vendor_id:
        stmt = stmt.where(ReferralLink.product_id.in_(select(Product.id).where(Product.vendor_id == query.vendor_id)))
    if query.sharer_id:
        stmt = stmt.where(ReferralLink.sharer_id == query.sharer_id)
    rt = runtime()
    base = rt.settings.public_base_url
    with rt.db.transaction() as session:
        rows, next_cursor = keyset_page(session, stmt, ReferralLink.id, limit=query.limit, cursor=query.cursor)
        link_ids = [r.id for r in rows]
        clicks, orders = referrals.click_counts(session, link_ids), referrals.order_counts(session, link_ids)
        ids = {r.product_id for r in rows}
        found = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))} if ids else {}
        data = [ReferralLinkOut(
            id=r.id, code=r.code, url=referrals.link_url(base, r.code), product_id=r.product_id,
            product_name=found[r.product_id].name if r.product_id in found else "",
            vendor_id=found[r.product_id].vendor_id if r.product_id in found else 0, sharer_id=r.sharer_id,
            clicks=clicks.get(r.id, 0), orders=orders.get(r.id, 0), enabled=r.disabled_at is None, created_at=r.created_at,
            disabled_at=r.disabled_at) for r in rows]
        return page_of(ReferralLinkOut)(data=data, next_cursor=next_cursor)


@router.get("/commissions", summary="List commissions", query=CommissionQuery, response=page_of(CommissionOut))
def list_commissions(query: CommissionQuery) -> Any:
    """Commissions in id order (keyset pagination), filtered by state, shop and month created."""
    stmt = select(Commission)
    if query.status:
        stmt = stmt.where(Commission.status == query.status)
    if query.vendor_id:
        stmt = stmt.where(Commission.vendor_id == query.vendor_id)
    if query.month:
        first, after = month_range(query.month)
        stmt = stmt.where(Commission.created_at >= order_reports.start_of_day(first),
                          Commission.created_at < order_reports.start_of_day(after))
    with runtime().db.transaction() as session:
        rows, next_cursor = keyset_page(session, stmt, Commission.id, limit=query.limit, cursor=query.cursor)
        return page_of(CommissionOut)(data=[CommissionOut.model_validate(r) for r in rows], next_cursor=next_cursor)
