"""Trainings: staff create and publish them; citizens sign up for a seat or the waitlist, cancel, and are reminded.
Checking trainees in with their personal code is services/training_checkin.py.

Capacity holds under concurrency: a sign-up locks the training row (`SELECT ... FOR UPDATE` on PostgreSQL; on
SQLite every write transaction is BEGIN IMMEDIATE, see models/db.py) before counting the confirmed seats, so two
sign-ups never both take the last seat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from flex_templates import trainings as cards
from flex_templates.basic import message_action, text
from models.media import MediaImage
from models.platform import Citizen
from models.trainings import Training, TrainingSignup, TrainingSpeaker
from services import citizens, contact_details, limits, notify, qr
from services.errors import Conflict, DomainError, NotFound, PermissionDenied
from texts import dates
from texts import trainings as trainings_texts
from texts.districts import DISTRICTS

DAY_BEFORE = timedelta(hours=24)
HOURS_BEFORE = timedelta(hours=2)
MAX_CAPACITY = 10_000
MAX_UPCOMING = 10  # a carousel holds 12 bubbles; leave room and keep it light on old phones
ACTIVE = ("confirmed", "waitlisted")


# ---- staff: create, edit, publish, announce, cancel ------------------------------------------------------------------
@dataclass
class SpeakerInput:
    name: str
    bio: str = ""
    photo_image_id: int | None = None


@dataclass
class TrainingInput:
    """What staff fill in for a training (times are aware datetimes; the console converts from local time)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    signup_deadline: datetime
    description: str = ""
    project_id: int | None = None
    topic_tags: list[str] = field(default_factory=list)
    venue_name: str = ""
    venue_map_url: str | None = None
    districts: list[str] = field(default_factory=list)
    what_to_bring: str = ""
    cover_image_id: int | None = None
    survey_delay_hours: int = 2
    speakers: list[SpeakerInput] | None = None  # None: leave the speakers as they are


MAX_MAP_URL = 1000  # LINE's limit for a URI action


def clean_map_url(raw: str | None) -> str | None:
    """The venue's map link as it goes into the card's "ดูแผนที่" button, None when left empty, else a DomainError:
    an https:// address with a host (what Google Maps' "แชร์" gives). Thai letters in a pasted link are
    percent-encoded, since LINE accepts only a plain URI in a button."""
    value = (raw or "").strip()
    if not value:
        return None
    value = quote(value, safe=":/?#[]@!$&'()*+,;=%~")
    try:
        parts = urlsplit(value)
        host, _port = parts.hostname or "", parts.port
    except ValueError:  # e.g. a broken [IPv6] host or a port out of range
        raise DomainError(trainings_texts.ERR_MAP_URL, code="bad_map_url") from None
    if (parts.scheme.lower() != "https" or "." not in host.strip(".") or parts.username is not None
            or len(value) > MAX_MAP_URL):
        raise DomainError(trainings_texts.ERR_MAP_URL, code="bad_map_url")
    return value


def _check_input(session: Session, data: TrainingInput) -> None:
    if not data.title.strip():
        raise DomainError(trainings_texts.ERR_TITLE, code="title_required")
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise DomainError(trainings_texts.ERR_CAPACITY, code="bad_capacity")
    if data.ends_at <= data.starts_at:
        raise DomainError(trainings_texts.ERR_TIMES, code="bad_times")
    if data.signup_deadline > data.starts_at:
        raise DomainError(trainings_texts.ERR_DEADLINE_AFTER_START, code="bad_deadline")
    unknown = [d for d in data.districts if d not in DISTRICTS]
    if unknown:
        raise DomainError(trainings_texts.ERR_DISTRICT.format(keys=", ".join(unknown)[:100]), code="unknown_district")
    clean_map_url(data.venue_map_url)
    if not 0 <= data.survey_delay_hours <= 168:
        raise DomainError(trainings_texts.ERR_DELAY, code="bad_survey_delay")
    if data.project_id is not None:
        from models.projects import Project

        if session.get(Project, data.project_id) is None:
            raise DomainError(trainings_texts.ERR_PROJECT, code="unknown_project")
    for image_id in [data.cover_image_id, *[s.photo_image_id for s in data.speakers or []]]:
        if image_id is not None and session.get(MediaImage, image_id) is None:
            raise DomainError("ไม่พบรูปภาพ", code="unknown_image")


def _apply(training: Training, data: TrainingInput) -> None:
    training.title = data.title.strip()[:200]
    training.description = data.description.strip()[:5000]
    training.project_id = data.project_id
    training.topic_tags = list(dict.fromkeys(t.strip()[:40] for t in data.topic_tags if t.strip()))[:10]
    training.venue_name = data.venue_name.strip()[:200]
    training.venue_map_url = clean_map_url(data.venue_map_url)
    training.starts_at, training.ends_at = data.starts_at, data.ends_at
    training.capacity = data.capacity
    training.signup_deadline = data.signup_deadline
    training.districts = list(dict.fromkeys(data.districts))
    training.what_to_bring = data.what_to_bring.strip()[:1000]
    if data.cover_image_id is not None:
        training.cover_image_id = data.cover_image_id
    training.survey_delay_hours = data.survey_delay_hours


def _set_speakers(session: Session, training: Training, speakers: Sequence[SpeakerInput]) -> None:
    for old in session.scalars(select(TrainingSpeaker).where(TrainingSpeaker.training_id == training.id)):
        session.delete(old)
    session.flush()
    for position, speaker in enumerate(s for s in speakers if s.name.strip()):
        session.add(TrainingSpeaker(training_id=training.id, position=position, name=speaker.name.strip()[:120],
                                    bio=speaker.bio.strip()[:500], photo_image_id=speaker.photo_image_id))
    session.flush()


def create_training(session: Session, data: TrainingInput, actor: str, now: datetime) -> Training:
    """Creates a draft training (citizens see it once it is published)."""
    _check_input(session, data)
    training = Training(status="draft", created_by=actor, created_at=now, updated_at=now,
                        title="", starts_at=data.starts_at, ends_at=data.ends_at, capacity=data.capacity,
                        signup_deadline=data.signup_deadline)
    _apply(training, data)
    session.add(training)
    session.flush()
    if data.speakers is not None:
        _set_speakers(session, training, data.speakers)
    return training


def update_training(session: Session, training_id: int, data: TrainingInput, actor: str, now: datetime,
                    base_url: str) -> Training:
    """Saves staff's changes. More seats promote people from the waitlist (and tell them)."""
    training = _locked(session, training_id)
    if training.status == "cancelled":
        raise Conflict(trainings_texts.ERR_CANCELLED, code="training_cancelled")
    _check_input(session, data)
    confirmed = _count(session, training.id, "confirmed")
    if data.capacity < confirmed:
        raise Conflict(trainings_texts.ERR_CAPACITY_BELOW.format(confirmed=confirmed), code="capacity_below_confirmed")
    _apply(training, data)
    training.updated_at = now
    if data.speakers is not None:
        _set_speakers(session, training, data.speakers)
    session.flush()
    if training.status == "published":
        _promote(session, training, now, base_url)
    return training


def publish(session: Session, training_id: int, actor: str, now: datetime) -> Training:
    """Makes a draft training visible to citizens ("อบรม") and open for sign-up."""
    training = get_training(session, training_id)
    if training.status == "published":
        raise Conflict(trainings_texts.ERR_ALREADY_PUBLISHED, code="already_published")
    if training.status == "cancelled":
        raise Conflict(trainings_texts.ERR_CANCELLED, code="training_cancelled")
    if training.starts_at <= now:
        raise DomainError(trainings_texts.ERR_PUBLISH_PAST, code="already_started")
    training.status, training.published_at, training.updated_at = "published", now, now
    session.flush()
    return training


def announce(session: Session, training_id: int, actor: str, now: datetime, base_url: str,
             admin_ids: tuple[str, ...] = ()) -> int:
    """Announces a published training to its target districts (everyone if none) through the announcement flow;
    returns the announcement id."""
    from services import announcements
    from services.announcements import Audience

    if actor not in announcements.SYSTEM_ACTORS and not _is_staff(session, actor, admin_ids):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่เท่านั้น")
    training = _locked(session, training_id)
    if training.status != "published":
        raise Conflict(trainings_texts.ERR_NOT_PUBLISHED, code="not_published")
    if training.announcement_id is not None:
        raise Conflict(trainings_texts.ERR_ALREADY_ANNOUNCED, code="already_announced")
    message = cards.announcement(
        title=training.title, when=trainings_texts.when(training.starts_at, training.ends_at),
        where=training.venue_name, capacity=training.capacity,
        deadline=trainings_texts.thai_datetime(training.signup_deadline),
        cover_url=_cover_url(session, training, base_url), speakers=[s.name for s in _speakers(session, training.id)])
    row = announcements.create_announcement(
        session, actor=actor, messages=[message], audience=Audience(districts=tuple(training.districts)),
        send_at=None, now=now, source=f"training:{training.id}",
        title=trainings_texts.ANNOUNCE_TITLE.format(title=training.title))
    training.announcement_id = row.id
    session.flush()
    return row.id


def _is_staff(session: Session, actor: str, admin_ids: tuple[str, ...]) -> bool:
    from services.staff import is_staff

    return is_staff(session, actor, admin_ids)


def cancel_training(session: Session, training_id: int, actor: str, now: datetime) -> Training:
    """Cancels a training: every active sign-up is cancelled and its owner told."""
    training = _locked(session, training_id)
    if training.status == "cancelled":
        raise Conflict(trainings_texts.ERR_CANCELLED, code="training_cancelled")
    was_published = training.status == "published"
    training.status, training.updated_at = "cancelled", now
    rows = session.execute(select(TrainingSignup, Citizen).join(Citizen, Citizen.id == TrainingSignup.citizen_id)
                           .where(TrainingSignup.training_id == training.id,
                                  TrainingSignup.status.in_(ACTIVE))).all()
    for signup, _citizen in rows:
        signup.status, signup.cancelled_at = "cancelled", now
    session.flush()
    if was_published and rows:
        when = trainings_texts.when(training.starts_at, training.ends_at)
        message = text(trainings_texts.TRAINING_CANCELLED_NOTICE.format(title=training.title, when=when))
        notify.multicast(session, [c.line_user_id for _, c in rows], [message], now,
                         source=f"training:{training.id}:cancelled")
    return training


# ---- reading ---------------------------------------------------------------------------------------------------------
def get_training(session: Session, training_id: int) -> Training:
    training = session.get(Training, training_id)
    if training is None:
        raise NotFound(trainings_texts.DOMAIN_NOT_FOUND, code="training_not_found")
    return training


def _locked(session: Session, training_id: int) -> Training:
    # populate_existing: a row already in the session is refreshed with the locked, current values.
    training = session.scalars(select(Training).where(Training.id == training_id).with_for_update()
                               .execution_options(populate_existing=True)).one_or_none()
    if training is None:
        raise NotFound(trainings_texts.DOMAIN_NOT_FOUND, code="training_not_found")
    return training


def _count(session: Session, training_id: int, status: str) -> int:
    return session.scalar(select(func.count(TrainingSignup.id)).where(
        TrainingSignup.training_id == training_id, TrainingSignup.status == status)) or 0


def seat_counts(session: Session, training_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per training: how many are confirmed, waitlisted and checked in."""
    result = {tid: {"confirmed": 0, "waitlisted": 0, "checked_in": 0} for tid in training_ids}
    if not training_ids:
        return result
    rows = session.execute(select(TrainingSignup.training_id, TrainingSignup.status, func.count(TrainingSignup.id),
                                  func.count(TrainingSignup.checked_in_at))
                           .where(TrainingSignup.training_id.in_(training_ids))
                           .group_by(TrainingSignup.training_id, TrainingSignup.status))
    for training_id, status, count, checked in rows:
        if status in ("confirmed", "waitlisted"):
            result[training_id][status] = count
        result[training_id]["checked_in"] += checked
    return result


def seats_left(session: Session, training: Training) -> int:
    return max(0, training.capacity - _count(session, training.id, "confirmed"))


def is_open(training: Training, now: datetime) -> bool:
    """True while citizens may sign up (published, before the deadline, not started)."""
    return training.status == "published" and now < training.signup_deadline and now < training.starts_at


def upcoming(session: Session, now: datetime, limit: int = MAX_UPCOMING) -> list[Training]:
    """Published trainings open for sign-up, soonest first."""
    return list(session.scalars(select(Training).where(
        Training.status == "published", Training.signup_deadline > now, Training.starts_at > now)
        .order_by(Training.starts_at, Training.id).limit(limit)))


def list_trainings(session: Session, *, limit: int = 200) -> list[Training]:
    """Every training for staff, newest start first."""
    return list(session.scalars(select(Training).order_by(Training.starts_at.desc(), Training.id.desc()).limit(limit)))


def speakers(session: Session, training_id: int) -> list[TrainingSpeaker]:
    return _speakers(session, training_id)


def _speakers(session: Session, training_id: int) -> list[TrainingSpeaker]:
    return list(session.scalars(select(TrainingSpeaker).where(TrainingSpeaker.training_id == training_id)
                                .order_by(TrainingSpeaker.position, TrainingSpeaker.id)))


def image_urls(session: Session, image_id: int | None, base_url: str) -> tuple[str, str] | None:
    """(display, thumbnail) URLs of a stored image, or None."""
    from services.images import image_url, thumb_url

    if image_id is None:
        return None
    image = session.get(MediaImage, image_id)
    if image is None:
        return None
    return image_url(base_url, image), thumb_url(base_url, image)


def _cover_url(session: Session, training: Training, base_url: str) -> str | None:
    urls = image_urls(session, training.cover_image_id, base_url)
    return urls[0] if urls else None


# ---- adding to a calendar ------------------------------------------------------------------------------------------
def calendar_url(base_url: str, training_id: int) -> str:
    """The public .ics file of a training (web/public_trainings.py)."""
    return f"{base_url.rstrip('/')}/trainings/{training_id}.ics"


def calendar_link(base_url: str, training_id: int) -> str:
    """The .ics link for a button in chat. LINE's in-app browser does not hand a calendar file to the phone's
    calendar; `openExternalBrowser=1` (a LINE convention) opens it in the phone's own browser, which does."""
    return calendar_url(base_url, training_id) + "?openExternalBrowser=1"


def calendar_file(session: Session, training_id: int, base_url: str, now: datetime) -> bytes:
    """The training as an iCalendar (RFC 5545) file with one VEVENT, times in Asia/Bangkok with its VTIMEZONE.
    A training that was never published is NotFound; a cancelled one says STATUS:CANCELLED, so a calendar that
    imports it again (same UID) marks the event cancelled. Built with `icalendar`, which escapes and folds."""
    from icalendar import Calendar, Event

    training = session.get(Training, training_id)
    if training is None or training.published_at is None:
        raise NotFound(trainings_texts.DOMAIN_NOT_FOUND, code="training_not_found")
    url = calendar_url(base_url, training.id)
    host = urlsplit(base_url).hostname or "localhost"
    lines = [training.description.strip()]
    if training.what_to_bring:
        lines.append(trainings_texts.ICS_BRING.format(bring=training.what_to_bring.strip()))
    if training.venue_map_url:
        lines.append(trainings_texts.ICS_MAP.format(url=training.venue_map_url))
    lines.append(trainings_texts.ICS_FOOTER)
    event = Event()
    event.add("uid", f"training-{training.id}@{host}")
    event.add("dtstamp", now)
    event.add("last-modified", training.updated_at)
    event.add("dtstart", dates.to_local(training.starts_at))
    event.add("dtend", dates.to_local(training.ends_at))
    event.add("summary", trainings_texts.ICS_SUMMARY.format(title=training.title))
    if training.venue_name or training.venue_map_url:
        location_params = {"ALTREP": training.venue_map_url} if training.venue_map_url else {}
        event.add("location", training.venue_name or training.venue_map_url, parameters=location_params)
    event.add("description", "\n\n".join(line for line in lines if line))
    event.add("url", url)
    event.add("status", "CANCELLED" if training.status == "cancelled" else "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", "-//KK Digital Community//Trainings//TH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# ---- signing up --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignupResult:
    signup: TrainingSignup
    training: Training
    position: int | None  # waitlist position (1 = next), None when confirmed
    already: bool  # the citizen had already signed up: nothing changed


def _position(session: Session, signup: TrainingSignup) -> int:
    ahead = session.scalar(select(func.count(TrainingSignup.id)).where(
        TrainingSignup.training_id == signup.training_id, TrainingSignup.status == "waitlisted",
        (TrainingSignup.queued_at < signup.queued_at)
        | and_(TrainingSignup.queued_at == signup.queued_at, TrainingSignup.id < signup.id))) or 0
    return ahead + 1


def waitlist_position(session: Session, signup: TrainingSignup) -> int | None:
    return _position(session, signup) if signup.status == "waitlisted" else None


def _new_code(session: Session) -> str:
    while True:  # 60 random bits: a clash is astronomically rare, but the unique index must never fire
        code = qr.new_checkin_code()
        if session.scalar(select(TrainingSignup.id).where(TrainingSignup.checkin_code == code)) is None:
            return code


def check_open(session: Session, training_id: int, now: datetime) -> Training:
    """The training if citizens may sign up now, else a DomainError saying why (asked before the name and
    phone questions, so nobody types them for nothing)."""
    training = session.get(Training, training_id)
    if training is None or training.status == "draft":
        raise NotFound(trainings_texts.TRAINING_GONE, code="training_not_found")
    if training.status == "cancelled":
        raise DomainError(trainings_texts.ERR_CANCELLED_TRAINING.format(title=training.title),
                          code="training_cancelled")
    if now >= training.starts_at:
        raise DomainError(trainings_texts.ERR_STARTED.format(title=training.title), code="started")
    if now >= training.signup_deadline:
        raise DomainError(trainings_texts.ERR_DEADLINE.format(title=training.title), code="deadline_passed")
    return training


def sign_up(session: Session, training_id: int, line_user_id: str, now: datetime) -> SignupResult:
    """Gives the citizen a seat, or a place in the waitlist when full. Signing up twice changes nothing."""
    if session.get(Training, training_id) is None:
        raise NotFound(trainings_texts.TRAINING_GONE, code="training_not_found")
    training = _locked(session, training_id)
    if training.status == "draft":  # staff have not published it: to citizens it does not exist yet
        raise NotFound(trainings_texts.TRAINING_GONE, code="training_not_found")
    if training.status == "cancelled":
        raise DomainError(trainings_texts.ERR_CANCELLED_TRAINING.format(title=training.title),
                          code="training_cancelled")
    citizen = citizens.get_or_create(session, line_user_id, now)
    signup = session.scalars(select(TrainingSignup).where(TrainingSignup.training_id == training.id,
                                                          TrainingSignup.citizen_id == citizen.id)).one_or_none()
    if signup is not None and signup.status in ACTIVE:
        return SignupResult(signup, training, waitlist_position(session, signup), already=True)
    # Signing up and cancelling in turn moves the waitlist and pushes to others: a few times an hour at most.
    limits.enforce(session, "training_signup", f"{line_user_id}:training:{training.id}", now, who=line_user_id)
    if now >= training.starts_at:
        raise DomainError(trainings_texts.ERR_STARTED.format(title=training.title), code="started")
    if now >= training.signup_deadline:
        raise DomainError(trainings_texts.ERR_DEADLINE.format(title=training.title), code="deadline_passed")
    full = _count(session, training.id, "confirmed") >= training.capacity
    code = _new_code(session)
    if signup is None:
        signup = TrainingSignup(training_id=training.id, citizen_id=citizen.id, created_at=now)
        session.add(signup)
    # Signing up again after cancelling: a fresh place at the back of the queue and a fresh code.
    signup.status = "waitlisted" if full else "confirmed"
    signup.checkin_code = code
    signup.queued_at = now
    signup.confirmed_at = None if full else now
    signup.cancelled_at = signup.checked_in_at = None
    signup.reminded_day_before_at = signup.reminded_hours_before_at = None
    session.flush()
    return SignupResult(signup, training, _position(session, signup) if full else None, already=False)


def confirmation_messages(session: Session, signup: TrainingSignup, training: Training, base_url: str,
                          heading: str) -> list[dict]:
    """The confirmation card with the personal check-in QR code."""
    return [cards.checkin_card(heading=heading, title=training.title,
                               when=trainings_texts.when(training.starts_at, training.ends_at),
                               where=training.venue_name, qr_url=qr_image_url(base_url, signup.checkin_code),
                               code=qr.format_code(signup.checkin_code),
                               quick=[message_action(trainings_texts.WORD_MY_SIGNUPS),
                                      message_action(trainings_texts.WORD_TRAININGS)],
                               map_url=training.venue_map_url, calendar_url=calendar_link(base_url, training.id))]


def qr_image_url(base_url: str, code: str) -> str:
    """Where the check-in card image is served (web/checkin.py)."""
    return f"{base_url.rstrip('/')}/checkin/qr/{code}.png"


def _owned(session: Session, signup_id: int, line_user_id: str) -> tuple[TrainingSignup, Training]:
    citizen = citizens.get(session, line_user_id)
    signup = session.get(TrainingSignup, signup_id)
    if citizen is None or signup is None or signup.citizen_id != citizen.id:
        raise NotFound(trainings_texts.ERR_NOT_YOURS, code="signup_not_found")
    return signup, get_training(session, signup.training_id)


def signup_for_cancel(session: Session, signup_id: int, line_user_id: str, now: datetime) -> tuple[TrainingSignup,
                                                                                                    Training]:
    """The citizen's own active sign-up that may still be cancelled (else a DomainError saying why)."""
    signup, training = _owned(session, signup_id, line_user_id)
    if signup.status == "cancelled":
        raise Conflict(trainings_texts.ERR_ALREADY_CANCELLED, code="already_cancelled")
    if now >= training.starts_at:
        raise DomainError(trainings_texts.ERR_CANCEL_TOO_LATE.format(title=training.title), code="too_late")
    return signup, training


def cancel_signup(session: Session, signup_id: int, line_user_id: str, now: datetime, base_url: str) -> Training:
    """Cancels the citizen's own sign-up (allowed until the training starts, also after the sign-up deadline:
    a freed seat still helps someone waiting). The first person waiting gets the seat and is told."""
    signup, _ = signup_for_cancel(session, signup_id, line_user_id, now)
    limits.enforce(session, "training_signup", f"{line_user_id}:training:{signup.training_id}", now,
                   who=line_user_id)
    training = _locked(session, signup.training_id)
    session.refresh(signup)
    if signup.status == "cancelled":  # a second tap that waited on the lock
        raise Conflict(trainings_texts.ERR_ALREADY_CANCELLED, code="already_cancelled")
    signup.status, signup.cancelled_at = "cancelled", now
    session.flush()
    _promote(session, training, now, base_url, cause=line_user_id)
    return training


def staff_cancel_signup(session: Session, signup_id: int, actor: str, now: datetime, base_url: str,
                        training_id: int | None = None) -> None:
    """Staff remove a sign-up (e.g. a duplicate); the waitlist moves up as for a citizen's own cancel."""
    signup = session.get(TrainingSignup, signup_id)
    if signup is None or (training_id is not None and signup.training_id != training_id):
        raise NotFound(trainings_texts.ERR_NOT_YOURS, code="signup_not_found")
    training = _locked(session, signup.training_id)
    session.refresh(signup)
    if signup.status == "cancelled":
        raise Conflict(trainings_texts.ERR_ALREADY_CANCELLED, code="already_cancelled")
    signup.status, signup.cancelled_at = "cancelled", now
    session.flush()
    if now < training.starts_at:
        _promote(session, training, now, base_url, cause=actor)


def _promote(session: Session, training: Training, now: datetime, base_url: str | None, *,
             cause: str | None = None) -> list[TrainingSignup]:
    """Fills free seats from the front of the waitlist and tells each person (caller holds the training lock).
    Without a base URL (no web request or settings at hand) the message points to "การสมัครของฉัน" for the QR.
    The push is someone else's doing (`cause`), so it is capped per recipient; the seat is theirs either way."""
    if training.status != "published" or now >= training.starts_at:
        return []
    free = training.capacity - _count(session, training.id, "confirmed")
    if free <= 0:
        return []
    promoted = list(session.scalars(select(TrainingSignup).where(
        TrainingSignup.training_id == training.id, TrainingSignup.status == "waitlisted")
        .order_by(TrainingSignup.queued_at, TrainingSignup.id).limit(free)))
    for signup in promoted:
        signup.status, signup.confirmed_at = "confirmed", now
        session.flush()
        citizen = session.get(Citizen, signup.citizen_id) if signup.citizen_id else None
        if citizen is None:
            continue
        heading = trainings_texts.PROMOTED.format(title=training.title)
        if base_url is None:
            messages = [text(heading, [message_action(trainings_texts.LABEL_SHOW_QR, trainings_texts.WORD_MY_SIGNUPS)])]
        else:
            messages = [text(heading),
                        *confirmation_messages(session, signup, training, base_url, trainings_texts.SIGNED_UP)]
        if limits.allow(session, "push_for_other", citizen.line_user_id, now, who=cause):
            notify.push(session, citizen.line_user_id, messages, now, source=f"training:{training.id}:promoted")
    return promoted


@dataclass(frozen=True)
class MySignup:
    signup: TrainingSignup
    training: Training
    position: int | None


def my_signups(session: Session, line_user_id: str, now: datetime) -> list[MySignup]:
    """The citizen's active sign-ups for trainings that have not ended, soonest first."""
    citizen = citizens.get(session, line_user_id)
    if citizen is None:
        return []
    rows = session.execute(select(TrainingSignup, Training).join(Training, Training.id == TrainingSignup.training_id)
                           .where(TrainingSignup.citizen_id == citizen.id, TrainingSignup.status.in_(ACTIVE),
                                  Training.ends_at > now, Training.status == "published")
                           .order_by(Training.starts_at, Training.id).limit(MAX_UPCOMING)).all()
    return [MySignup(s, t, waitlist_position(session, s)) for s, t in rows]


def qr_messages(session: Session, signup_id: int, line_user_id: str, base_url: str) -> list[dict]:
    """The citizen's check-in card again (only for a confirmed seat)."""
    signup, training = _owned(session, signup_id, line_user_id)
    if signup.status == "waitlisted":
        return [text(trainings_texts.ALREADY_WAITLISTED.format(title=training.title,
                                                               position=_position(session, signup)))]
    if signup.status != "confirmed":
        raise Conflict(trainings_texts.ERR_ALREADY_CANCELLED, code="already_cancelled")
    return confirmation_messages(session, signup, training, base_url, trainings_texts.SIGNED_UP)


# ---- reminders -----------------------------------------------------------------------------------------------------
def send_due_reminders(session: Session, now: datetime) -> int:
    """Reminds confirmed trainees the day before and 2 hours before. Each sign-up's marker is set in the same
    transaction as its outbox row, under the training's lock, so a scan run twice never reminds twice.
    Someone confirmed after a reminder was due (they just got their confirmation) is not reminded again."""
    sent = 0
    due = session.scalars(select(Training.id).where(
        Training.status == "published", Training.starts_at > now, Training.starts_at <= now + DAY_BEFORE)
        .order_by(Training.starts_at)).all()
    for training_id in due:
        training = _locked(session, training_id)
        for kind, offset in (("hours", HOURS_BEFORE), ("day", DAY_BEFORE)):
            due_at = training.starts_at - offset
            if now < due_at:
                continue
            if kind == "day" and now >= training.starts_at - HOURS_BEFORE:
                continue  # too late for "tomorrow": the 2-hour reminder covers it
            marker = (TrainingSignup.reminded_hours_before_at if kind == "hours"
                      else TrainingSignup.reminded_day_before_at)
            rows = session.execute(select(TrainingSignup, Citizen).join(Citizen, Citizen.id == TrainingSignup.citizen_id)
                                   .where(TrainingSignup.training_id == training.id,
                                          TrainingSignup.status == "confirmed", marker.is_(None),
                                          TrainingSignup.confirmed_at < due_at)
                                   .with_for_update(of=TrainingSignup)).all()
            if not rows:
                continue
            for signup, _citizen in rows:
                if kind == "hours":
                    signup.reminded_hours_before_at = now
                else:
                    signup.reminded_day_before_at = now
            session.flush()
            notify.multicast(session, [c.line_user_id for _, c in rows], [reminder_message(training, kind)], now,
                             source=f"training:{training.id}:remind_{kind}")
            sent += len(rows)
    return sent


def reminder_message(training: Training, kind: str) -> dict:
    return cards.reminder(kind=kind, title=training.title,
                          when=trainings_texts.when(training.starts_at, training.ends_at),
                          where=training.venue_name, what_to_bring=training.what_to_bring)


# ---- the sign-up list (staff) -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attendee:
    signup_id: int
    status: str
    name: str
    phone: str
    district: str | None
    queued_at: datetime
    checked_in_at: datetime | None
    position: int | None


def roster(session: Session, training_id: int, statuses: Sequence[str] = ACTIVE) -> list[Attendee]:
    """Sign-ups of a training for staff: confirmed first (sign-up order), then the waitlist in order."""
    rows = session.execute(select(TrainingSignup, Citizen).outerjoin(Citizen, Citizen.id == TrainingSignup.citizen_id)
                           .where(TrainingSignup.training_id == training_id, TrainingSignup.status.in_(statuses))
                           .order_by(TrainingSignup.queued_at, TrainingSignup.id)).all()
    order = {"confirmed": 0, "waitlisted": 1, "cancelled": 2}
    out = []
    position = 0
    for signup, citizen in sorted(rows, key=lambda r: order.get(r[0].status, 3)):
        if signup.status == "waitlisted":
            position += 1
        out.append(Attendee(signup.id, signup.status,
                            (citizen.full_name if citizen else None) or trainings_texts.NO_NAME,
                            contact_details.format_phone(citizen.phone) if citizen and citizen.phone else "",
                            citizen.district if citizen else None, signup.queued_at, signup.checked_in_at,
                            position if signup.status == "waitlisted" else None))
    return out


# ---- PDPA ------------------------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The citizen's training sign-ups (name and phone are exported with the profile)."""
    rows = session.execute(select(TrainingSignup, Training).join(Training, Training.id == TrainingSignup.training_id)
                           .where(TrainingSignup.citizen_id == citizen.id).order_by(TrainingSignup.id)).all()
    return {"training_signups": [{
        "training": t.title, "starts_at": t.starts_at.isoformat(), "status": s.status,
        "signed_up_at": s.created_at.isoformat(), "checked_in_at": s.checked_in_at.isoformat() if s.checked_in_at
        else None, "cancelled_at": s.cancelled_at.isoformat() if s.cancelled_at else None} for s, t in rows]}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Cancels the citizen's active sign-ups (freeing seats for the waitlist) and unlinks every sign-up from
    them; what remains are anonymous counts (seats taken, attendance) and a dead check-in code."""
    rows = session.scalars(select(TrainingSignup).where(TrainingSignup.citizen_id == citizen.id)).all()
    freed = set()
    for signup in rows:
        if signup.status in ACTIVE:
            signup.status, signup.cancelled_at = "cancelled", now
            freed.add(signup.training_id)
        signup.citizen_id = None
        signup.checked_in_by = None
    session.flush()
    for training_id in freed:
        _promote(session, _locked(session, training_id), now, None)
