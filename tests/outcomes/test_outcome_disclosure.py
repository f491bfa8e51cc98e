"""The funnel as the public may see it: small counts hidden, sales of few shops or of one dominant shop hidden with
the totals that would give them back, and months 4-6 not recoverable by subtracting the two periods after."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from services import training_outcomes
from tests.outcomes.conftest import fixture_sale, line_id, make_training, open_shop

LATER = datetime(2027, 6, 1, tzinfo=UTC)


def test_the_public_funnel_hides_what_could_single_out_a_person_or_a_shop(rt, clock):
    people = [line_id(n) for n in range(1, 6)]
    built = make_training(rt, clock(), attendees=people)
    shops = [open_shop(rt, uid, clock(), shop=f"ร้านทดสอบที่{n}") for n, uid in enumerate(people, start=1)]
    for shop in shops[:3]:
        fixture_sale(rt, shop, date(2026, 10, 1), 10_000, "online")  # before: three shops alike, shown
    fixture_sale(rt, shops[0], date(2026, 10, 2), 20_000, "market")  # before: one shop, hidden
    for shop, amount in zip(shops[:4], (90_000, 5_000, 3_000, 2_000), strict=True):
        fixture_sale(rt, shop, date(2026, 12, 10), amount, "online")  # after: one shop makes 90 %, hidden
    for shop in shops[:3]:
        fixture_sale(rt, shop, date(2027, 1, 10), 10_000, "storefront")  # after 3 months: shown
    fixture_sale(rt, shops[0], date(2027, 4, 10), 5_000, "storefront")  # months 4-6: one shop alone

    with rt.db.transaction() as session:
        funnel = training_outcomes.funnel(session, built.training_id, LATER)
    tail = funnel.sales_months_4_to_6
    assert (tail.traditional_satang, tail.traditional_shops, tail.traditional_top_shop_satang) == (5_000, 1, 5_000)
    public = training_outcomes.public_funnel(funnel)

    assert (public["signed_up"], public["attended"], public["attendance_rate"]) == (5, 5, 1.0)
    assert (public["shops_before"], public["shops_registered_later"]) == (5, 0)  # zero reveals nobody
    before, after3, after6 = public["sales"]
    assert (before["online_satang"], before["traditional_satang"], before["total_satang"]) == (30_000, None, None)
    assert before["per_month_satang"] is None and before["online_shops"] is None  # 3 shops: a count under 5
    assert (after3["online_satang"], after3["traditional_satang"], after3["total_satang"]) == (None, 30_000, None)
    # 35,000 by three shops passes on its own, but less the 30,000 shown for the first three months it would
    # publish months 4-6, made by one shop.
    assert (after6["online_satang"], after6["traditional_satang"]) == (None, None)
    text = json.dumps(public)
    assert "top_shop" not in text and "months_4_to_6" not in text
    assert json.loads(text) == public

    assert training_outcomes.public_funnel(funnel.as_dict()) == public  # a report's dict works the same


def test_the_public_funnel_of_a_small_training_hides_its_counts(rt, clock):
    built = make_training(rt, clock(), attendees=[line_id(1), line_id(2)], no_shows=(line_id(3),))
    with rt.db.transaction() as session:
        public = training_outcomes.public_funnel(training_outcomes.funnel(session, built.training_id, LATER))
    assert (public["signed_up"], public["attended"], public["attendance_rate"]) == (None, None, None)
    assert all(w["online_satang"] == 0 and w["total_satang"] == 0 for w in public["sales"])  # nothing sold: 0
