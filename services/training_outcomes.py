"""Training outcomes: did a training turn its people into shops, certified products and income?

The funnel of one training: signed up -> attended (checked in) -> registered a shop after the training started ->
shop approved -> shops with a certified product, and the attendees' shops' sales (models/sales.Sale), online against
traditional, in the 3 months before the training and the 3 and 6 months after it. It holds counts and sums only:
who attended is personal data and never leaves this module.

Follow-up questions go to attendees 3 and 6 months after the training ends, through the survey engine: one survey per
training and follow-up point, created by the scheduled scan when it first falls due (`send_due_followups`), sent
within the engine's per-person frequency cap. Their answers are summarised in the funnel, with figures only from
MIN_RESPONSES_FOR_DETAIL completed responses and choice counts under that number hidden.

What the public may see is `public_funnel(funnel)`: the rules of services/disclosure.py applied to the funnel.

The income part is what career trainings are for; a training under a knowledge project still gets its funnel
(`income_applies` is False) but no follow-up questions about selling.
"""

from __future__ import annotations

import calendar
import copy
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from models.market import Certification, Product, Vendor
from models.platform import Citizen
from models.projects import Project
from models.sales import Sale
from models.surveys import Survey, SurveyInvitation
from models.trainings import Training, TrainingSignup
from services import surveys
from services.disclosure import SalesFigure, figure_reason, small_count
from services.errors import NotFound
from services.survey_results import MIN_RESPONSES_FOR_DETAIL, results
from texts import outcomes as outcomes_texts
from texts import trainings as trainings_texts
from texts.dates import to_local

FOLLOWUP_MONTHS = (3, 6)
# The survey key of each follow-up point: how the scan finds the survey it already made (and reports can leave
# follow-ups out of trainee satisfaction, which they are not).
FOLLOWUP_TEMPLATE_KEYS = {months: f"training_followup_{months}m" for months in FOLLOWUP_MONTHS}
# A scan that was down (or a feature deployed late) still asks within this window; later, the moment has passed.
FOLLOWUP_WINDOW = timedelta(days=30)
FOLLOWUP_ACTOR = "scheduler:outcomes"
SALES_WINDOWS = (("before_3m", -3), ("after_3m", 3), ("after_6m", 6))
# Months 4 to 6 after: the difference of the two published periods after, checked before both are published.
TAIL_KEY = "months_4_to_6"
PROJECT_KIND_TO_TRAINING_KIND = {"career_training": "career", "knowledge_training": "knowledge"}


# ---- dates ------------------------------------------------------------------------------------------------------------
def add_months(value: date | datetime, months: int) -> date | datetime:
    """The same day `months` calendar months later (or earlier), the last day of a shorter month if needed."""
    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))


def followup_due(training: Training, months: int) -> datetime:
    """When the follow-up `months` after the training falls due (the same clock time, months after it ended)."""
    return add_months(training.ends_at, months)


# ---- the funnel -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SalesWindow:
    """The attendees' shops' sales in one period, `start` to `end` (Bangkok days, end excluded)."""

    key: str  # before_3m | after_3m | after_6m
    months: int
    start: date
    end: date
    complete: bool  # False while the period has not ended yet
    online_satang: int
    traditional_satang: int
    total_satang: int
    online_shops: int  # shops whose online sales in the period add up to more than 0
    traditional_shops: int
    selling_shops: int  # shops with sales in either channel
    per_month_satang: int  # the total over the months of the period (6 months after against 3 before)
    online_top_shop_satang: int  # the largest one shop's online part (for the dominance rule; never published)
    traditional_top_shop_satang: int


@dataclass(frozen=True)
class FollowupSummary:
    """The answers to one follow-up point: counts always; choices and ratings only with enough responses."""

    months: int
    due_at: datetime
    survey_id: int | None  # None until the scan created it
    invited: int
    skipped_cap: int
    responses: int  # completed
    detail: bool  # responses >= MIN_RESPONSES_FOR_DETAIL
    sells_online: list[tuple[str, int | None]]  # per choice; None: hidden (under the minimum); empty without detail
    income_distribution: list[int | None]  # ratings 1..5, None hidden; empty without detail
    income_mean: float | None
    comments: int  # how many wrote a comment (the words stay in the survey console, for staff)
    min_responses: int = MIN_RESPONSES_FOR_DETAIL  # below it, counts only


@dataclass(frozen=True)
class TrainingFunnel:
    """One training's way from sign-up to income, as counts and sums (no one's identity)."""

    training_id: int
    title: str
    kind: str | None  # career | knowledge | None (not under a project)
    income_applies: bool
    starts_at: datetime
    ends_at: datetime
    signed_up: int  # confirmed seats (and anyone who checked in)
    attended: int  # checked in
    attendance_rate: float  # attended / signed_up, 0.0 without sign-ups
    shops_before: int  # attendees who already had a shop when the training started
    shops_registered_later: int  # attendees who registered a shop after the training started
    shops_approved: int  # of those, approved
    shops_with_certified: int  # of those, shops with a product that was certified
    certified_products: int  # their products that were certified
    selling_shops_after: int  # attendees' shops with a sale in the 6 months after
    sales: list[SalesWindow]  # before_3m, after_3m, after_6m
    followups: list[FollowupSummary]
    sales_months_4_to_6: SalesWindow | None = None  # after_6m less after_3m (for staff and the disclosure check)

    def as_dict(self) -> dict:
        """A JSON-able dict (dates as ISO strings) with the same names, for the API and reports."""
        out = asdict(self)
        for key in ("starts_at", "ends_at"):
            out[key] = out[key].isoformat()
        windows = [*self.sales, *([self.sales_months_4_to_6] if self.sales_months_4_to_6 else [])]
        for window, raw in zip([*out["sales"], *([out["sales_months_4_to_6"]] if self.sales_months_4_to_6 else [])],
                               windows, strict=True):
            window["start"], window["end"] = raw.start.isoformat(), raw.end.isoformat()
        for followup in out["followups"]:
            followup["due_at"] = followup["due_at"].isoformat()
            followup["sells_online"] = [{"choice": label, "count": count} for label, count in followup["sells_online"]]
        return out


def training_kind(session: Session, training: Training) -> str | None:
    """career or knowledge, from the project the training belongs to (None when it belongs to none)."""
    if training.project_id is None:
        return None
    project_kind = session.scalar(select(Project.kind).where(Project.id == training.project_id))
    return PROJECT_KIND_TO_TRAINING_KIND.get(project_kind or "")


def _attendee_line_ids(training_id: int):  # noqa: ANN202 - a SQL subquery, used inside IN (...)
    """The LINE ids of those who checked in (erased people have no citizen row link and drop out)."""
    return (select(Citizen.line_user_id).join(TrainingSignup, TrainingSignup.citizen_id == Citizen.id)
            .where(TrainingSignup.training_id == training_id, TrainingSignup.checked_in_at.is_not(None)))


def _windows(training: Training) -> list[tuple[str, int, date, date]]:
    """(key, months, first day, day after the last) of each sales period, in Bangkok days.

    Before: the 3 months up to the day the training starts. After: from the day after it ends, so sales made on the
    training days count in neither."""
    first_day = to_local(training.starts_at).date()
    after = to_local(training.ends_at).date() + timedelta(days=1)
    out = []
    for key, months in SALES_WINDOWS:
        if months < 0:
            out.append((key, -months, add_months(first_day, months), first_day))
        else:
            out.append((key, months, after, add_months(after, months)))
    out.append((TAIL_KEY, 3, add_months(after, 3), add_months(after, 6)))
    return out


def _sales(session: Session, training: Training, now: datetime) -> list[SalesWindow]:
    """One grouped query per period: each shop's net online and traditional sums, then their totals, how many shops
    sold (a positive net) and the largest one shop's part (what the public dominance rule needs)."""
    shop_ids = select(Vendor.id).where(Vendor.line_user_id.in_(_attendee_line_ids(training.id)))
    online = Sale.channel == "online"
    today = to_local(now).date()
    out = []
    for key, months, start, end in _windows(training):
        per_shop = (select(func.sum(case((online, Sale.amount_satang), else_=0)).label("on"),
                           func.sum(case((online, 0), else_=Sale.amount_satang)).label("tr"))
                    .where(Sale.vendor_id.in_(shop_ids), Sale.sold_on >= start, Sale.sold_on < end)
                    .group_by(Sale.vendor_id).subquery())
        on, tr = per_shop.c.on, per_shop.c.tr
        row = session.execute(select(
            func.coalesce(func.sum(on), 0), func.coalesce(func.sum(tr), 0),
            func.count().filter(on > 0), func.count().filter(tr > 0), func.count().filter(on + tr > 0),
            func.coalesce(func.max(on), 0), func.coalesce(func.max(tr), 0)).select_from(per_shop)).one()
        online_satang, traditional_satang = int(row[0]), int(row[1])
        total = online_satang + traditional_satang
        out.append(SalesWindow(key, months, start, end, today >= end, online_satang, traditional_satang, total,
                               int(row[2]), int(row[3]), int(row[4]), round(total / months),
                               max(int(row[5]), 0), max(int(row[6]), 0)))
    return out


def _hide_small(counts: list[int]) -> list[int | None]:
    """Counts under the minimum become None; if only one would be hidden, the next smallest goes too, so the hidden
    one cannot be worked out from the total of answers."""
    hidden = {i for i, n in enumerate(counts) if 0 < n < MIN_RESPONSES_FOR_DETAIL}
    if len(hidden) == 1:
        others = sorted((n, i) for i, n in enumerate(counts) if i not in hidden and n > 0)
        if others:
            hidden.add(others[0][1])
    return [None if i in hidden else n for i, n in enumerate(counts)]


def _followups(session: Session, training: Training) -> list[FollowupSummary]:
    by_key = {key: survey_id for survey_id, key in session.execute(
        select(Survey.id, Survey.template_key).where(Survey.training_id == training.id,
                                                     Survey.template_key.in_(FOLLOWUP_TEMPLATE_KEYS.values()))
        .order_by(Survey.id))}
    out = []
    for months in FOLLOWUP_MONTHS:
        due = followup_due(training, months)
        survey_id = by_key.get(FOLLOWUP_TEMPLATE_KEYS[months])
        if survey_id is None:
            out.append(FollowupSummary(months, due, None, 0, 0, 0, False, [], [], None, 0))
            continue
        res = results(session, survey_id)
        sells: list[tuple[str, int | None]] = []
        distribution: list[int | None] = []
        mean, comments = None, 0
        for q in res.questions:  # empty below the minimum: results() publishes counts only
            if q.question.kind == "single":
                labels = [label for label, _ in q.choice_counts]
                sells = list(zip(labels, _hide_small([n for _, n in q.choice_counts]), strict=True))
            elif q.question.kind == "rating":
                distribution, mean = _hide_small(list(q.distribution)), q.mean
            elif q.question.kind == "text":
                comments = q.answered
        out.append(FollowupSummary(months, due, survey_id, res.invited, res.skipped_cap, res.responses, res.detail,
                                   sells, distribution, mean, comments))
    return out


def funnel(session: Session, training_id: int, now: datetime) -> TrainingFunnel:
    """The training's funnel from sign-up to sales, and the follow-up answers (zeros, never an error, when empty)."""
    training = session.get(Training, training_id)
    if training is None:
        raise NotFound(trainings_texts.DOMAIN_NOT_FOUND, code="training_not_found")
    kind = training_kind(session, training)

    signed_up, attended = session.execute(select(
        func.count(TrainingSignup.id).filter(or_(TrainingSignup.status == "confirmed",
                                                 TrainingSignup.checked_in_at.is_not(None))),
        func.count(TrainingSignup.checked_in_at),
    ).where(TrainingSignup.training_id == training_id)).one()

    later = Vendor.created_at >= training.starts_at
    attendee_shop = Vendor.line_user_id.in_(_attendee_line_ids(training_id))
    before, registered_later, approved = session.execute(select(
        func.count(Vendor.id).filter(~later),
        func.count(Vendor.id).filter(later),
        func.count(Vendor.id).filter(and_(later, Vendor.status == "approved")),
    ).where(attendee_shop)).one()

    # Certified at some point (valid_from is set when a certificate is granted, and kept when it expires or is
    # revoked): the funnel asks whether trainees got that far, not whether the certificate is still current.
    later_shops = select(Vendor.id).where(attendee_shop, later)
    certified_products, certified_shops = session.execute(select(
        func.count(distinct(Product.id)), func.count(distinct(Product.vendor_id)),
    ).where(Product.vendor_id.in_(later_shops), exists(select(Certification.id).where(
        Certification.product_id == Product.id, Certification.valid_from.is_not(None))))).one()

    *sales, tail = _sales(session, training, now)
    return TrainingFunnel(
        training_id=training.id, title=training.title, kind=kind, income_applies=kind != "knowledge",
        starts_at=training.starts_at, ends_at=training.ends_at, signed_up=int(signed_up), attended=int(attended),
        attendance_rate=attended / signed_up if signed_up else 0.0, shops_before=int(before),
        shops_registered_later=int(registered_later), shops_approved=int(approved),
        shops_with_certified=int(certified_shops), certified_products=int(certified_products),
        selling_shops_after=next(w.selling_shops for w in sales if w.key == "after_6m"), sales=sales,
        followups=_followups(session, training), sales_months_4_to_6=tail)


# ---- what the public may see -------------------------------------------------------------------------------------------
FUNNEL_COUNTS = ("signed_up", "attended", "shops_before", "shops_registered_later", "shops_approved",
                 "shops_with_certified", "certified_products", "selling_shops_after")
PRIVATE_SALES_KEYS = ("online_top_shop_satang", "traditional_top_shop_satang")


def public_funnel(funnel: TrainingFunnel | Mapping[str, Any]) -> dict[str, Any]:
    """The funnel as the public may see it (the API for non-staff tokens, /results, the PDF), with the rules of
    services/disclosure.py: counts of 1-4 hidden (None), and the rate that divides them; a period's online or
    traditional sales hidden when fewer than 3 shops make them or one makes 85 % or more, and then its total and
    monthly figure too (they would give the hidden side back); the largest shop's part never shown; follow-up counts
    of 1-4 hidden. Choice counts and ratings are hidden under 5 already."""
    out = copy.deepcopy(funnel.as_dict() if isinstance(funnel, TrainingFunnel) else dict(funnel))
    for key in FUNNEL_COUNTS:
        if isinstance(out.get(key), int) and small_count(out[key]):
            out[key] = None
    if out.get("signed_up") is None or out.get("attended") is None:
        out["attendance_rate"] = None
    tail = out.pop("sales_months_4_to_6", None)
    windows = out.get("sales") or []
    # Months 4-6 are after_6m less after_3m: publishing both sides of that subtraction publishes the difference.
    tail_hidden = {side: tail is not None and figure_reason(_figure(tail, side)) is not None
                   for side in ("online", "traditional")}
    for window in windows:
        shown = {}
        for side in ("online", "traditional"):
            shown[side] = figure_reason(_figure(window, side)) is None and not (
                window["key"] == "after_6m" and tail_hidden[side])
            if not shown[side]:
                window[f"{side}_satang"] = None
            if small_count(window[f"{side}_shops"]):
                window[f"{side}_shops"] = None
        if not all(shown.values()):
            window["total_satang"] = window["per_month_satang"] = None
        if small_count(window["selling_shops"]):
            window["selling_shops"] = None
        for key in PRIVATE_SALES_KEYS:
            window.pop(key, None)
    for followup in out.get("followups") or []:
        for key in ("invited", "skipped_cap", "responses", "comments"):
            if isinstance(followup.get(key), int) and small_count(followup[key]):
                followup[key] = None
    return out


def _figure(window: Mapping[str, Any], side: str) -> SalesFigure:
    return SalesFigure(window[f"{side}_satang"], window[f"{side}_shops"], window[f"{side}_top_shop_satang"])


# ---- follow-up questions ----------------------------------------------------------------------------------------------
def followup_survey(session: Session, training: Training, months: int, now: datetime) -> Survey:
    """The training's follow-up survey for that point, created and opened on first use."""
    key = FOLLOWUP_TEMPLATE_KEYS[months]
    survey = session.scalars(select(Survey).where(Survey.training_id == training.id, Survey.template_key == key)
                             .order_by(Survey.id).limit(1)).first()
    if survey is not None:
        return survey
    questions = [surveys.QuestionInput(kind, prompt, list(options), required)
                 for kind, prompt, options, required in outcomes_texts.FOLLOWUP_QUESTIONS]
    title = outcomes_texts.FOLLOWUP_TITLE.format(months=months, training=training.title)
    survey = surveys.create_survey(session, title=title[:200], kind="training", actor=FOLLOWUP_ACTOR, now=now,
                                   intro=outcomes_texts.FOLLOWUP_INTRO.format(months=months), questions=questions,
                                   template_key=key, training_id=training.id)
    return surveys.set_status(session, survey.id, "active", now)


def _due_points(session: Session, now: datetime) -> list[tuple[int, int]]:
    """(training id, months) of follow-ups due now: published trainings not under a knowledge project."""
    longest, shortest = max(FOLLOWUP_MONTHS), min(FOLLOWUP_MONTHS)
    rows = session.execute(
        select(Training.id, Training.ends_at).outerjoin(Project, Project.id == Training.project_id)
        .where(Training.status == "published",
               # A few days' slack: a month-end training falls due on a shorter month's last day (the exact
               # moment is checked below).
               Training.ends_at <= add_months(now, -shortest) + timedelta(days=4),
               Training.ends_at > add_months(now - FOLLOWUP_WINDOW, -longest) - timedelta(days=1),
               or_(Project.id.is_(None), Project.kind != "knowledge_training"))
        .order_by(Training.id)).all()
    out = []
    for training_id, ends_at in rows:
        for months in FOLLOWUP_MONTHS:
            due = add_months(ends_at, months)
            if due <= now < due + FOLLOWUP_WINDOW:
                out.append((training_id, months))
    return out


def send_due_followups(session: Session, now: datetime) -> int:
    """Asks the attendees of trainings that ended 3 or 6 months ago the follow-up questions (idempotent: the engine
    records one invitation per person and survey, sent or skipped for the frequency cap). Returns how many were sent."""
    sent = 0
    for training_id, months in _due_points(session, now):
        # The lock makes two scans (two processes) agree on one survey per training and point.
        training = session.scalars(select(Training).where(Training.id == training_id).with_for_update()).one()
        invited = select(SurveyInvitation.id).where(
            SurveyInvitation.citizen_id == TrainingSignup.citizen_id,
            SurveyInvitation.survey_id == select(Survey.id).where(
                Survey.training_id == training_id, Survey.template_key == FOLLOWUP_TEMPLATE_KEYS[months])
            .order_by(Survey.id).limit(1).scalar_subquery())
        attendees = list(session.scalars(select(TrainingSignup.citizen_id).where(
            TrainingSignup.training_id == training_id, TrainingSignup.checked_in_at.is_not(None),
            TrainingSignup.citizen_id.is_not(None), ~exists(invited)).order_by(TrainingSignup.id)))
        if not attendees:
            continue
        survey = followup_survey(session, training, months, now)
        if survey.status != "active":  # staff closed it: their call
            continue
        sent += surveys.invite(session, survey, attendees, now).sent
    return sent
