"""The training funnel on a built history: attendance, shops registered before and after, certified products, and the
attendees' shops' sales online and traditional in the 3 months before and the 3 and 6 months after."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from services import training_outcomes
from services.errors import NotFound
from tests.outcomes.conftest import certified_product, fixture_sale, line_id, make_training, open_shop

A, B, C, D, E, OUTSIDER = (line_id(n) for n in range(1, 7))


def test_funnel_counts_shops_opened_after_the_training_and_their_sales(rt, clock):
    # The training: Wednesday 26 November 2026, 10:00-16:00 in Khon Kaen; everyone signs up on the 23rd.
    built = make_training(rt, clock(), attendees=[A, B, C, E], no_shows=[D])
    a_shop = open_shop(rt, A, clock(), shop="ร้านป้าเอ")  # A had a shop before the training: not "later"
    certified_product(rt, a_shop, clock(), "ข้าวเกรียบ")  # ... so its certified product is not counted either
    after = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)
    b_shop = open_shop(rt, B, after, shop="ร้านบีทอผ้า")
    certified_product(rt, b_shop, after, "ผ้าไหมลายนาค")
    certified_product(rt, b_shop, after, "ผ้าขาวม้า")
    certified_product(rt, b_shop, after, "ผ้าซิ่น", certify=False)  # submitted, not (yet) certified
    open_shop(rt, E, after, shop="ร้านอีรออนุมัติ", approve=False)  # registered later, still pending
    d_shop = open_shop(rt, D, after, shop="ร้านดีไม่ได้มา")  # signed up but never came: not an attendee
    outsider_shop = open_shop(rt, OUTSIDER, after, shop="ร้านคนนอก")

    fixture_sale(rt, a_shop, date(2026, 8, 25), 1_000)  # a day before the 3 months before
    fixture_sale(rt, a_shop, date(2026, 9, 10), 10_000, "online")
    fixture_sale(rt, a_shop, date(2026, 10, 1), 20_000, "storefront")
    fixture_sale(rt, a_shop, date(2026, 11, 26), 99_900, "fair")  # on the training day: in neither period
    fixture_sale(rt, a_shop, date(2026, 12, 15), 30_000, "online")
    fixture_sale(rt, a_shop, date(2027, 4, 1), 40_000, "market")  # months 4-6
    fixture_sale(rt, b_shop, date(2027, 1, 5), 50_000, "online")
    fixture_sale(rt, b_shop, date(2027, 1, 10), -5_000, "online")  # a refund after receipt
    fixture_sale(rt, b_shop, date(2027, 3, 1), 60_000, "fair")
    fixture_sale(rt, b_shop, date(2027, 5, 27), 77_700, "market")  # the day after the 6 months
    fixture_sale(rt, d_shop, date(2026, 12, 20), 70_000, "online")
    fixture_sale(rt, outsider_shop, date(2026, 12, 20), 80_000, "storefront")

    with rt.db.transaction() as session:
        result = training_outcomes.funnel(session, built.training_id, datetime(2027, 6, 1, tzinfo=UTC))

    assert (result.signed_up, result.attended, result.attendance_rate) == (5, 4, 0.8)
    assert (result.shops_before, result.shops_registered_later, result.shops_approved) == (1, 2, 1)
    assert (result.shops_with_certified, result.certified_products) == (1, 2)
    assert result.kind is None and result.income_applies
    before, after3, after6 = result.sales
    assert (before.key, before.start, before.end) == ("before_3m", date(2026, 8, 26), date(2026, 11, 26))
    assert (after3.start, after3.end, after6.end) == (date(2026, 11, 27), date(2027, 2, 27), date(2027, 5, 27))
    assert (before.online_satang, before.traditional_satang, before.total_satang) == (10_000, 20_000, 30_000)
    assert (before.online_shops, before.traditional_shops, before.selling_shops) == (1, 1, 1)
    assert (after3.online_satang, after3.traditional_satang) == (75_000, 0)
    assert (after3.online_shops, after3.traditional_shops, after3.selling_shops) == (2, 0, 2)
    assert (after6.online_satang, after6.traditional_satang, after6.total_satang) == (75_000, 100_000, 175_000)
    assert (after6.online_shops, after6.traditional_shops, after6.selling_shops) == (2, 2, 2)
    assert after6.per_month_satang == 29_167 and before.per_month_satang == 10_000
    assert all(w.complete for w in result.sales) and result.selling_shops_after == 2
    tail = result.sales_months_4_to_6
    assert (tail.online_satang, tail.traditional_satang, tail.traditional_shops) == (0, 100_000, 2)
    assert (after6.online_top_shop_satang, after6.traditional_top_shop_satang) == (45_000, 60_000)
    assert [(f.months, f.survey_id, f.invited) for f in result.followups] == [(3, None, 0), (6, None, 0)]

    payload = result.as_dict()
    assert json.loads(json.dumps(payload)) == payload  # JSON-able as it is, for the API and reports
    assert payload["sales"][0]["start"] == "2026-08-26" and payload["sales"][2]["per_month_satang"] == 29_167
    assert not any(uid in json.dumps(payload) for uid in (A, B, C, D, E))  # counts and sums, no one's identity


def test_periods_not_over_yet_say_so(rt, clock):
    built = make_training(rt, clock(), attendees=[A])
    with rt.db.transaction() as session:
        result = training_outcomes.funnel(session, built.training_id, datetime(2027, 3, 1, tzinfo=UTC))
    assert [w.complete for w in result.sales] == [True, True, False]


def test_an_empty_training_gives_zeros_not_errors(rt, clock):
    built = make_training(rt, clock(), attendees=[])
    with rt.db.transaction() as session:
        result = training_outcomes.funnel(session, built.training_id, clock())
    assert (result.signed_up, result.attended, result.attendance_rate) == (0, 0, 0.0)
    assert (result.shops_before, result.shops_registered_later, result.shops_approved, result.certified_products,
            result.shops_with_certified, result.selling_shops_after) == (0, 0, 0, 0, 0, 0)
    assert all((w.total_satang, w.selling_shops, w.per_month_satang) == (0, 0, 0) for w in result.sales)
    assert not any(w.complete for w in result.sales[1:])
    assert [f.responses for f in result.followups] == [0, 0]
    assert result.as_dict()["attended"] == 0


def test_an_unknown_training_is_not_found(rt):
    with rt.db.transaction() as session, pytest.raises(NotFound):
        training_outcomes.funnel(session, 999, datetime(2027, 1, 1, tzinfo=UTC))


def test_a_knowledge_training_gets_a_funnel_without_the_income_claim(rt, clock):
    built = make_training(rt, clock(), attendees=[A], project_kind="knowledge_training", title="สุขภาพผู้สูงวัย")
    career = make_training(rt, clock(), attendees=[B], project_kind="career_training")
    with rt.db.transaction() as session:
        knowledge = training_outcomes.funnel(session, built.training_id, clock())
        assert (knowledge.kind, knowledge.income_applies, knowledge.attended) == ("knowledge", False, 1)
        assert training_outcomes.funnel(session, career.training_id, clock()).kind == "career"


def test_hidden_choice_counts_cannot_be_worked_out_from_the_total():
    hide = training_outcomes._hide_small
    assert hide([5, 1, 0, 1]) == [5, None, 0, None]  # two hidden: neither can be derived from the total
    assert hide([6, 5, 1, 0]) == [6, None, None, 0]  # one hidden: the next smallest goes too
    assert hide([5, 1, 0, 0]) == [None, None, 0, 0]
    assert hide([7, 5, 0, 0]) == [7, 5, 0, 0]


def test_months_are_calendar_months():
    assert training_outcomes.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert training_outcomes.add_months(date(2026, 8, 31), -3) == date(2026, 5, 31)
    assert training_outcomes.add_months(date(2027, 1, 15), -3) == date(2026, 10, 15)
