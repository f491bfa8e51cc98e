"""Buyer feedback helpers: received orders as direct rows (cheap, for ratings and scans), and answers given through
the service (so the re-inspection recompute runs as it does in chat)."""

from __future__ import annotations

import random
import uuid
from typing import Any

from models.feedback import BuyerSurvey
from models.market import Product
from models.orders import Order
from services import buyer_feedback, citizens


def received_order(rt: Any, product_id: int, buyer_uid: str | None, *, district: str = "phon",
                   rate: float = 1.0, rng: random.Random | None = None, follow: bool = True) -> int:
    """A received order of the product (a direct row, as the order rules leave it) with its sample drawn; returns
    the buyer survey's id."""
    now = rt.clock()
    with rt.db.transaction() as session:
        product = session.get(Product, product_id)
        if buyer_uid is not None:
            citizen = citizens.get_or_create(session, buyer_uid, now)
            citizen.is_following = follow
        order = Order(request_key=uuid.uuid4().hex, buyer_line_user_id=buyer_uid, vendor_id=product.vendor_id,
                      product_id=product.id, product_name=product.name, quantity=1,
                      unit_price_satang=product.price_satang, delivery_option="pickup", total_satang=product.price_satang,
                      payment_method="pickup", buyer_district=district, status="received", placed_at=now,
                      received_at=now, received_by="buyer", updated_at=now)
        session.add(order)
        session.flush()
        return buyer_feedback.record_receipt(session, order, now, rate=rate, rng=rng).id


def answer(rt: Any, product_id: int, *, product: int, shop: int = 4, delivery: int = 4, overall: int = 4,
           comment: str | None = None, buyer_uid: str | None = None, district: str = "phon") -> int:
    """A buyer invited and answering every question through the service; returns the buyer survey's id."""
    uid = buyer_uid or "U" + uuid.uuid4().hex
    survey_id = received_order(rt, product_id, uid, district=district)
    now = rt.clock()
    with rt.db.transaction() as session:
        row = session.get(BuyerSurvey, survey_id)
        row.status, row.invited_at = "sent", now
        buyer_feedback.start(session, survey_id, uid, now)
        buyer_feedback.answer_rating(session, survey_id, "product", uid, product, now)
        if product == 1:
            if comment:
                buyer_feedback.answer_comment(session, survey_id, uid, comment, now)
            else:
                buyer_feedback.skip(session, survey_id, "comment", uid, now)
        buyer_feedback.answer_rating(session, survey_id, "shop", uid, shop, now)
        buyer_feedback.answer_rating(session, survey_id, "delivery", uid, delivery, now)
        buyer_feedback.answer_rating(session, survey_id, "overall", uid, overall, now)
        buyer_feedback.skip(session, survey_id, "photo", uid, now)
    return survey_id
