"""Buyer satisfaction by random sample, product and shop ratings, and re-inspection of certified products.

Rules kept here:
- the sample is drawn once, when the order is received (buyer-confirmed or automatic), and recorded with the rate
  in force; a second receipt call finds the row and changes nothing, so nobody can re-roll it;
- a sampled buyer is invited BUYER_SURVEY_DELAY_DAYS after receipt by an idempotent scan, unless they were asked
  (by this survey or the survey engine) within SurveySettings.min_days_between_surveys: then the order is recorded
  as skipped_cap and never retried;
- the questions: product, (a complaint when the product got 1), shop, delivery, overall, an optional photo;
- ratings are shown only from MIN_RATINGS_SHOWN answers;
- a certified product whose rolling product rating (the last ROLLING_ANSWERS answers since its certificate began
  or staff last kept it) falls below REINSPECT_BELOW over at least REINSPECT_MIN_ANSWERS answers, or about which
  a complaint reaches staff, is flagged for re-inspection; a rating flag clears when the rating is back at or above
  the threshold; a complaint flag only by a staff decision (keep, or revoke through services/certification).

Why a questionnaire of its own rather than the survey engine (services/surveys.py): the engine allows one response
per person per survey, but a buyer may be sampled for many orders, each about another product and shop, and each
answer must stay tied to its order (ratings per product and shop, complaints per certificate).
"""

from __future__ import annotations

import math
import random
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import Config
from flex_templates import buyer_feedback as cards
from flex_templates.basic import text
from models.feedback import BuyerSurvey, CertificationEvent, Reinspection
from models.market import Certification, Product, Vendor
from models.orders import Order
from models.platform import Citizen
from models.surveys import SurveyInvitation
from services import audit, certification, citizens, images, notify, surveys
from services.errors import Conflict, DomainError, NotFound
from services.vendors import clean_reason, notify_reviewers, require_reviewer
from texts import buyer_feedback as buyer_feedback_texts
from texts import dates
from texts.dates import thai_date, to_local

DEFAULT_SAMPLE_RATE = Config.BUYER_SURVEY_SAMPLE_RATE
DEFAULT_DELAY_DAYS = Config.BUYER_SURVEY_DELAY_DAYS
MIN_RATINGS_SHOWN = 5  # a rating of fewer answers says more about one buyer than about the product
REINSPECT_BELOW = 3.0
REINSPECT_MIN_ANSWERS = 5
ROLLING_ANSWERS = 20  # the flag follows recent answers, so a product that improved is not held by its past
MAX_LATE = timedelta(days=7)  # a scan that was down longer does not ask about a purchase long forgotten
COMMENT_MAX = 500
RATING_STEPS = ("product", "shop", "delivery", "overall")
QUESTIONS = ("product", "comment", "shop", "delivery", "overall", "photo")
QUESTIONS_ASKED = 5  # the comment is asked only after a product rating of 1
RATING_FIELDS = {"product": "product_rating", "shop": "shop_rating", "delivery": "delivery_rating",
                 "overall": "overall_rating"}
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

StartData = Callable[[int], str]  # survey id -> the start button's postback data, packed by the chat handler


# ---- the sample, drawn at receipt ------------------------------------------------------------------------------------------
def draw(rng: random.Random, rate: float) -> bool:
    """One draw: True with probability `rate` (0 never, 1 always)."""
    return rng.random() < rate


def record_receipt(session: Session, order: Order, now: datetime, *, rate: float | None = None,
                   rng: random.Random | None = None) -> BuyerSurvey:
    """Draws and records whether this received order's buyer is asked. Called once per receipt; a second call
    returns the recorded decision unchanged (never re-drawn)."""
    existing = session.scalars(select(BuyerSurvey).where(BuyerSurvey.order_id == order.id)).one_or_none()
    if existing is not None:
        return existing
    rate = DEFAULT_SAMPLE_RATE if rate is None else min(max(float(rate), 0.0), 1.0)
    sampled = draw(rng or secrets.SystemRandom(), rate)
    citizen = citizens.get(session, order.buyer_line_user_id) if order.buyer_line_user_id else None
    row = BuyerSurvey(order_id=order.id, product_id=order.product_id, vendor_id=order.vendor_id,
                      citizen_id=citizen.id if citizen else None, district=order.buyer_district, sampled=sampled,
                      sample_rate=rate, status="waiting" if sampled else "not_sampled",
                      received_at=order.received_at or now, created_at=now)
    session.add(row)
    session.flush()
    return row


# ---- invitations -----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InviteCounts:
    sent: int = 0
    skipped_cap: int = 0
    unreachable: int = 0
    late: int = 0


def recently_asked(session: Session, citizen_ids: Sequence[int], now: datetime) -> set[int]:
    """Who was invited to any survey (the engine's or a buyer survey) within the per-person cap."""
    days = surveys.settings(session).min_days_between_surveys
    if days <= 0 or not citizen_ids:
        return set()
    since = now - timedelta(days=days)
    asked = set(session.scalars(select(SurveyInvitation.citizen_id).where(
        SurveyInvitation.citizen_id.in_(citizen_ids), SurveyInvitation.status == "sent",
        SurveyInvitation.invited_at > since)))
    asked |= set(session.scalars(select(BuyerSurvey.citizen_id).where(
        BuyerSurvey.citizen_id.in_(citizen_ids), BuyerSurvey.status == "sent", BuyerSurvey.invited_at > since)))
    return asked


def send_due_invitations(session: Session, now: datetime, start_data: StartData, *,
                         delay_days: int = DEFAULT_DELAY_DAYS, limit: int = 500) -> InviteCounts:
    """Invites sampled buyers `delay_days` after receipt (a scan: each decision is recorded, a second run finds
    nothing). Within the cap, unfollowed or erased: recorded as such and never retried."""
    due = session.scalars(select(BuyerSurvey).where(
        BuyerSurvey.status == "waiting", BuyerSurvey.received_at <= now - timedelta(days=delay_days))
        .order_by(BuyerSurvey.received_at, BuyerSurvey.id).limit(limit).with_for_update(skip_locked=True)).all()
    counts = {"sent": 0, "skipped_cap": 0, "unreachable": 0, "late": 0}
    people = {c.id: c for c in session.scalars(select(Citizen).where(
        Citizen.id.in_([r.citizen_id for r in due if r.citizen_id is not None])))}
    asked = recently_asked(session, list(people), now)
    for row in due:
        citizen = people.get(row.citizen_id) if row.citizen_id is not None else None
        if row.received_at < now - timedelta(days=delay_days) - MAX_LATE:
            status = "late"
        elif citizen is None or not citizen.is_following or citizen.line_user_id.startswith("erased:"):
            status = "unreachable"
        elif citizen.id in asked:
            status = "skipped_cap"
        else:
            status = "sent"
            asked.add(citizen.id)  # one buyer with two due orders is asked about one of them
        row.status = status
        row.invited_at = now if status == "sent" else None
        counts[status] += 1
        if status == "sent":
            notify.push(session, citizen.line_user_id, [invitation_message(session, row, start_data)], now,
                        source=f"buyer-survey:{row.id}:invite")
    session.flush()
    return InviteCounts(**counts)


def _names(session: Session, row: BuyerSurvey) -> tuple[str, str]:
    order = session.get(Order, row.order_id)
    vendor = session.get(Vendor, row.vendor_id)
    return (order.product_name if order else ""), (vendor.shop_name if vendor else "")


def invitation_message(session: Session, row: BuyerSurvey, start_data: StartData) -> dict:
    """The invitation: what was bought from whom and when, how short it is, and a start button."""
    product, shop = _names(session, row)
    body = buyer_feedback_texts.INVITE.format(product=product, shop=shop, date=thai_date(row.received_at),
                                              count=QUESTIONS_ASKED)
    return cards.invitation(buyer_feedback_texts.INVITE_ALT.format(product=product), body, start_data(row.id))


# ---- answering -----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    """Where a buyer is: the next question (None when done), its number, and the names asked about."""

    survey: BuyerSurvey
    step: str | None  # None: every question answered or skipped
    index: int
    total: int
    product: str
    shop: str
    just_completed: bool = False

    @property
    def done(self) -> bool:
        return self.step is None


class WrongAnswer(DomainError):
    """The input does not answer the current question; it should be asked again."""

    code = "wrong_answer"


class AlreadyAnswered(DomainError):
    """A button of a question answered before (tapped twice, an old message); the current one should be asked."""

    code = "already_answered"


def _steps(row: BuyerSurvey) -> list[str]:
    return [s for s in QUESTIONS if s != "comment" or row.product_rating == 1]


def _next_step(row: BuyerSurvey) -> str | None:
    for step in _steps(row):
        if step in RATING_FIELDS and getattr(row, RATING_FIELDS[step]) is None:
            return step
        if step == "comment" and not row.comment_done:
            return step
        if step == "photo" and not row.photo_done:
            return step
    return None


def _progress(session: Session, row: BuyerSurvey, just_completed: bool = False) -> Progress:
    steps = _steps(row)
    step = _next_step(row)
    index = steps.index(step) + 1 if step else len(steps)
    product, shop = _names(session, row)
    return Progress(row, step, index, len(steps), product, shop, just_completed)


def _own(session: Session, survey_id: int, line_user_id: str, *, lock: bool = True) -> BuyerSurvey:
    row = session.get(BuyerSurvey, survey_id, with_for_update=True if lock else None)
    citizen = citizens.get(session, line_user_id) if line_user_id else None
    if row is None or citizen is None or row.citizen_id != citizen.id or row.status != "sent":
        raise NotFound(buyer_feedback_texts.NOT_FOUND, code="buyer_survey_not_found")
    if _next_step(row) is None:
        raise Conflict(buyer_feedback_texts.COMPLETED_ALREADY, code="completed")
    return row


def start(session: Session, survey_id: int, line_user_id: str, now: datetime) -> Progress:
    """Starts or resumes the buyer's own questionnaire (only the invited buyer of that order may answer)."""
    row = _own(session, survey_id, line_user_id)
    if row.started_at is None:
        row.started_at = now
        session.flush()
    return _progress(session, row)


def current(session: Session, survey_id: int, line_user_id: str) -> Progress:
    """The buyer's own questionnaire and its next question (else a DomainError for an old or foreign button)."""
    return _progress(session, _own(session, survey_id, line_user_id, lock=False))


def _for_step(session: Session, survey_id: int, step: str | None, line_user_id: str) -> BuyerSurvey:
    row = _own(session, survey_id, line_user_id)
    if step is not None and step != _next_step(row):
        if step not in QUESTIONS:
            raise NotFound(buyer_feedback_texts.NOT_FOUND, code="bad_step")
        raise AlreadyAnswered(buyer_feedback_texts.ALREADY_ANSWERED)
    return row


def _rated(row: BuyerSurvey) -> bool:
    """Every rating given (and the complaint, when one is asked): the answer counts from here on, whether or not
    the optional photo follows (a buyer who stops at the photo question still counts)."""
    return _next_step(row) in (None, "photo")


def _after(session: Session, row: BuyerSurvey, now: datetime) -> Progress:
    session.flush()
    if _rated(row) and row.completed_at is None:
        row.completed_at = now
        session.flush()
        recompute(session, row.product_id, now)
        if row.product_rating == 1 and row.comment:
            _buyer_complaint(session, row, now)
    return _progress(session, row, just_completed=_next_step(row) is None)


def parse_rating(text: str | None) -> int | None:
    """1-5 from what people type ('5', '๕', ' 4 ')."""
    value = (text or "").strip().translate(_THAI_DIGITS)
    return int(value) if re.fullmatch(r"[1-5]", value) else None


def answer_rating(session: Session, survey_id: int, step: str | None, line_user_id: str, value: int | None,
                  now: datetime) -> Progress:
    """A 1-5 answer to the current rating question (the product, the shop, the delivery, overall)."""
    row = _for_step(session, survey_id, step, line_user_id)
    current_step = _next_step(row)
    if current_step not in RATING_FIELDS or value is None or not 1 <= value <= 5:
        raise WrongAnswer(buyer_feedback_texts.BAD_RATING)
    setattr(row, RATING_FIELDS[current_step], value)
    return _after(session, row, now)


def answer_comment(session: Session, survey_id: int, line_user_id: str, text: str | None,
                   now: datetime) -> Progress:
    """What went wrong with the product (asked after a product rating of 1): a complaint staff will read."""
    row = _for_step(session, survey_id, None, line_user_id)
    if _next_step(row) != "comment":
        raise WrongAnswer(buyer_feedback_texts.BAD_RATING)
    value = " ".join((text or "").split())
    if not value:
        raise WrongAnswer(buyer_feedback_texts.BAD_COMMENT_EMPTY)
    if len(value) > COMMENT_MAX:
        raise WrongAnswer(buyer_feedback_texts.BAD_COMMENT_LONG.format(limit=COMMENT_MAX))
    row.comment, row.comment_done = value, True
    return _after(session, row, now)


def answer_photo(session: Session, survey_id: int, line_user_id: str, data: bytes, now: datetime) -> Progress:
    """Stores the photo of what arrived through the safe image pipeline (size, format, EXIF handled there)."""
    row = _for_step(session, survey_id, None, line_user_id)
    if _next_step(row) != "photo":
        raise WrongAnswer(buyer_feedback_texts.BAD_RATING)
    processed = images.accept_image(data)  # ImageRejected is a DomainError with a Thai reason
    image = images.save_image(session, processed, kind="buyer_survey", owner_key=f"buyer_survey:{row.id}", now=now)
    row.photo_image_id, row.photo_done = image.id, True
    return _after(session, row, now)


def skip(session: Session, survey_id: int, step: str | None, line_user_id: str, now: datetime) -> Progress:
    """ข้าม: the comment and the photo may be skipped; a rating may not."""
    row = _for_step(session, survey_id, step, line_user_id)
    current_step = _next_step(row)
    if current_step == "comment":
        row.comment_done = True
    elif current_step == "photo":
        row.photo_done = True
    else:
        raise WrongAnswer(buyer_feedback_texts.BAD_RATING)
    return _after(session, row, now)


# ---- ratings ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rating:
    mean: float
    count: int

    @property
    def shown(self) -> str:
        """'4.6': one decimal, rounded half up as people expect."""
        return f"{math.floor(self.mean * 10 + 0.5) / 10:.1f}"


def _ratings(session: Session, key: object, column: object, ids: Iterable[int]) -> dict[int, Rating]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    rows = session.execute(select(key, func.avg(column), func.count(column)).where(
        key.in_(ids), BuyerSurvey.completed_at.is_not(None), column.is_not(None)).group_by(key)).all()
    return {int(k): Rating(float(mean), int(count)) for k, mean, count in rows
            if count >= MIN_RATINGS_SHOWN}


def product_ratings(session: Session, product_ids: Iterable[int]) -> dict[int, Rating]:
    """Product ratings for many products at once (a catalog page); products under MIN_RATINGS_SHOWN are absent."""
    return _ratings(session, BuyerSurvey.product_id, BuyerSurvey.product_rating, product_ids)


def shop_ratings(session: Session, vendor_ids: Iterable[int]) -> dict[int, Rating]:
    return _ratings(session, BuyerSurvey.vendor_id, BuyerSurvey.shop_rating, vendor_ids)


def product_rating(session: Session, product_id: int) -> Rating | None:
    """The product's buyer rating (mean of the product answers), None under MIN_RATINGS_SHOWN answers."""
    return product_ratings(session, [product_id]).get(product_id)


def shop_rating(session: Session, vendor_id: int) -> Rating | None:
    """The shop's buyer rating (mean of the shop answers), None under MIN_RATINGS_SHOWN answers."""
    return shop_ratings(session, [vendor_id]).get(vendor_id)


def rating_text(rating: Rating | None) -> str | None:
    """'★ 4.6 (12)' for the product bubble, or None (not enough answers)."""
    if rating is None:
        return None
    return buyer_feedback_texts.RATING_SHORT.format(mean=rating.shown, count=f"{rating.count:,}")


# ---- re-inspection ---------------------------------------------------------------------------------------------------------
def open_reinspection(session: Session, product_id: int, *, lock: bool = False) -> Reinspection | None:
    stmt = select(Reinspection).where(Reinspection.product_id == product_id, Reinspection.closed_at.is_(None))
    if lock:
        stmt = stmt.with_for_update()
    return session.scalars(stmt.order_by(Reinspection.id.desc()).limit(1)).first()


def under_reinspection(session: Session, product: Product) -> bool:
    """Whether the public pages say "อยู่ระหว่างตรวจสอบซ้ำ": a flag open on a product still certified."""
    return product.cert_status == "certified" and open_reinspection(session, product.id) is not None


def reinspection_product_ids(session: Session, product_ids: Iterable[int]) -> set[int]:
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return set()
    return set(session.scalars(select(Reinspection.product_id).where(
        Reinspection.product_id.in_(ids), Reinspection.closed_at.is_(None))))


def _event(session: Session, product_id: int, kind: str, actor: str | None, detail: str | None, now: datetime,
           cert_id: int | None = None) -> CertificationEvent:
    row = CertificationEvent(product_id=product_id, certification_id=cert_id, kind=kind, actor=actor,
                             detail=(detail or None) and detail[:500], at=now)
    session.add(row)
    session.flush()
    return row


def rolling_rating(session: Session, product: Product, now: datetime) -> Rating | None:
    """The rating the flag follows: the last ROLLING_ANSWERS product answers since the current certificate began
    or staff last kept it (a keep starts afresh; a new certificate is a new inspection). None without a certificate."""
    current = certification.current_certificate(session, product, now)
    if current is None:
        return None
    since = current.valid_from or current.decided_at or current.submitted_at
    kept = session.scalar(select(func.max(CertificationEvent.at)).where(
        CertificationEvent.product_id == product.id, CertificationEvent.kind == "kept"))
    if kept is not None and kept > since:
        since = kept
    values = list(session.scalars(select(BuyerSurvey.product_rating).where(
        BuyerSurvey.product_id == product.id, BuyerSurvey.product_rating.is_not(None),
        BuyerSurvey.completed_at.is_not(None), BuyerSurvey.completed_at >= since)
        .order_by(BuyerSurvey.completed_at.desc(), BuyerSurvey.id.desc()).limit(ROLLING_ANSWERS)))
    if not values:
        return Rating(0.0, 0)
    return Rating(sum(values) / len(values), len(values))


def _flag(session: Session, product: Product, cause: str, actor: str, detail: str, now: datetime) -> Reinspection:
    current = certification.current_certificate(session, product, now)
    row = open_reinspection(session, product.id, lock=True)
    if row is not None:
        if cause == "complaint" and row.cause != "complaint":
            row.cause = "complaint"  # a complaint needs a staff decision even if the rating recovers
            _event(session, product.id, "flagged", actor, f"{buyer_feedback_texts.CAUSES[cause]}: {detail}", now,
                   current.id if current else None)
        return row
    row = Reinspection(product_id=product.id, certification_id=current.id if current else None, cause=cause,
                       opened_at=now, opened_by=actor[:64])
    session.add(row)
    _event(session, product.id, "flagged", actor, f"{buyer_feedback_texts.CAUSES[cause]}: {detail}", now,
           row.certification_id)
    # Staff hear of it in chat as well as on the console overview (configured admins have staff rows too).
    notice = buyer_feedback_texts.STAFF_NOTICE_FLAGGED.format(name=product.name, shop=product.vendor.shop_name,
                                                              cause=buyer_feedback_texts.CAUSES[cause])
    notify_reviewers(session, [text(notice)], now, (), source=f"market-reinspection:{product.id}")
    return row


def _close(session: Session, row: Reinspection, outcome: str, kind: str, actor: str, reason: str | None,
           now: datetime) -> None:
    row.closed_at, row.closed_by, row.outcome, row.reason = now, actor[:64], outcome, reason
    _event(session, row.product_id, kind, actor, reason, now, row.certification_id)


def recompute(session: Session, product_id: int, now: datetime) -> Reinspection | None:
    """Raises or clears the rating flag after an answer; returns the open re-inspection, if any."""
    # The product row is the lock: two answers (or an answer and a staff decision) on one product take turns, so
    # a product never gets two open re-inspections.
    product = session.get(Product, product_id, with_for_update=True)
    if product is None:
        return None
    row = open_reinspection(session, product_id, lock=True)
    rating = rolling_rating(session, product, now)
    if rating is None:  # no valid certificate left (expired, revoked, removed): nothing to re-inspect
        if row is not None:
            _close(session, row, "not_certified", "ended", "rating", None, now)
        return None
    low = rating.count >= REINSPECT_MIN_ANSWERS and rating.mean < REINSPECT_BELOW
    if low and row is None:
        detail = buyer_feedback_texts.EVENT_RATING_LOW.format(mean=rating.shown, count=rating.count,
                                                              threshold=REINSPECT_BELOW)
        return _flag(session, product, "rating", "rating", detail, now)
    if not low and row is not None and row.cause == "rating":
        detail = buyer_feedback_texts.EVENT_RATING_BACK.format(mean=rating.shown, count=rating.count)
        _close(session, row, "rating_recovered", "cleared", "rating", detail, now)
        return None
    return row


def _buyer_complaint(session: Session, row: BuyerSurvey, now: datetime) -> None:
    """A product rated 1 with a comment: a complaint in the product's history, and a flag if it is certified."""
    product = session.get(Product, row.product_id)
    if product is None:
        return
    detail = buyer_feedback_texts.EVENT_BUYER_COMPLAINT.format(order_id=row.order_id)
    current = certification.current_certificate(session, product, now)
    _event(session, product.id, "complaint", f"buyer_survey:{row.id}", detail, now, current.id if current else None)
    if current is not None:
        _flag(session, product, "complaint", f"buyer_survey:{row.id}", detail, now)


def _staff_product(session: Session, product_id: int, actor: str, admin_ids: tuple[str, ...]) -> Product:
    require_reviewer(session, actor, admin_ids)
    product = session.get(Product, product_id, with_for_update=True)
    if product is None:
        raise NotFound(buyer_feedback_texts.ERR_PRODUCT, code="product_not_found")
    return product


def report_complaint(session: Session, product_id: int, actor: str, detail: str, now: datetime,
                     admin_ids: tuple[str, ...] = ()) -> Reinspection | None:
    """Staff record a complaint that reached them (phone, walk-in): in the history, and a flag if certified."""
    product = _staff_product(session, product_id, actor, admin_ids)
    detail = " ".join((detail or "").split())
    if not 2 <= len(detail) <= 500:
        raise DomainError(buyer_feedback_texts.ERR_COMPLAINT, code="bad_complaint")
    current = certification.current_certificate(session, product, now)
    _event(session, product.id, "complaint", actor, detail, now, current.id if current else None)
    if current is None:
        return None
    return _flag(session, product, "complaint", actor, detail, now)


def keep(session: Session, product_id: int, actor: str, note: str, now: datetime,
         admin_ids: tuple[str, ...] = ()) -> Reinspection:
    """Staff re-inspected and keep the certificate: the flag clears and the rolling rating starts afresh."""
    product = _staff_product(session, product_id, actor, admin_ids)
    row = open_reinspection(session, product.id, lock=True)
    if row is None:
        raise Conflict(buyer_feedback_texts.ERR_NO_REINSPECTION, code="no_reinspection")
    note = " ".join((note or "").split())[:300]
    _close(session, row, "kept", "kept", actor, note or None, now)
    audit.record(session, actor, "reinspection_keep", ("product", product.id), {}, now)
    return row


def revoke(session: Session, product_id: int, actor: str, reason: str, now: datetime,
           admin_ids: tuple[str, ...] = ()) -> Certification:
    """Staff revoke the current certificate with a reason (services/certification.revoke tells the vendor); an
    open re-inspection closes as revoked."""
    product = _staff_product(session, product_id, actor, admin_ids)
    current = certification.current_certificate(session, product, now)
    if current is None:
        raise Conflict(buyer_feedback_texts.ERR_NOT_CERTIFIED, code="not_certified")
    reason = clean_reason(reason)
    cert = certification.revoke(session, current.id, actor, reason, now, admin_ids)
    row = open_reinspection(session, product.id, lock=True)
    if row is not None:
        _close(session, row, "revoked", "revoked", actor, reason, now)
    return cert


def certificate_revoked(session: Session, product_id: int, actor: str, reason: str, now: datetime) -> None:
    """A certificate revoked elsewhere (the console's revoke button): an open re-inspection closes as revoked."""
    row = open_reinspection(session, product_id, lock=True)
    if row is not None:
        _close(session, row, "revoked", "revoked", actor, reason, now)


def reinspection_queue(session: Session, limit: int = 100) -> list[Reinspection]:
    """Open re-inspections, oldest first (complaints and low ratings waiting for staff)."""
    return list(session.scalars(select(Reinspection).where(Reinspection.closed_at.is_(None))
                                .order_by(Reinspection.opened_at, Reinspection.id).limit(limit)))


def reinspection_count(session: Session) -> int:
    """How many products wait for re-inspection (the console overview's count)."""
    return int(session.scalar(select(func.count()).select_from(Reinspection)
                              .where(Reinspection.closed_at.is_(None))) or 0)


def events(session: Session, product_id: int) -> list[CertificationEvent]:
    """The product's certification events, oldest first (the console shows them with the reviews)."""
    return list(session.scalars(select(CertificationEvent).where(CertificationEvent.product_id == product_id)
                                .order_by(CertificationEvent.at, CertificationEvent.id)))


def complaints(session: Session, product_id: int, limit: int = 20) -> list[BuyerSurvey]:
    """Buyers' answers with a comment about this product, newest first (staff read them when deciding)."""
    return list(session.scalars(select(BuyerSurvey).where(
        BuyerSurvey.product_id == product_id, BuyerSurvey.comment.is_not(None))
        .order_by(BuyerSurvey.completed_at.desc(), BuyerSurvey.id.desc()).limit(limit)))


# ---- figures for reports ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SummaryFilters:
    """What REPORTS passes: any object with these attributes works (services/reports.Filters has them)."""

    period_from: datetime | None = None
    period_to: datetime | None = None
    district: str | None = None


def _moment(value: object, *, end: bool = False) -> datetime | None:
    """A filter bound as a UTC moment: a datetime as is; a date as the start of that Khon Kaen day (an end date is
    inclusive, so the bound is the start of the next day)."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        day = value + timedelta(days=1) if end else value
        return datetime.combine(day, time(), tzinfo=ZoneInfo(dates.DEFAULT_TZ)).astimezone(UTC)
    raise TypeError(f"not a date: {value!r}")


def _figures(counts: dict[tuple, int]) -> dict:
    """{(product, shop, delivery, overall): answers} -> count, mean and 1-5 distribution per question."""
    out = {}
    for i, question in enumerate(RATING_STEPS):
        distribution = {str(v): 0 for v in range(1, 6)}
        for key, n in counts.items():
            if key[i] is not None:
                distribution[str(key[i])] += n
        total = sum(distribution.values())
        mean = sum(int(v) * n for v, n in distribution.items()) / total if total else None
        out[question] = {"count": total, "mean": round(mean, 2) if mean is not None else None,
                         "distribution": distribution}
    return out


def satisfaction_summary(session: Session, filters: object | None = None, *, by: str | None = None) -> dict:
    """Buyers' satisfaction: invitations sent, completed answers, and count, mean and 1-5 distribution per question
    (product, shop, delivery, overall), optionally `by="district"` or `by="month"` (Khon Kaen month of the answer).
    `filters` may carry period_from / period_to (datetimes, the end exclusive; or dates, the end inclusive) and
    district. Counts are raw: disclosure control is the caller's (services/disclosure.py). Aggregated in the
    database (at most 6^4 rating combinations a group), so 100,000 answers cost one grouped scan."""
    period_from = _moment(getattr(filters, "period_from", None))
    period_to = _moment(getattr(filters, "period_to", None), end=True)
    district = getattr(filters, "district", None)
    ratings = (BuyerSurvey.product_rating, BuyerSurvey.shop_rating, BuyerSurvey.delivery_rating,
               BuyerSurvey.overall_rating)
    conditions = [BuyerSurvey.completed_at.is_not(None)]
    if period_from is not None:
        conditions.append(BuyerSurvey.completed_at >= period_from)
    if period_to is not None:
        conditions.append(BuyerSurvey.completed_at < period_to)
    if district:
        conditions.append(BuyerSurvey.district == district)
    group: tuple = ratings + ((BuyerSurvey.district,) if by == "district" else ())
    if by == "month":
        group = (*ratings, BuyerSurvey.completed_at)  # the month is taken in Khon Kaen time, below
    rows = session.execute(select(*group, func.count()).where(*conditions).group_by(*group)).all()
    invited = [BuyerSurvey.status == "sent"]
    if period_from is not None:
        invited.append(BuyerSurvey.invited_at >= period_from)
    if period_to is not None:
        invited.append(BuyerSurvey.invited_at < period_to)
    if district:
        invited.append(BuyerSurvey.district == district)
    totals: dict[tuple, int] = {}
    groups: dict[str, dict[tuple, int]] = {}
    for row in rows:
        key, n = tuple(row[:4]), int(row[-1])
        totals[key] = totals.get(key, 0) + n
        if by == "district":
            label = row[4] or ""
        elif by == "month":
            label = to_local(row[4]).strftime("%Y-%m")
        else:
            continue
        bucket = groups.setdefault(label, {})
        bucket[key] = bucket.get(key, 0) + n
    out: dict = {"invited": int(session.scalar(select(func.count()).select_from(BuyerSurvey).where(*invited)) or 0),
                 "responses": sum(totals.values()), "questions": _figures(totals)}
    if by in ("district", "month"):
        out[f"by_{by}"] = {label: {"responses": sum(c.values()), "questions": _figures(c)}
                           for label, c in sorted(groups.items())}
    return out


# ---- PDPA: "ข้อมูลของฉัน" --------------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The buyer's sampled orders and their own answers."""
    rows = session.scalars(select(BuyerSurvey).where(BuyerSurvey.citizen_id == citizen.id)
                           .order_by(BuyerSurvey.id)).all()
    if not rows:
        return {}
    out = []
    for r in rows:
        product, shop = _names(session, r)
        out.append({"product": product, "shop": shop, "received_at": r.received_at.isoformat(),
                    "sampled": r.sampled, "status": r.status,
                    "invited_at": r.invited_at.isoformat() if r.invited_at else None,
                    "completed_at": r.completed_at.isoformat() if r.completed_at else None,
                    "product_rating": r.product_rating, "shop_rating": r.shop_rating,
                    "delivery_rating": r.delivery_rating, "overall_rating": r.overall_rating,
                    "comment": r.comment, "photo": bool(r.photo_image_id)})
    return {"buyer_surveys": out}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Unlinks the buyer from their answers and deletes the comment and photo (they may identify someone); the
    ratings stay as anonymous figures, so product and shop ratings do not change."""
    rows = session.scalars(select(BuyerSurvey).where(BuyerSurvey.citizen_id == citizen.id)).all()
    for r in rows:
        r.citizen_id, r.comment, r.photo_image_id = None, None, None
        images.delete_images(session, f"buyer_survey:{r.id}")
    session.flush()
