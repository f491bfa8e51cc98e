"""Helpers for training outcome tests: a training with people who signed up and checked in (through the trainings
services), shops registered and approved and products certified (through the market services), and sales.

`fixture_sale` inserts a Sale row directly. It is a FIXTURE ONLY, standing in for services/sales.py and the order flow
(they are tested in tests/sales/): it writes the ledger row those leave behind, so a history months long can be laid
down in one step; no rule of selling is checked or copied here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from models.market import Product
from models.sales import Sale
from services import certification, consent, profile, projects, training_checkin, trainings, vendors
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL

PHONE = "0812345678"
NAMES = ("สมศรี", "สมชาย", "มานี", "มานะ", "ปิติ", "ชูใจ", "วีระ", "สุดา", "บุญมี", "ทองดี")


@dataclass
class BuiltTraining:
    training_id: int
    starts_at: datetime
    ends_at: datetime
    attendees: list[str] = field(default_factory=list)  # LINE user ids of those who checked in
    no_shows: list[str] = field(default_factory=list)  # signed up, never checked in


def line_id(n: int) -> str:
    return f"U{n:032x}"


def make_training(rt: Any, now: datetime, *, attendees: list[str], no_shows: tuple[str, ...] = (),
                  project_kind: str | None = None, title: str = "ขายของออนไลน์ให้ปัง") -> BuiltTraining:
    """A published training starting 3 days after `now`; everyone signs up at `now`, attendees check in."""
    starts = now + timedelta(days=3)
    with rt.db.transaction() as session:
        project_id = None
        if project_kind is not None:
            project_id = projects.create_project(session, ADMIN_ID, projects.ProjectInput(
                kind=project_kind, title=f"โครงการ{title}", description="ทดสอบ"), now).id
        training = trainings.create_training(session, trainings.TrainingInput(
            title=title, starts_at=starts, ends_at=starts + timedelta(hours=6), capacity=50,
            signup_deadline=starts - timedelta(days=1), venue_name="หอประชุมอำเภอ", project_id=project_id),
            ADMIN_ID, now)
        trainings.publish(session, training.id, ADMIN_ID, now)
        for index, uid in enumerate([*attendees, *no_shows]):
            profile.save_contact(session, uid, f"{NAMES[index % len(NAMES)]} ใจดี", PHONE, now)
            signup = trainings.sign_up(session, training.id, uid, now).signup
            if uid in attendees:
                training_checkin.check_in(session, signup.checkin_code, ADMIN_ID, now, confirm_early=True)
        return BuiltTraining(training.id, training.starts_at, training.ends_at, list(attendees), list(no_shows))


def open_shop(rt: Any, uid: str, now: datetime, *, shop: str, approve: bool = True, district: str = "phon") -> int:
    """The person registers a shop at `now` (and staff approve it) through the vendors service; the vendor id."""
    with rt.db.transaction() as session:
        consent.grant(session, uid, consent.MARKET_VENDOR, now)
        vendor = vendors.register(session, uid, vendors.Application(
            shop_name=shop, owner_name="ผู้อบรม ทดสอบ", phone=PHONE, district=district,
            pickup_address="9 หมู่ 3 ต.เมืองพล", delivery_options=["pickup"]), now)
        if approve:
            vendors.approve(session, vendor.id, ADMIN_ID, now, rt.settings.ADMIN_LINE_USER_IDS)
        return vendor.id


def certified_product(rt: Any, vendor_id: int, now: datetime, name: str = "ผ้าไหมมัดหมี่", *,
                      certify: bool = True) -> int:
    """A product of the shop, submitted (and certified by staff through the certification service)."""
    with rt.db.transaction() as session:
        product = Product(vendor_id=vendor_id, name=name, category="textile", price_satang=120000, unit="ผืน",
                          description="ทอมือ", selling_points=["clean"], photos=[{"id": 1, "digest": "0" * 64}],
                          stock=3, hidden=False, cert_status="submitted", created_at=now, updated_at=now,
                          search_text=name)
        session.add(product)
        session.flush()
        cert = certification.submit(session, product, now)
        if certify:
            certification.approve(session, cert.id, ADMIN_ID, now, PUBLIC_BASE_URL, rt.settings.ADMIN_LINE_USER_IDS)
        return product.id


def fixture_sale(rt: Any, vendor_id: int, sold_on: date, amount_satang: int, channel: str = "storefront") -> None:
    """FIXTURE ONLY: one row of the sales ledger (see the module docstring)."""
    with rt.db.transaction() as session:
        session.add(Sale(vendor_id=vendor_id, product_id=None, product_name="ผ้าไหม", quantity=1,
                         amount_satang=amount_satang, channel=channel, sold_on=sold_on, district="phon",
                         order_id=None, source="order" if channel == "online" else "console", recorded_by="api",
                         created_at=rt.clock()))


@pytest.fixture
def followers(chat):
    """`users = followers(["สมศรี", ...])`: LINE users who follow the account (they can be sent surveys)."""

    def make(names: list[str]) -> list:
        users = []
        for name in names:
            user = chat(name)
            user.follow()
            user.collect()
            users.append(user)
        return users

    return make
