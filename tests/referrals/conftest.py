"""Share-and-earn test helpers: listed products in the programme and members, built through the services."""

from __future__ import annotations

from typing import Any

from models.market import Product
from models.referrals import ReferralLink
from services import consent, referrals
from tests.market.conftest import seed_listed

MEMBER_PROMPTPAY = "0812345678"


def programme_products(rt: Any, count: int = 1, percent: int | None = 10, **kwargs: Any) -> list[int]:
    """`count` listed products whose vendor set `percent` (None: the programme default applies)."""
    ids = seed_listed(rt, count, **kwargs)
    with rt.db.transaction() as session:
        for product_id in ids:
            session.get(Product, product_id).commission_percent = percent
    return ids


def make_member(rt: Any, line_user_id: str, promptpay: str = MEMBER_PROMPTPAY) -> int:
    """An active member (opt-in given, PromptPay set); returns the sharer id."""
    now = rt.clock()
    with rt.db.transaction() as session:
        consent.grant(session, line_user_id, consent.SHARE_EARN, now)
        return referrals.join(session, line_user_id, promptpay, now).id


def make_link(rt: Any, line_user_id: str, product_id: int) -> str:
    """The member's personal link code for the product."""
    with rt.db.transaction() as session:
        sharer = referrals.get_sharer(session, line_user_id)
        return referrals.link_for(session, sharer, session.get(Product, product_id), rt.clock()).code


def link_row(rt: Any, code: str) -> ReferralLink:
    with rt.db.transaction() as session:
        link = referrals.link_by_code(session, code)
        session.expunge(link)
        return link
