"""A person to talk to: support cases between a citizen and staff (what LINE OA Manager's chat mode gives staff).

A citizen opens a case with "ติดต่อเจ้าหน้าที่". While it is active (open or waiting) the bot stays quiet on that
person's free text, photos and locations: they become case messages staff read in the console inbox. Staff replies go
through the outbox: as a reply while the citizen's last reply token is fresh (free, no push quota), else as a push.
A case closes when staff close it, when the citizen taps "จบการสนทนา", or after 24 h without messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from flex_templates.basic import message_action, text
from models.citizens import Consent
from models.media import MediaImage
from models.outbox import enqueue
from models.platform import Citizen, StaffMember
from models.support import CaseNoticeSubscription, SupportCase, SupportMessage
from services import images, limits, notify
from services.errors import Conflict, DomainError, NotFound
from texts import support as support_texts
from texts.districts import district_name

ACTIVE = ("open", "waiting")
IDLE_CLOSE_AFTER = timedelta(hours=24)
# LINE keeps a reply token about a minute; the dispatcher turns older replies into pushes (bot/dispatcher.py uses 50 s).
REPLY_TOKEN_FRESH = timedelta(seconds=45)
MAX_REPLY_UTF16 = 5000 - len(support_texts.STAFF_PREFIX.encode("utf-16-le")) // 2
MAX_BODY_CHARS = 5000
IMAGE_KIND = "support"
PAGE_SIZE = 30


def owner_key(case_id: int) -> str:
    return f"support_case:{case_id}"


def active_case(session: Session, line_user_id: str) -> SupportCase | None:
    """The person's open or waiting case, if any (one indexed lookup: it runs on every unmatched message)."""
    return session.scalars(select(SupportCase).where(SupportCase.line_user_id == line_user_id,
                                                     SupportCase.status.in_(ACTIVE))
                           .order_by(SupportCase.id.desc()).limit(1)).first()


def get_case(session: Session, case_id: int) -> SupportCase:
    case = session.get(SupportCase, case_id) if 0 < case_id < 2**31 else None
    if case is None:
        raise NotFound(support_texts.CASE_NOT_FOUND, code="case_not_found")
    return case


# ---- the citizen's side ---------------------------------------------------------------------------------------
def open_case(session: Session, line_user_id: str, now: datetime, inbox_url: str, *,
              display_name: str | None = None) -> tuple[SupportCase, bool]:
    """Opens a case for the person, or gives back the one already active. Notifies staff who asked for notices.
    `display_name` is the person's LINE name, so staff can tell threads apart (as LINE OA Manager shows it)."""
    case = active_case(session, line_user_id)
    if case is not None:
        return case, False
    name = " ".join(display_name.split())[:100] if isinstance(display_name, str) else None
    case = SupportCase(line_user_id=line_user_id, status="open", opened_at=now, last_message_at=now,
                       display_name=name or None)
    session.add(case)
    session.flush()
    _notify_staff(session, case, now, inbox_url)
    return case, True


def _notify_staff(session: Session, case: SupportCase, now: datetime, inbox_url: str) -> None:
    # Opening and ending cases again and again must not flood staff's LINE: the case still opens and shows in the
    # inbox; only the notice is held back (services/limits.py).
    if not limits.allow(session, "case_notice", case.line_user_id, now, who=case.line_user_id):
        return
    ids = list(session.scalars(
        select(CaseNoticeSubscription.line_user_id)
        .join(StaffMember, StaffMember.line_user_id == CaseNoticeSubscription.line_user_id)
        .where(StaffMember.active.is_(True), CaseNoticeSubscription.line_user_id != case.line_user_id)
        .order_by(CaseNoticeSubscription.line_user_id)))
    ids = limits.allowed_recipients(session, ids, now, who=case.line_user_id)
    if not ids:
        return
    district = session.scalar(select(Citizen.district).where(Citizen.line_user_id == case.line_user_id))
    who = (support_texts.NOTICE_FROM_DISTRICT.format(district=district_name(district)) if district
           else support_texts.NOTICE_FROM_UNKNOWN)
    body = support_texts.NEW_CASE_NOTICE.format(case_id=case.id, who=who, url=f"{inbox_url.rstrip('/')}/{case.id}")
    notify.multicast(session, ids, [text(body)], now, source=f"support_case:{case.id}")


@dataclass(frozen=True)
class Incoming:
    """A citizen's message as the case keeps it (built by the handler from the LINE event)."""

    kind: str  # text|image|location|sticker|other
    body: str = ""
    image_data: bytes | None = None
    latitude: float | None = None
    longitude: float | None = None


def record_message(session: Session, case: SupportCase, incoming: Incoming, now: datetime, *,
                   webhook_event_id: str | None, reply_token: str | None, sent_at: datetime | None) -> SupportMessage:
    """Keeps a citizen's message on the case; the case waits for staff again. Raises ImageRejected for a bad photo."""
    image_id = None
    if incoming.kind == "image" and incoming.image_data is not None:
        image_id = images.save_image(session, images.accept_image(incoming.image_data), kind=IMAGE_KIND,
                                     owner_key=owner_key(case.id), now=now).id
    message = SupportMessage(case_id=case.id, from_staff=False, kind=incoming.kind, body=incoming.body[:MAX_BODY_CHARS],
                             image_id=image_id, latitude=incoming.latitude, longitude=incoming.longitude,
                             webhook_event_id=webhook_event_id, created_at=now)
    session.add(message)
    case.status = "open"
    case.last_message_at = now
    if reply_token:
        case.reply_token, case.reply_token_at = reply_token, sent_at or now
    session.flush()
    return message


def end_by_citizen(session: Session, line_user_id: str, now: datetime) -> SupportCase | None:
    """Closes the person's active case ("จบการสนทนา"); None when there was none."""
    case = active_case(session, line_user_id)
    if case is not None:
        _close(case, "citizen", now)
    return case


def _close(case: SupportCase, by: str, now: datetime) -> None:
    case.status, case.closed_at, case.closed_by = "closed", now, by
    case.reply_token = case.reply_token_at = None


# ---- staff ----------------------------------------------------------------------------------------------------
def _send_to_citizen(session: Session, case: SupportCase, messages: list[dict], now: datetime) -> tuple[str, int]:
    """Sends by the case's fresh reply token (then forgets it: single use), else by push. Returns (how, outbox id)."""
    source = f"support_case:{case.id}"
    if case.reply_token and case.reply_token_at and now - case.reply_token_at <= REPLY_TOKEN_FRESH:
        row = enqueue(session, "reply", messages, now=now, recipients=[case.line_user_id],
                      reply_token=case.reply_token, source=source)[0]
        case.reply_token = case.reply_token_at = None
        session.flush()
        return "reply", row.id
    pushed = notify.push(session, case.line_user_id, messages, now, source=source)
    if pushed is None:
        raise Conflict(support_texts.REPLY_UNFOLLOWED, code="citizen_unfollowed")
    session.flush()
    return "push", pushed.id


def clean_reply(value: Any) -> str:
    """The staff member's reply text, or a Thai DomainError."""
    if not isinstance(value, str) or not value.strip():
        raise DomainError(support_texts.REPLY_EMPTY, code="reply_empty")
    value = value.replace("\x00", "").replace("\r\n", "\n").strip()
    if len(value.encode("utf-16-le")) // 2 > MAX_REPLY_UTF16:
        raise DomainError(support_texts.REPLY_TOO_LONG.format(limit=MAX_REPLY_UTF16), code="reply_too_long")
    return value


def reply(session: Session, case_id: int, staff_id: str, body: Any, now: datetime) -> SupportMessage:
    """Sends a staff answer to the citizen and keeps it on the case, which then waits for the citizen."""
    case = get_case(session, case_id)
    message_text = clean_reply(body)
    if case.status == "closed":
        raise Conflict(support_texts.REPLY_CLOSED, code="case_closed")
    # The "จบการสนทนา" button rides on every answer: the citizen ends the talk with a tap, no typing.
    outgoing = text(support_texts.STAFF_PREFIX + message_text, [message_action(support_texts.WORD_END)])
    sent_as, outbox_id = _send_to_citizen(session, case, [outgoing], now)
    message = SupportMessage(case_id=case.id, from_staff=True, staff_line_user_id=staff_id, kind="text",
                             body=message_text, sent_as=sent_as, outbox_id=outbox_id, created_at=now)
    session.add(message)
    case.status = "waiting"
    case.last_message_at = now
    if case.first_answer_at is None:
        case.first_answer_at = now
    if case.assignee is None:
        case.assignee = staff_id
    session.flush()
    return message


def take(session: Session, case_id: int, staff_id: str, now: datetime) -> SupportCase:
    """Makes the staff member the one who handles the case."""
    case = get_case(session, case_id)
    case.assignee = staff_id
    return case


def close_by_staff(session: Session, case_id: int, staff_id: str, now: datetime) -> SupportCase:
    """Closes the case and tells the citizen, so they know the bot answers them again."""
    case = get_case(session, case_id)
    if case.status == "closed":
        return case
    try:
        _send_to_citizen(session, case, [text(support_texts.CLOSED_BY_STAFF)], now)
    except Conflict:
        pass  # the citizen has left the account: nothing to tell, close anyway
    if case.assignee is None:
        case.assignee = staff_id
    _close(case, "staff", now)
    return case


def reopen(session: Session, case_id: int, staff_id: str, now: datetime) -> SupportCase:
    """Opens a closed case again (e.g. closed by mistake); the person may have only one active case."""
    case = get_case(session, case_id)
    if case.status != "closed":
        return case
    other = active_case(session, case.line_user_id)
    if other is not None:
        raise Conflict(support_texts.REOPEN_HAS_OTHER.format(case_id=other.id), code="case_active_exists")
    case.status, case.closed_at, case.closed_by = "waiting", None, None
    case.last_message_at = now
    case.assignee = case.assignee or staff_id
    return case


def close_idle(session: Session, now: datetime) -> int:
    """Closes active cases with no message for 24 h (an idempotent scan for the scheduler); returns how many."""
    result = session.execute(
        update(SupportCase)
        .where(SupportCase.status.in_(ACTIVE), SupportCase.last_message_at < now - IDLE_CLOSE_AFTER)
        .values(status="closed", closed_at=now, closed_by="timeout", reply_token=None, reply_token_at=None)
        .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)


def notices_on(session: Session, staff_id: str) -> bool:
    return session.get(CaseNoticeSubscription, staff_id) is not None


def set_notices(session: Session, staff_id: str, on: bool, now: datetime) -> None:
    """Turns the staff member's LINE notice of new cases on or off."""
    row = session.get(CaseNoticeSubscription, staff_id)
    if on and row is None:
        session.add(CaseNoticeSubscription(line_user_id=staff_id, created_at=now))
    elif not on and row is not None:
        session.delete(row)
    session.flush()


# ---- reading --------------------------------------------------------------------------------------------------
FILTERS = ("active", "open", "waiting", "closed", "mine")


@dataclass(frozen=True)
class CaseSummary:
    case: SupportCase
    district: str | None
    full_name: str | None
    last_kind: str | None
    last_body: str
    last_from_staff: bool
    message_count: int


def list_cases(session: Session, which: str, staff_id: str | None, *, page: int = 1,
               size: int = PAGE_SIZE) -> tuple[list[CaseSummary], int]:
    """Cases for the inbox (newest activity first) and how many match in all."""
    query = select(SupportCase)
    if which == "active" or which not in FILTERS:
        query = query.where(SupportCase.status.in_(ACTIVE))
    elif which == "mine":
        query = query.where(SupportCase.status.in_(ACTIVE), SupportCase.assignee == (staff_id or ""))
    else:
        query = query.where(SupportCase.status == which)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    # The citizen waiting longest for staff first among open ones: the order a fair queue answers in.
    order = ((SupportCase.status != "open"), SupportCase.last_message_at.asc()) if which in ("active", "open") \
        else (SupportCase.last_message_at.desc(),)
    cases = list(session.scalars(query.order_by(*order, SupportCase.id).offset((max(page, 1) - 1) * size).limit(size)))
    return _summaries(session, cases), total


def _summaries(session: Session, cases: Sequence[SupportCase]) -> list[CaseSummary]:
    if not cases:
        return []
    ids = [c.id for c in cases]
    people = {row.line_user_id: row for row in session.execute(
        select(Citizen.line_user_id, Citizen.district, Citizen.full_name)
        .where(Citizen.line_user_id.in_({c.line_user_id for c in cases})))}
    counts = message_counts(session, ids)
    last_ids = select(func.max(SupportMessage.id)).where(SupportMessage.case_id.in_(ids)).group_by(SupportMessage.case_id)
    last = {m.case_id: m for m in session.scalars(select(SupportMessage).where(SupportMessage.id.in_(last_ids)))}
    out = []
    for case in cases:
        person = people.get(case.line_user_id)
        message = last.get(case.id)
        out.append(CaseSummary(case, person.district if person else None, person.full_name if person else None,
                               message.kind if message else None, message.body if message else "",
                               bool(message and message.from_staff), int(counts.get(case.id, 0))))
    return out


def message_counts(session: Session, case_ids: Sequence[int]) -> dict[int, int]:
    """How many messages each case has."""
    if not case_ids:
        return {}
    return {int(k): int(v) for k, v in session.execute(
        select(SupportMessage.case_id, func.count()).where(SupportMessage.case_id.in_(list(case_ids)))
        .group_by(SupportMessage.case_id)).all()}


def messages_of(session: Session, case_id: int, limit: int = 500, *, after: int = 0) -> list[SupportMessage]:
    """The case's latest messages (those after message id `after`, for a page polling for new ones), oldest first."""
    rows = session.scalars(select(SupportMessage).where(SupportMessage.case_id == case_id, SupportMessage.id > after)
                           .order_by(SupportMessage.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def images_of(session: Session, messages: Sequence[SupportMessage]) -> dict[int, MediaImage]:
    ids = [m.image_id for m in messages if m.image_id]
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(MediaImage).where(MediaImage.id.in_(ids)))}


def person_of(session: Session, line_user_id: str) -> dict[str, Any]:
    """What staff need beside a thread: district, interests, what the person opted into, earlier cases."""
    citizen = session.scalar(select(Citizen).where(Citizen.line_user_id == line_user_id))
    consents = dict(session.execute(select(Consent.purpose, Consent.granted)
                                    .where(Consent.line_user_id == line_user_id)).all())
    earlier = int(session.scalar(select(func.count()).select_from(SupportCase)
                                 .where(SupportCase.line_user_id == line_user_id)) or 0)
    return {
        "district": citizen.district if citizen else None,
        "interests": list(citizen.interests or []) if citizen else [],
        "full_name": citizen.full_name if citizen else None,
        "is_following": bool(citizen.is_following) if citizen else True,
        "opted_in": sorted(p for p, granted in consents.items() if granted),
        "case_count": earlier,
    }


def counts(session: Session) -> dict[str, int]:
    """Active cases by status, for the console overview."""
    rows = dict(session.execute(select(SupportCase.status, func.count()).where(SupportCase.status.in_(ACTIVE))
                                .group_by(SupportCase.status)).all())
    return {status: int(rows.get(status, 0)) for status in ACTIVE}


def first_answer_delay(case: SupportCase) -> timedelta | None:
    return case.first_answer_at - case.opened_at if case.first_answer_at else None


def case_dict(case: SupportCase) -> dict[str, Any]:
    """A case as the REST API and the personal-data export show it."""
    delay = first_answer_delay(case)
    return {
        "id": case.id, "line_user_id": case.line_user_id, "display_name": case.display_name, "status": case.status,
        "assignee": case.assignee,
        "opened_at": case.opened_at.isoformat(), "last_message_at": case.last_message_at.isoformat(),
        "first_answer_at": case.first_answer_at.isoformat() if case.first_answer_at else None,
        "first_answer_seconds": int(delay.total_seconds()) if delay is not None else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None, "closed_by": case.closed_by,
    }


def message_dict(message: SupportMessage) -> dict[str, Any]:
    return {
        "id": message.id, "from_staff": message.from_staff, "kind": message.kind, "text": message.body,
        "image_id": message.image_id, "latitude": message.latitude, "longitude": message.longitude,
        "sent_as": message.sent_as, "created_at": message.created_at.isoformat(),
    }


# ---- personal data (found by services/privacy.py) -------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    cases = session.scalars(select(SupportCase).where(SupportCase.line_user_id == citizen.line_user_id)
                            .order_by(SupportCase.id)).all()
    out = []
    for case in cases:
        item = case_dict(case)
        item.pop("line_user_id")
        item.pop("assignee")  # a staff member's LINE id is theirs, not the citizen's
        item["messages"] = [message_dict(m) for m in messages_of(session, case.id, limit=10_000)]
        out.append(item)
    return {"cases": out}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    case_ids = list(session.scalars(select(SupportCase.id).where(SupportCase.line_user_id == citizen.line_user_id)))
    for case_id in case_ids:
        images.delete_images(session, owner_key(case_id))
    if case_ids:
        session.execute(delete(SupportMessage).where(SupportMessage.case_id.in_(case_ids)))
        session.execute(delete(SupportCase).where(SupportCase.id.in_(case_ids)))
