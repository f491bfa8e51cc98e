"""Figures for the console's reports, the REST API and the PDFs: reach, participation, satisfaction and market.

Every figure is counted in SQL (grouped queries, never rows walked in Python) and handed out as plain JSON-able dicts
(str, int, float, None, lists and dicts), so the same dict feeds a page, a chart, the API and a PDF.

    province_summary(session, Filters(...), now)    the province dashboard
    project_report(session, project_id, now)        one project (raises NotFound)
    training_report(session, training_id, now)      one training (raises NotFound)

Money is in satang. Months are "YYYY-MM" in Khon Kaen time. A rating summary is always
`{"count", "mean", "distribution": [n1, n2, n3, n4, n5]}` (mean None when count is 0). A sales cell carries
`vendors` (how many shops make it up) and `top_vendor_satang` (the largest shop's part) so that disclosure
control (services/disclosure.py) can hide small or dominated cells.

Followers over time: the account keeps each citizen's latest follow and unfollow time, not every event, so a
citizen counts as a follower from their latest follow on, until an unfollow that came after it. Someone who left and
came back counts from their return; the line therefore never overstates the past.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, extract, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from models.market import Product, Vendor
from models.orders import ORDER_STATUSES, Commission, Order
from models.platform import Citizen, OutboxMessage
from models.projects import PROJECT_KINDS, Announcement, Project, ProjectFollower, ProjectPhoto, ProjectStageChange
from models.referrals import ReferralClick, ReferralLink
from models.surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from models.trainings import Training, TrainingSignup
from services import report_rollups, share_visits
from services.errors import DomainError, NotFound
from texts import reports as reports_texts
from texts.dates import DEFAULT_TZ
from texts.districts import DISTRICTS

ONLINE = "online"
# Where people click links we send. Only referral links count clicks today (models/referrals.ReferralClick); the
# others are listed so reports say "no data yet" instead of a misleading zero (share tags arrive with issue #14).
CLICK_CHANNELS = ("referral", "line_message", "facebook", "web")
TRACKED_CLICK_CHANNELS = CLICK_CHANNELS
# Public-page visits from shared links, by the ?s= tag their share button added (services/share_visits.py).
SHARE_SOURCE_CHANNELS = {"line": "line_message", "fb": "facebook", "copy": "web"}
FINISHED_STAGES = ("completed", "evaluated")
MAX_LIST = 200  # trainings / announcements listed in one report


@dataclass(frozen=True)
class Filters:
    """What a report covers: days `period_from`..`period_to` (inclusive, Khon Kaen days), one district key, one
    project kind (a key of models.projects.PROJECT_KINDS). None means no limit."""

    period_from: date | None = None
    period_to: date | None = None
    district: str | None = None
    project_kind: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"period_from": self.period_from.isoformat() if self.period_from else None,
                "period_to": self.period_to.isoformat() if self.period_to else None,
                "district": self.district, "project_kind": self.project_kind}


def clean_filters(period_from: str | date | None = None, period_to: str | date | None = None,
                  district: str | None = None, project_kind: str | None = None) -> Filters:
    """Builds Filters from form or query values (blank = no limit); a Thai DomainError for anything unknown."""
    def day(value: str | date | None) -> date | None:
        if value is None or isinstance(value, date):
            return value
        value = value.strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise DomainError(reports_texts.BAD_DATE, code="bad_date") from None

    start, end = day(period_from), day(period_to)
    if start and end and start > end:
        raise DomainError(reports_texts.BAD_PERIOD, code="bad_period")
    district = (district or "").strip() or None
    if district is not None and district not in DISTRICTS:
        raise DomainError(reports_texts.BAD_DISTRICT, code="bad_district")
    kind = (project_kind or "").strip() or None
    if kind is not None and kind not in PROJECT_KINDS:
        raise DomainError(reports_texts.BAD_KIND, code="bad_kind")
    return Filters(start, end, district, kind)


# ---- helpers ------------------------------------------------------------------------------------------------------
def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(DEFAULT_TZ)).astimezone(UTC)


def _moment_range(col: Any, filters: Filters) -> list[ColumnElement]:
    """Conditions keeping a UTC timestamp column inside the filters' Khon Kaen days."""
    out = []
    if filters.period_from:
        out.append(col >= _start_of_day(filters.period_from))
    if filters.period_to:
        out.append(col < _start_of_day(filters.period_to + timedelta(days=1)))
    return out


def _day_range(col: Any, filters: Filters) -> list[ColumnElement]:
    out = []
    if filters.period_from:
        out.append(col >= filters.period_from)
    if filters.period_to:
        out.append(col <= filters.period_to)
    return out


def _local_month(session: Session, col: Any) -> ColumnElement:
    """'YYYY-MM' of a UTC timestamp column in Khon Kaen time, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(DEFAULT_TZ, col), "YYYY-MM")
    return func.strftime("%Y-%m", col, "+7 hours")  # SQLite keeps naive UTC; Thailand has no daylight saving


def _day_month(col: Any) -> tuple[ColumnElement, ColumnElement]:
    return extract("year", col), extract("month", col)


def _month_key(year: Any, month: Any) -> str:
    return f"{int(year):04d}-{int(month):02d}"


def _months_between(first: str, last: str) -> list[str]:
    """Every 'YYYY-MM' from first to last, inclusive."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _local_month_of(moment: datetime) -> str:
    local = moment.astimezone(ZoneInfo(DEFAULT_TZ))
    return f"{local.year:04d}-{local.month:02d}"


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rating_summary(rows: Any) -> dict[str, Any]:
    """{"count", "mean", "distribution"} from (rating, count) pairs (ratings outside 1-5 ignored)."""
    distribution = [0, 0, 0, 0, 0]
    for rating, count in rows:
        if rating is not None and 1 <= int(rating) <= 5:
            distribution[int(rating) - 1] += int(count or 0)
    total = sum(distribution)
    mean = round(sum((i + 1) * n for i, n in enumerate(distribution)) / total, 2) if total else None
    return {"count": total, "mean": mean, "distribution": distribution}


def empty_rating() -> dict[str, Any]:
    return rating_summary([])


def _kind_project_ids(filters: Filters) -> Any:
    return select(Project.id).where(Project.kind == filters.project_kind).scalar_subquery()


# ---- reach --------------------------------------------------------------------------------------------------------
def followers_by_month(session: Session, filters: Filters, now: datetime) -> list[dict[str, Any]]:
    """Per month: followers at the month's end, new follows and unfollows in it (see the module's note)."""
    district = [Citizen.district == filters.district] if filters.district else []
    follow_month = _local_month(session, Citizen.followed_at)
    follows = dict(session.execute(select(follow_month, func.count()).where(
        Citizen.followed_at.is_not(None), *district).group_by(follow_month)).all())
    leave_month = _local_month(session, Citizen.unfollowed_at)
    left = and_(Citizen.unfollowed_at.is_not(None),
                or_(Citizen.followed_at.is_(None), Citizen.unfollowed_at >= Citizen.followed_at))
    ends = dict(session.execute(select(leave_month, func.count()).where(left, *district)
                                .group_by(leave_month)).all())
    months = sorted(set(follows) | set(ends))
    if not months:
        return []
    last = _local_month_of(now)
    if filters.period_to:
        last = min(last, f"{filters.period_to.year:04d}-{filters.period_to.month:02d}")
    first = months[0]
    if first > last:
        return []
    series, running = [], 0
    lower = f"{filters.period_from.year:04d}-{filters.period_from.month:02d}" if filters.period_from else ""
    for month in _months_between(first, last):
        running += int(follows.get(month, 0)) - int(ends.get(month, 0))
        if month >= lower:
            series.append({"month": month, "followers": running, "followed": int(follows.get(month, 0)),
                           "unfollowed": int(ends.get(month, 0))})
    return series


def _announcement_filters(filters: Filters) -> list[ColumnElement]:
    conditions = [Announcement.status == "sent", *_moment_range(Announcement.sent_at, filters)]
    if filters.project_kind:
        conditions.append(Announcement.project_id.in_(_kind_project_ids(filters)))
    return conditions


def announcement_reach(session: Session, filters: Filters, project_id: int | None = None) -> dict[str, Any]:
    """Recipients per announcement and per LINE delivery channel (broadcast, multicast, ...) from the outbox.

    The district filter keeps announcements addressed to that district or to everyone (an audience is stored as
    JSON, so this one test is made on the few sent announcements' audiences, not on recipients)."""
    conditions = _announcement_filters(filters)
    if project_id is not None:
        conditions.append(Announcement.project_id == project_id)
    rows = session.execute(select(Announcement.id, Announcement.title, Announcement.sent_at,
                                  Announcement.project_id, Announcement.audience, Announcement.recipient_count)
                           .where(*conditions).order_by(Announcement.sent_at.desc(), Announcement.id.desc())).all()
    if filters.district:
        rows = [r for r in rows if not (r.audience or {}).get("districts")
                or filters.district in (r.audience or {}).get("districts", [])]
    ids = [r.id for r in rows]
    per: dict[int, dict[str, dict[str, int]]] = {}
    if ids:
        wanted = [f"announcement:{i}" for i in ids]
        delivered = case((OutboxMessage.status == "sent", OutboxMessage.recipient_count), else_=0)
        for chunk_start in range(0, len(wanted), 500):
            chunk = wanted[chunk_start:chunk_start + 500]
            for source, kind, queued, sent in session.execute(
                    select(OutboxMessage.source, OutboxMessage.kind, func.sum(OutboxMessage.recipient_count),
                           func.sum(delivered))
                    .where(OutboxMessage.source.in_(chunk)).group_by(OutboxMessage.source, OutboxMessage.kind)):
                per.setdefault(int(source.partition(":")[2]), {})[kind] = {"queued": int(queued or 0), "delivered": int(sent or 0)}
    channels: dict[str, dict[str, int]] = {}
    listed = []
    for r in rows:
        by_kind = per.get(r.id, {})
        for kind, counts in by_kind.items():
            total = channels.setdefault(kind, {"channel": kind, "announcements": 0, "recipients": 0, "delivered": 0})
            total["announcements"] += 1
            total["recipients"] += counts["queued"]
            total["delivered"] += counts["delivered"]
        if len(listed) < MAX_LIST:
            listed.append({"id": r.id, "title": r.title, "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                           "project_id": r.project_id, "recipients": int(r.recipient_count or 0),
                           "channels": [{"channel": k, **v} for k, v in sorted(by_kind.items())]})
    return {"count": len(rows), "recipients": sum(int(r.recipient_count or 0) for r in rows),
            "by_channel": sorted(channels.values(), key=lambda c: c["channel"]), "announcements": listed}


def _click_scope(filters: Filters) -> list[ColumnElement]:
    conditions = _moment_range(ReferralClick.clicked_at, filters)
    if filters.district:
        conditions.append(Vendor.district == filters.district)
    return conditions


def link_clicks(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Clicks per channel: referral links' counted clicks, and visits to public pages from links shared on LINE,
    Facebook or copied (the share buttons' ?s= tag); `None` where a figure cannot be known (share visits by
    district)."""
    stmt = select(func.count()).select_from(ReferralClick)
    if filters.district:
        stmt = stmt.join(ReferralLink, ReferralLink.id == ReferralClick.link_id) \
            .join(Product, Product.id == ReferralLink.product_id).join(Vendor, Vendor.id == Product.vendor_id)
    counts: dict[str, int | None] = {"referral": int(session.scalar(stmt.where(*_click_scope(filters))) or 0)}
    # Share visits are counted per page, not per district: with a district filter they are unknown, not zero.
    since = _start_of_day(filters.period_from) if filters.period_from else None
    until = _start_of_day(filters.period_to + timedelta(days=1)) if filters.period_to else None
    visits = None if filters.district else share_visits.visit_counts(session, since, until)
    for source, channel in SHARE_SOURCE_CHANNELS.items():
        counts[channel] = None if visits is None else int(visits.get(source, 0))
    return [{"channel": channel, "tracked": counts.get(channel) is not None, "clicks": counts.get(channel)}
            for channel in CLICK_CHANNELS]


def reach(session: Session, filters: Filters, now: datetime) -> dict[str, Any]:
    district = [Citizen.district == filters.district] if filters.district else []
    followers_now = int(session.scalar(select(func.count()).select_from(Citizen)
                                       .where(Citizen.is_following.is_(True), *district)) or 0)
    return {"followers_now": followers_now, "followers_by_month": followers_by_month(session, filters, now),
            "announcements": announcement_reach(session, filters), "clicks": link_clicks(session, filters)}


# ---- participation ------------------------------------------------------------------------------------------------
def _signup_counts(session: Session, conditions: list[ColumnElement], *, district: str | None) -> Any:
    attended = TrainingSignup.checked_in_at.is_not(None)
    stmt = select(
        TrainingSignup.training_id,
        func.sum(case((TrainingSignup.status != "cancelled", 1), else_=0)).label("signups"),
        func.sum(case((TrainingSignup.status == "confirmed", 1), else_=0)).label("confirmed"),
        func.sum(case((TrainingSignup.status == "waitlisted", 1), else_=0)).label("waitlisted"),
        func.sum(case((TrainingSignup.status == "cancelled", 1), else_=0)).label("cancelled"),
        func.sum(case((attended, 1), else_=0)).label("attended"),
    ).join(Training, Training.id == TrainingSignup.training_id)
    if district:
        stmt = stmt.join(Citizen, Citizen.id == TrainingSignup.citizen_id).where(Citizen.district == district)
    return session.execute(stmt.where(*conditions).group_by(TrainingSignup.training_id)).all()


def _training_row(t: Any, counts: Any, now: datetime) -> dict[str, Any]:
    confirmed = int(counts.confirmed or 0) if counts else 0
    attended = int(counts.attended or 0) if counts else 0
    ended = t.ends_at <= now
    return {"id": t.id, "title": t.title, "project_id": t.project_id, "starts_at": t.starts_at.isoformat(),
            "ended": ended, "capacity": t.capacity,
            "signups": int(counts.signups or 0) if counts else 0, "confirmed": confirmed,
            "waitlisted": int(counts.waitlisted or 0) if counts else 0,
            "cancelled": int(counts.cancelled or 0) if counts else 0, "attended": attended,
            # Before it ends nobody has had the chance to attend: no rate rather than a false 0 %.
            "attendance_rate": _rate(attended, confirmed) if ended else None}


def _participation(session: Session, conditions: list[ColumnElement], filters: Filters,
                   now: datetime) -> dict[str, Any]:
    trainings = session.execute(select(Training.id, Training.title, Training.project_id, Training.starts_at,
                                       Training.ends_at, Training.capacity).where(*conditions)
                                .order_by(Training.starts_at.desc(), Training.id.desc())).all()
    counts = {r.training_id: r for r in _signup_counts(session, conditions, district=filters.district)}
    rows = [_training_row(t, counts.get(t.id), now) for t in trainings]
    ended = [r for r in rows if r["ended"]]
    attended, confirmed = sum(r["attended"] for r in ended), sum(r["confirmed"] for r in ended)
    return {"trainings_count": len(rows), "signups": sum(r["signups"] for r in rows),
            "cancelled": sum(r["cancelled"] for r in rows), "attended": attended,
            "confirmed_at_ended": confirmed, "attendance_rate": _rate(attended, confirmed),
            "trainings": rows[:MAX_LIST]}


def participation(session: Session, filters: Filters, now: datetime) -> dict[str, Any]:
    """Sign-ups and attendance per training that starts in the period (sign-ups of the district's people when a
    district is chosen); the overall attendance rate counts only trainings that have ended."""
    conditions = [Training.status == "published", *_moment_range(Training.starts_at, filters)]
    if filters.project_kind:
        conditions.append(Training.project_id.in_(_kind_project_ids(filters)))
    return _participation(session, conditions, filters, now)


# ---- satisfaction -------------------------------------------------------------------------------------------------
def _answer_scope(filters: Filters) -> list[ColumnElement]:
    conditions = [SurveyQuestion.kind == "rating", SurveyAnswer.rating.is_not(None), SurveyAnswer.skipped.is_(False),
                  *_moment_range(SurveyAnswer.answered_at, filters)]
    if filters.district:
        conditions.append(SurveyResponse.citizen_id.in_(select(Citizen.id).where(
            Citizen.district == filters.district).scalar_subquery()))
    return conditions


def _ratings_stmt(*columns: Any) -> Any:
    return select(*columns).select_from(SurveyAnswer) \
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id) \
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id) \
        .join(Survey, Survey.id == SurveyResponse.survey_id)


def _satisfaction_surveys() -> Any:
    """Surveys that measure satisfaction: not the 3- and 6-month follow-ups of a training, whose 1-5 question is
    about income (services/training_outcomes.py reports those)."""
    from services.training_outcomes import FOLLOWUP_TEMPLATE_KEYS

    return or_(Survey.template_key.is_(None), Survey.template_key.notin_(list(FOLLOWUP_TEMPLATE_KEYS.values())))


def survey_ratings(session: Session, filters: Filters, *, kind: str, survey_ids: Any = None) -> dict[str, Any]:
    """Ratings (1-5) given in surveys of `kind` ("training" or "project"): count, mean, distribution, respondents."""
    conditions = [Survey.kind == kind, _satisfaction_surveys(), *_answer_scope(filters)]
    if filters.project_kind:
        if kind == "training":
            conditions.append(Survey.training_id.in_(select(Training.id).where(
                Training.project_id.in_(_kind_project_ids(filters))).scalar_subquery()))
        else:
            conditions.append(Survey.project_id.in_(_kind_project_ids(filters)))
    if survey_ids is not None:
        conditions.append(Survey.id.in_(survey_ids))
    summary = rating_summary(session.execute(_ratings_stmt(SurveyAnswer.rating, func.count()).where(*conditions)
                                             .group_by(SurveyAnswer.rating)).all())
    summary["respondents"] = int(session.scalar(_ratings_stmt(func.count(distinct(SurveyAnswer.response_id)))
                                                .where(*conditions)) or 0)
    return summary


def rating_items(session: Session, survey_ids: Any) -> list[dict[str, Any]]:
    """Each rating question of these surveys: its prompt with count, mean and distribution (lowest mean first)."""
    rows = session.execute(_ratings_stmt(SurveyQuestion.id, SurveyQuestion.prompt, SurveyAnswer.rating, func.count())
                           .where(Survey.id.in_(survey_ids), SurveyQuestion.kind == "rating",
                                  SurveyAnswer.rating.is_not(None), SurveyAnswer.skipped.is_(False))
                           .group_by(SurveyQuestion.id, SurveyQuestion.prompt, SurveyAnswer.rating)).all()
    grouped: dict[int, dict[str, Any]] = {}
    for qid, prompt, rating, count in rows:
        grouped.setdefault(qid, {"question_id": qid, "prompt": prompt, "pairs": []})["pairs"].append((rating, count))
    items = [{"question_id": g["question_id"], "prompt": g["prompt"], **rating_summary(g["pairs"])}
             for g in grouped.values()]
    return sorted(items, key=lambda i: (i["mean"] if i["mean"] is not None else 9, i["question_id"]))


@dataclass(frozen=True)
class _Moments:
    """The filters as FEEDBACK's satisfaction_summary reads them: UTC moments, the end exclusive."""

    period_from: datetime | None
    period_to: datetime | None
    district: str | None


def buyer_satisfaction(session: Session, filters: Filters) -> dict[str, Any]:
    """Buyers' ratings from the random sample (services/buyer_feedback.satisfaction_summary): the overall rating's
    count, mean and distribution, and each question's (product, shop, delivery, overall) as `items`."""
    try:
        buyer_feedback = importlib.import_module("services.buyer_feedback")
    except ImportError:  # the buyer survey is not part of this build: say "no data", not zero
        return {**empty_rating(), "available": False, "items": []}
    moments = _Moments(_start_of_day(filters.period_from) if filters.period_from else None,
                       _start_of_day(filters.period_to + timedelta(days=1)) if filters.period_to else None,
                       filters.district)
    found = buyer_feedback.satisfaction_summary(session, moments)
    questions = found.get("questions") or {}
    items = [{"question": key, **_as_rating(value)} for key, value in questions.items()]
    overall = _as_rating(questions.get("overall"))
    return {**overall, "respondents": int(found.get("responses") or 0), "invited": int(found.get("invited") or 0),
            "available": True, "items": items}


def _as_rating(found: Any) -> dict[str, Any]:
    """A rating summary from {"count", "mean", "distribution"} whose distribution is a list or a {"1": n} dict."""
    if not found:
        return empty_rating()
    distribution = found.get("distribution") or []
    if isinstance(distribution, dict):
        distribution = [int(distribution.get(str(i), distribution.get(i, 0)) or 0) for i in range(1, 6)]
    return rating_summary((i + 1, n) for i, n in enumerate(list(distribution)[:5]))


def satisfaction(session: Session, filters: Filters) -> dict[str, Any]:
    return {"trainees": survey_ratings(session, filters, kind="training"),
            "buyers": buyer_satisfaction(session, filters),
            "citizens": survey_ratings(session, filters, kind="project")}


# ---- market -------------------------------------------------------------------------------------------------------
def _source(session: Session, filters: Filters, districts: list[Any] | None = None) -> Any:
    """The sales rows under the filters, limited to `districts`: district keys (read from the rollup and the live
    tail), or SQL conditions on models.sales.Sale columns (read from the ledger itself, so keep them narrow)."""
    conditions = [d for d in districts or [] if not isinstance(d, str)]
    keys = [d for d in districts or [] if isinstance(d, str)] or None
    if filters.district:
        keys = [d for d in (keys or [filters.district]) if d == filters.district] or [filters.district]
    return report_rollups.sales_source(session, period_from=filters.period_from, period_to=filters.period_to,
                                       districts=keys, conditions=conditions or None)


def sales_by_month(session: Session, filters: Filters, districts: list[Any] | None = None) -> list[dict[str, Any]]:
    """Online and traditional sales per month (each cell with its shop count and largest shop's part)."""
    rows = report_rollups.cells(session, _source(session, filters, districts), ["y", "m"])
    out = [{"month": _month_key(*c.pop("key")), **c} for c in rows]
    return sorted(out, key=lambda c: c["month"])


def sales_by_district(session: Session, filters: Filters, districts: list[Any] | None = None
                      ) -> list[dict[str, Any]]:
    rows = report_rollups.cells(session, _source(session, filters, districts), ["district"])
    out = []
    for c in rows:
        (key,) = c.pop("key")
        out.append({"district": key, "district_name": DISTRICTS.get(key, key), **c})
    return sorted(out, key=lambda c: (-c["total_satang"], c["district"]))


def sales_by_district_month(session: Session, filters: Filters, districts: list[Any] | None = None
                            ) -> list[dict[str, Any]]:
    rows = report_rollups.cells(session, _source(session, filters, districts), ["district", "y", "m"])
    out = []
    for c in rows:
        district, y, m = c.pop("key")
        out.append({"district": district, "district_name": DISTRICTS.get(district, district),
                    "month": _month_key(y, m), **c})
    return sorted(out, key=lambda c: (c["district"], c["month"]))


def sales_by_category(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """By product category; goods never posted as a product have the category "unposted"."""
    rows = report_rollups.cells(session, _source(session, filters), ["category"])
    out = [{"category": c.pop("key")[0], **c} for c in rows]
    return sorted(out, key=lambda c: (-c["total_satang"], c["category"]))


def _vendor_district(filters: Filters) -> list[ColumnElement]:
    return [Vendor.district == filters.district] if filters.district else []


def certified(session: Session, filters: Filters, now: datetime) -> dict[str, int]:
    live = and_(Product.cert_status == "certified", Product.deleted_at.is_(None),
                or_(Product.certified_until.is_(None), Product.certified_until > now))
    products, shops = session.execute(
        select(func.count(Product.id), func.count(distinct(Product.vendor_id)))
        .join(Vendor, Vendor.id == Product.vendor_id).where(live, *_vendor_district(filters))).one()
    approved = session.scalar(select(func.count()).select_from(Vendor)
                              .where(Vendor.status == "approved", *_vendor_district(filters)))
    return {"certified_products": int(products or 0), "certified_shops": int(shops or 0),
            "approved_shops": int(approved or 0)}


def orders_by_status(session: Session, filters: Filters) -> dict[str, Any]:
    rows = session.execute(select(Order.status, func.count(), func.sum(Order.total_satang))
                           .join(Vendor, Vendor.id == Order.vendor_id)
                           .where(*_moment_range(Order.placed_at, filters), *_vendor_district(filters))
                           .group_by(Order.status)).all()
    counts = {status: 0 for status in ORDER_STATUSES}
    satang = {status: 0 for status in ORDER_STATUSES}
    for status, count, total in rows:
        counts[status] = int(count or 0)
        satang[status] = int(total or 0)
    return {"count": sum(counts.values()), "by_status": counts, "satang_by_status": satang}


def referral_performance(session: Session, filters: Filters) -> dict[str, Any]:
    """Clicks on share links, the orders they brought (placed in the period), and commissions by state."""
    clicks = next(c["clicks"] for c in link_clicks(session, filters) if c["channel"] == "referral")
    attributed = session.execute(
        select(func.count(), func.sum(case((Order.status == "received", 1), else_=0)),
               func.sum(case((Order.status == "received", Order.total_satang), else_=0)))
        .join(Vendor, Vendor.id == Order.vendor_id)
        .where(Order.referral_link_id.is_not(None), *_moment_range(Order.placed_at, filters),
               *_vendor_district(filters))).one()
    commissions = {row[0]: {"count": int(row[1] or 0), "satang": int(row[2] or 0)} for row in session.execute(
        select(Commission.status, func.count(), func.sum(Commission.amount_satang))
        .join(Order, Order.id == Commission.order_id).join(Vendor, Vendor.id == Commission.vendor_id)
        .where(*_moment_range(Order.placed_at, filters), *_vendor_district(filters))
        .group_by(Commission.status)).all()}
    orders = int(attributed[0] or 0)
    return {"clicks": clicks, "attributed_orders": orders, "attributed_received": int(attributed[1] or 0),
            "attributed_sales_satang": int(attributed[2] or 0), "conversion_rate": _rate(orders, clicks),
            "commissions": commissions,
            "commissions_satang": sum(v["satang"] for k, v in commissions.items() if k != "reversed")}


def market(session: Session, filters: Filters, now: datetime) -> dict[str, Any]:
    """Shops, products, orders and sales. Sales and orders are not tied to projects, so the project-kind filter
    does not narrow them (`project_kind_applies` says so)."""
    by_month = sales_by_month(session, filters)
    return {**certified(session, filters, now), "orders": orders_by_status(session, filters),
            "sales_by_month": by_month, "sales_by_district": sales_by_district(session, filters),
            "sales_by_district_month": sales_by_district_month(session, filters),
            "sales_by_category": sales_by_category(session, filters),
            "sales_online_satang": sum(m["online_satang"] for m in by_month),
            "sales_traditional_satang": sum(m["traditional_satang"] for m in by_month),
            "referrals": referral_performance(session, filters), "project_kind_applies": False}


# ---- the three reports --------------------------------------------------------------------------------------------
def province_summary(session: Session, filters: Filters, now: datetime) -> dict[str, Any]:
    """The province dashboard: reach, participation, satisfaction and market under the filters."""
    report = {"kind": "province", "generated_at": now.astimezone(UTC).isoformat(), "filters": filters.as_dict(),
              "reach": reach(session, filters, now), "participation": participation(session, filters, now),
              "satisfaction": satisfaction(session, filters), "market": market(session, filters, now)}
    report["has_data"] = has_data(report)
    return report


def has_data(report: dict[str, Any]) -> bool:
    """Whether a province summary holds any figure at all (an empty one says "no data yet")."""
    reach_, part, sat, mkt = (report.get(k, {}) for k in ("reach", "participation", "satisfaction", "market"))
    return bool(reach_.get("followers_by_month") or reach_.get("followers_now") or
                (reach_.get("announcements") or {}).get("count") or part.get("trainings_count") or
                any((v or {}).get("count") for v in sat.values()) or mkt.get("sales_by_month") or
                (mkt.get("orders") or {}).get("count") or mkt.get("approved_shops"))


def _project_surveys(project_id: int) -> Any:
    return select(Survey.id).where(Survey.kind == "project", Survey.project_id == project_id).scalar_subquery()


def _training_surveys(training_ids: Any) -> Any:
    return select(Survey.id).where(Survey.kind == "training", _satisfaction_surveys(),
                                   Survey.training_id.in_(training_ids)).scalar_subquery()


def project_report(session: Session, project_id: int, now: datetime) -> dict[str, Any]:
    """One project: its stages with dates, followers, announcements, its trainings, citizens' and trainees'
    ratings (overall and per question), photos per stage, and sales in its districts since it was announced."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(reports_texts.PROJECT_NOT_FOUND)
    everything = Filters()
    stages = [{"stage": stage, "changed_at": at.isoformat()} for stage, at in session.execute(
        select(ProjectStageChange.stage, ProjectStageChange.changed_at)
        .where(ProjectStageChange.project_id == project_id).order_by(ProjectStageChange.changed_at,
                                                                     ProjectStageChange.id))]
    follow_month = _local_month(session, ProjectFollower.created_at)
    follows = session.execute(select(follow_month, func.count()).where(ProjectFollower.project_id == project_id)
                              .group_by(follow_month).order_by(follow_month)).all()
    running, follower_series = 0, []
    for month, count in follows:
        running += int(count)
        follower_series.append({"month": month, "followers": running, "followed": int(count), "unfollowed": 0})
    training_ids = select(Training.id).where(Training.project_id == project_id).scalar_subquery()
    trainee_surveys = _training_surveys(training_ids)
    project_surveys = _project_surveys(project_id)
    photos = dict(session.execute(select(ProjectPhoto.stage, func.count()).where(ProjectPhoto.project_id == project_id)
                                  .group_by(ProjectPhoto.stage)).all())
    sales_filters = Filters(period_from=project.created_at.astimezone(ZoneInfo(DEFAULT_TZ)).date())
    districts = list(project.districts) if project.districts else None
    return {
        "kind": "project", "generated_at": now.astimezone(UTC).isoformat(),
        "project": {"id": project.id, "title": project.title, "kind": project.kind, "stage": project.stage,
                    "districts": list(project.districts or []), "published": project.published,
                    "start_date": project.start_date.isoformat() if project.start_date else None,
                    "end_date": project.end_date.isoformat() if project.end_date else None,
                    "budget": str(project.budget) if project.budget is not None else None,
                    "finished": project.stage in FINISHED_STAGES, "stages": stages},
        "reach": {"followers_now": running, "followers_by_month": follower_series,
                  "announcements": announcement_reach(session, everything, project_id=project_id)},
        "participation": _participation(session, [Training.project_id == project_id, Training.status == "published"],
                                        everything, now),
        "satisfaction": {"citizens": survey_ratings(session, everything, kind="project", survey_ids=project_surveys),
                         "citizens_items": rating_items(session, project_surveys),
                         "trainees": survey_ratings(session, everything, kind="training", survey_ids=trainee_surveys),
                         "trainees_items": rating_items(session, trainee_surveys)},
        "photos": {"count": sum(int(n) for n in photos.values()),
                   "by_stage": {stage: int(n) for stage, n in photos.items()}},
        "market": {"districts": list(project.districts or []), "since": sales_filters.period_from.isoformat(),
                   "sales_by_month": sales_by_month(session, sales_filters, districts)},
    }


def training_report(session: Session, training_id: int, now: datetime) -> dict[str, Any]:
    """One training: sign-ups and attendance (also per district), trainees' ratings overall and per question, and
    the trainee-to-income funnel (services/training_outcomes.funnel) when that is part of this build."""
    training = session.get(Training, training_id)
    if training is None:
        raise NotFound(reports_texts.TRAINING_NOT_FOUND)
    everything = Filters()
    part = _participation(session, [Training.id == training_id], everything, now)
    row = part["trainings"][0] if part["trainings"] else _training_row(training, None, now)
    district = func.coalesce(Citizen.district, literal("")).label("district")
    by_district = [{"district": d or None, "district_name": DISTRICTS.get(d, "") if d else None,
                    "signups": int(s or 0), "attended": int(a or 0)} for d, s, a in session.execute(
        select(district, func.sum(case((TrainingSignup.status != "cancelled", 1), else_=0)),
               func.sum(case((TrainingSignup.checked_in_at.is_not(None), 1), else_=0)))
        .select_from(TrainingSignup).outerjoin(Citizen, Citizen.id == TrainingSignup.citizen_id)
        .where(TrainingSignup.training_id == training_id).group_by(district).order_by(district))]
    surveys = _training_surveys([training_id])
    project = session.get(Project, training.project_id) if training.project_id else None
    return {
        "kind": "training", "generated_at": now.astimezone(UTC).isoformat(),
        "training": {"id": training.id, "title": training.title, "status": training.status,
                     "project_id": training.project_id, "project_title": project.title if project else None,
                     "project_kind": project.kind if project else None,
                     "starts_at": training.starts_at.isoformat(), "ends_at": training.ends_at.isoformat(),
                     "venue_name": training.venue_name, "capacity": training.capacity,
                     "districts": list(training.districts or []), "finished": training.ends_at <= now},
        "participation": {**{k: row[k] for k in ("signups", "confirmed", "waitlisted", "cancelled", "attended",
                                                  "attendance_rate")}, "by_district": by_district},
        "satisfaction": {"trainees": survey_ratings(session, everything, kind="training", survey_ids=surveys),
                         "trainees_items": rating_items(session, surveys)},
        "funnel": training_funnel(session, training_id, now),
    }


def training_funnel(session: Session, training_id: int, now: datetime) -> dict[str, Any] | None:
    """OUTCOMES' funnel as a plain dict, or None while services/training_outcomes is not part of this build."""
    try:
        outcomes = importlib.import_module("services.training_outcomes")
    except ImportError:
        return None
    return _plain(outcomes.funnel(session, training_id, now))


def _plain(value: Any) -> Any:
    """A JSON-able copy: dataclasses to dicts, dates to ISO strings, tuples to lists."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def project_choices(session: Session, filters: Filters, limit: int = MAX_LIST) -> list[dict[str, Any]]:
    """Projects a report can be opened for (of the kind filtered, newest first), with their stage."""
    conditions = [Project.kind == filters.project_kind] if filters.project_kind else []
    rows = session.execute(select(Project.id, Project.title, Project.kind, Project.stage, Project.districts)
                           .where(*conditions).order_by(Project.id.desc()).limit(limit * 2)).all()
    if filters.district:  # districts are a JSON list: narrowed here, on at most limit * 2 rows
        rows = [r for r in rows if not r.districts or filters.district in r.districts]
    return [{"id": r.id, "title": r.title, "kind": r.kind, "stage": r.stage, "finished": r.stage in FINISHED_STAGES}
            for r in rows[:limit]]


def province_chart_data(session: Session, kind: str, filters: Filters, now: datetime) -> Any:
    """Only what one province chart draws (a chart request need not count everything the dashboard shows)."""
    if kind == "followers":
        return followers_by_month(session, filters, now)
    if kind == "satisfaction":
        return satisfaction(session, filters)
    if kind == "sales_by_month":
        return sales_by_month(session, filters)
    if kind == "sales_by_district":
        return sales_by_district(session, filters)
    raise KeyError(kind)
