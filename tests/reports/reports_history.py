"""A small, known history of the programme for report tests, built through the services where they exist.

Shops and products are inserted as rows (FIXTURE ONLY, as tests/sales/conftest.py does for orders): the chat flows
that make them are tested elsewhere and would make these tests slow. Everything else goes through the services:
follows, districts, projects, trainings, sign-ups, check-ins, surveys and answers, announcements, sales.

What it holds (the clock stands at 23 Nov 2026, 10:00 in Khon Kaen):
- followers: 6 follow in Aug 2026 (3 mueang, 3 chonnabot), 1 (mueang) in Sep who leaves in Oct, 1 (chonnabot) in
  Oct: 6, 7, 7, 7 at the ends of Aug-Nov; 7 follow now, 4 of them in chonnabot.
- shops: ร้านแม่ศรี (mueang, a certified textile), ร้านลุงมา (mueang, food not yet certified), ร้านป้าจันทร์
  (chonnabot, a certified textile).
- traditional sales: Sep mueang 1,000 + 500 baht; Oct chonnabot 300 (textile) + 200 baht (unposted goods).
- online sales (received orders): Oct ร้านแม่ศรี 2 x 1,200 baht; Nov ร้านป้าจันทร์ 1 x 800 baht; plus one order only
  placed and one cancelled. The Oct order came through a share link with 3 clicks and a 120-baht commission.
- project ฝึกอาชีพทอผ้าไหม (career_training, mueang), completed; its training (15 Oct 2026): 3 signed up, 2 came;
  a knowledge training on 10 Dec 2026 (no project): 1 signed up.
- training survey ratings: 5, 4 and 4, 2 (trainees: 4 answers, mean 3.75); project survey: 5 and 3 (mean 4.0).
- one announcement (11 Nov) to the followers in mueang: 3.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from models.market import Product, Vendor
from models.orders import Order
from services import announcements, citizens, projects, sales, surveys, training_checkin, trainings
from services.announcements import Audience
from services.projects import ProjectInput
from services.surveys import QuestionInput
from services.trainings import TrainingInput
from tests.conftest import ADMIN_ID


def at(y: int, m: int, d: int, hour: int = 3) -> datetime:
    return datetime(y, m, d, hour, tzinfo=UTC)


def uid(n: int) -> str:
    return "U" + f"{n:032x}"


@dataclass
class History:
    project_id: int
    training_id: int
    future_training_id: int
    vendor_ids: tuple[int, int, int]
    citizen_ids: dict[int, int]


def _shop(session: Any, name: str, district: str, product: str, category: str, price: int, certified: bool,
          now: datetime) -> tuple[int, int]:
    """FIXTURE ONLY: an approved shop with one product (see the module docstring)."""
    vendor = Vendor(line_user_id=None, shop_name=name, district=district, status="approved", created_at=now,
                    updated_at=now, decided_at=now)
    session.add(vendor)
    session.flush()
    item = Product(vendor_id=vendor.id, name=product, category=category, price_satang=price, unit="ชิ้น",
                   description="ทำมือ", stock=10, cert_status="certified" if certified else "submitted",
                   certified_until=now + timedelta(days=365) if certified else None, created_at=now, updated_at=now)
    session.add(item)
    session.flush()
    return vendor.id, item.id


def _order(session: Any, vendor_id: int, product_id: int, quantity: int, price: int, status: str,
           when: datetime) -> Order:
    """FIXTURE ONLY: an order as the order flow leaves it (placed, or received, or cancelled)."""
    received = status == "received"
    order = Order(request_key=uuid.uuid4().hex, buyer_line_user_id=uid(900), vendor_id=vendor_id,
                  product_id=product_id, product_name="สินค้า", quantity=quantity, unit_price_satang=price,
                  delivery_option="thailand_post", delivery_fee_satang=5000, total_satang=quantity * price + 5000,
                  payment_method="promptpay", buyer_district="mueang", status=status, placed_at=when,
                  received_at=when if received else None, received_by="buyer" if received else None,
                  cancelled_at=when if status == "cancelled" else None, updated_at=when)
    session.add(order)
    session.flush()
    if received:
        sales.record_order_sale(session, order, when)
    return order


def _traditional(session: Any, vendor_id: int, product: int | str, baht: int, channel: str, day: date) -> None:
    now = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=5)
    cleaned = sales.clean_sale(session, vendor=vendor_id, product=product, quantity=1, amount=baht, channel=channel,
                               sold_on=day, now=now)
    sales.record_sale(session, cleaned, source="console", recorded_by=ADMIN_ID, now=now)


def _survey(session: Any, kind: str, answers: dict[str, list[int]], now: datetime, citizen_ids: dict[str, int],
            **attach: int) -> int:
    survey = surveys.create_survey(session, title=f"ความพึงพอใจ {kind}", kind=kind, actor=ADMIN_ID, now=now,
                                   questions=[QuestionInput(kind="rating", prompt="ความรู้ที่ได้รับ"),
                                              QuestionInput(kind="rating", prompt="สถานที่")][:len(
                                                  next(iter(answers.values())))], **attach)
    surveys.set_status(session, survey.id, "active", now)
    surveys.invite(session, survey, [citizen_ids[u] for u in answers], now)
    for user, ratings in answers.items():
        progress = surveys.start(session, survey.id, user, now)
        for rating in ratings:
            progress = surveys.answer_rating(session, progress.response.id, progress.question.id, user, rating, now)
    return survey.id


def build(rt: Any) -> History:
    """Writes the history above and returns the ids tests need."""
    db = rt.db
    ids: dict[int, int] = {}
    with db.transaction() as session:
        for n in range(1, 7):
            citizen, _ = citizens.record_follow(session, uid(n), at(2026, 8, 10))
            citizens.set_district(session, uid(n), "mueang" if n <= 3 else "chonnabot", at(2026, 8, 10))
            ids[n] = citizen.id
        citizen, _ = citizens.record_follow(session, uid(7), at(2026, 9, 5))
        citizens.set_district(session, uid(7), "mueang", at(2026, 9, 5))
        citizens.record_unfollow(session, uid(7), at(2026, 10, 20))
        ids[7] = citizen.id
        citizen, _ = citizens.record_follow(session, uid(8), at(2026, 10, 2))
        citizens.set_district(session, uid(8), "chonnabot", at(2026, 10, 2))
        ids[8] = citizen.id

        v1, p1 = _shop(session, "ร้านแม่ศรี", "mueang", "ผ้าไหมมัดหมี่", "textile", 120000, True, at(2026, 8, 1))
        v2, p2 = _shop(session, "ร้านลุงมา", "mueang", "น้ำพริกปลาร้า", "food", 5000, False, at(2026, 8, 1))
        v3, p3 = _shop(session, "ร้านป้าจันทร์", "chonnabot", "ผ้าฝ้ายย้อมคราม", "textile", 80000, True,
                       at(2026, 8, 1))
        _traditional(session, v1, p1, 1000, "market", date(2026, 9, 15))
        _traditional(session, v2, p2, 500, "storefront", date(2026, 9, 20))
        _traditional(session, v3, p3, 300, "fair", date(2026, 10, 5))
        _traditional(session, v3, "ผ้าขาวม้า", 200, "other", date(2026, 10, 6))
        online = _order(session, v1, p1, 2, 120000, "received", at(2026, 10, 10))
        _order(session, v3, p3, 1, 80000, "received", at(2026, 11, 1))
        _order(session, v2, p2, 3, 5000, "placed", at(2026, 11, 20))
        _order(session, v2, p2, 1, 5000, "cancelled", at(2026, 11, 21))
        online_id = online.id

        project = projects.create_project(session, "system", ProjectInput(
            kind="career_training", title="ฝึกอาชีพทอผ้าไหม", description="สอนทอผ้าไหมและขายออนไลน์",
            districts=["mueang"]), at(2026, 9, 1))
        project_id = project.id
        training = trainings.create_training(session, TrainingInput(
            title="ทอผ้าไหมและขายออนไลน์", starts_at=at(2026, 10, 15, 2), ends_at=at(2026, 10, 15, 9), capacity=20,
            signup_deadline=at(2026, 10, 14), project_id=project_id, venue_name="ศาลากลางจังหวัด"),
            ADMIN_ID, at(2026, 9, 20))
        trainings.publish(session, training.id, ADMIN_ID, at(2026, 9, 20))
        codes = [trainings.sign_up(session, training.id, uid(n), at(2026, 10, 1)).signup.checkin_code
                 for n in (1, 2, 3)]
        for code in codes[:2]:
            training_checkin.check_in(session, code, ADMIN_ID, at(2026, 10, 15, 3), training.id)
        later = trainings.create_training(session, TrainingInput(
            title="ความรู้การเงินครัวเรือน", starts_at=at(2026, 12, 10, 2), ends_at=at(2026, 12, 10, 6), capacity=30,
            signup_deadline=at(2026, 12, 9)), ADMIN_ID, at(2026, 11, 1))
        trainings.publish(session, later.id, ADMIN_ID, at(2026, 11, 1))
        trainings.sign_up(session, later.id, uid(4), at(2026, 11, 2))
        projects.change_stage(session, "system", project_id, "in_progress", at(2026, 10, 1))
        projects.change_stage(session, "system", project_id, "completed", at(2026, 11, 10))

        by_user = {uid(n): ids[n] for n in ids}
        _survey(session, "training", {uid(1): [5, 4], uid(2): [4, 2]}, at(2026, 10, 16), by_user,
                training_id=training.id)
        _survey(session, "project", {uid(4): [5], uid(5): [3]}, at(2026, 11, 12), by_user, project_id=project_id)
        announcements.create_announcement(
            session, ADMIN_ID, [{"type": "text", "text": "ข่าวโครงการทอผ้าไหม"}], Audience(districts=("mueang",)),
            None, at(2026, 11, 11), "console", title="ข่าวโครงการทอผ้าไหม", project_id=project_id)
        training_id, later_id = training.id, later.id
    from tests.sales.conftest import fixture_referral

    rt.clock.set(at(2026, 10, 10))
    fixture_referral(rt, online_id)
    rt.clock.set(at(2026, 11, 23))
    return History(project_id, training_id, later_id, (v1, v2, v3), ids)
