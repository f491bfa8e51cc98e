"""The buyer sample: reproducible under a seeded random source, the rate holds over 10,000 orders, and the decision
is drawn once at receipt (buyer-confirmed or automatic) and never re-drawn."""

from __future__ import annotations

import math
import random

from models.feedback import BuyerSurvey
from scheduler.jobs_orders import auto_receive
from services import buyer_feedback, orders
from tests.feedback.conftest import received_order
from tests.market.conftest import seed_listed
from tests.orders.conftest import accept, make_shop, place

N = 10_000


def test_the_draw_is_reproducible_with_a_seeded_random():
    first = [buyer_feedback.draw(random.Random(2569), 0.3) for _ in range(1)]
    rng_a, rng_b = random.Random(2569), random.Random(2569)
    a = [buyer_feedback.draw(rng_a, 0.3) for _ in range(N)]
    b = [buyer_feedback.draw(rng_b, 0.3) for _ in range(N)]
    assert a == b and a[0] == first[0]
    assert a != [buyer_feedback.draw(random.Random(2570), 0.3) for _ in range(N)]


def test_the_rate_holds_over_ten_thousand_orders():
    for seed, rate in ((1, 0.3), (2, 0.3), (3, 0.1), (4, 0.75)):
        rng = random.Random(seed)
        share = sum(buyer_feedback.draw(rng, rate) for _ in range(N)) / N
        tolerance = 4 * math.sqrt(rate * (1 - rate) / N)  # four standard errors: a false alarm 1 in 15,000 runs
        assert abs(share - rate) < tolerance, (seed, rate, share)
    rng = random.Random(5)
    assert not any(buyer_feedback.draw(rng, 0.0) for _ in range(1000))
    assert all(buyer_feedback.draw(rng, 1.0) for _ in range(1000))


def test_recorded_decisions_follow_the_seeded_source_and_are_never_redrawn(rt):
    pid = seed_listed(rt, 1)[0]
    expected_rng = random.Random(7)
    expected = [buyer_feedback.draw(expected_rng, 0.5) for _ in range(12)]
    rng = random.Random(7)
    ids = [received_order(rt, pid, f"U{i:032d}", rate=0.5, rng=rng) for i in range(12)]
    with rt.db.transaction() as session:
        rows = [session.get(BuyerSurvey, i) for i in ids]
        assert [r.sampled for r in rows] == expected
        assert {r.status for r in rows if r.sampled} == {"waiting"}
        assert {r.status for r in rows if not r.sampled} == {"not_sampled"}
        assert {r.sample_rate for r in rows} == {0.5}
        # A second receipt call, even with a source that would say the opposite, changes nothing.
        for row in rows:
            order = session.get(orders.Order, row.order_id)
            again = buyer_feedback.record_receipt(session, order, rt.clock(), rate=1.0 - row.sampled,
                                                  rng=random.Random(99))
            assert again.id == row.id and again.sampled == row.sampled
        assert session.query(BuyerSurvey).count() == 12


def _shipped(rt, shop, buyer) -> int:
    order_id = place(rt, buyer, shop.product_id)
    accept(rt, shop, order_id)
    with rt.db.transaction() as session:
        orders.confirm_paid(session, order_id, shop.seller.user_id, rt.clock())
        orders.ship(session, order_id, shop.seller.user_id, rt.clock(), carrier="thailand_post",
                    tracking="EF123456785TH")
    rt.process_pending()
    return order_id


def test_receipt_by_the_buyer_and_automatic_receipt_both_draw_once(chat, rt):
    shop = make_shop(chat, rt, stock="5")
    buyer = chat("สมใจ")
    buyer.follow()
    confirmed = _shipped(rt, shop, buyer)
    automatic = _shipped(rt, shop, buyer)
    with rt.db.transaction() as session:
        orders.mark_received(session, confirmed, buyer.user_id, rt.clock(), hold_days=7, survey_rate=1.0)
    with rt.db.transaction() as session:
        row = session.query(BuyerSurvey).filter_by(order_id=confirmed).one()
        assert row.sampled and row.status == "waiting" and row.citizen_id is not None
    rt.clock.advance(days=rt.settings.ORDER_AUTO_RECEIVE_DAYS, minutes=1)
    assert auto_receive(rt, rt.clock()) == 1
    assert auto_receive(rt, rt.clock()) == 0
    with rt.db.transaction() as session:
        rows = session.query(BuyerSurvey).order_by(BuyerSurvey.order_id).all()
        assert [r.order_id for r in rows] == [confirmed, automatic]
        assert rows[1].sample_rate == rt.settings.BUYER_SURVEY_SAMPLE_RATE
