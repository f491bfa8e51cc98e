"""REST API of support cases ("ติดต่อเจ้าหน้าที่"): list and read cases with their messages, answer and close them
from another system (e.g. the province's complaint desk). The citizen appears by district and an internal number,
never by LINE user id."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select

from bot.runtime import runtime
from models.platform import Citizen
from models.support import SupportCase
from services import images, support
from web.openapi import ApiModel, ApiRouter, ListQuery, UtcDateTime, page_of
from web.pagination import keyset_page

router = ApiRouter("support", "เรื่องที่ประชาชนติดต่อเจ้าหน้าที่ (กล่องข้อความ)")

ACTOR = "api"
CaseStatus = Literal["open", "waiting", "closed"]


class CaseMessageOut(ApiModel):
    id: int
    from_staff: bool
    kind: Literal["text", "image", "location", "sticker", "other"]
    text: str = Field(description="The text, a location's title and address, or a file's name.")
    image_url: str | None = Field(description="The photo the citizen sent (null if it could not be opened).")
    latitude: float | None
    longitude: float | None
    sent_as: Literal["reply", "push"] | None = Field(description="How a staff answer went to LINE.")
    created_at: UtcDateTime


class CaseOut(ApiModel):
    """`open`: the citizen wrote last and waits for staff; `waiting`: staff answered; `closed`."""

    id: int
    status: CaseStatus
    citizen_id: int | None = Field(description="Internal citizen number (not a LINE id); null if unknown.")
    district: str | None
    handled_by_api: bool = Field(description="true when the case was answered or taken through this API.")
    opened_at: UtcDateTime
    last_message_at: UtcDateTime
    first_answer_at: UtcDateTime | None
    first_answer_seconds: int | None = Field(description="Time to first answer; null until staff answer.")
    closed_at: UtcDateTime | None
    closed_by: Literal["staff", "citizen", "timeout"] | None
    message_count: int


class CaseDetailOut(CaseOut):
    messages: list[CaseMessageOut] = Field(description="The latest 500 messages, oldest first.")


class CaseQuery(ListQuery):
    status: CaseStatus | None = Field(None, description="Only cases in this status.")


class ReplyIn(ApiModel):
    text: str = Field(min_length=1, max_length=5000, description="Sent to the citizen in LINE, prefixed "
                                                                 "\"💬 เจ้าหน้าที่: \".")


def _citizens(session: Any, cases: list[SupportCase]) -> dict[str, tuple[int, str | None]]:
    ids = {c.line_user_id for c in cases}
    if not ids:
        return {}
    return {row.line_user_id: (row.id, row.district) for row in session.execute(
        select(Citizen.line_user_id, Citizen.id, Citizen.district).where(Citizen.line_user_id.in_(ids)))}


def _case_out(case: SupportCase, person: tuple[int, str | None] | None, count: int) -> dict[str, Any]:
    delay = support.first_answer_delay(case)
    return {
        "id": case.id, "status": case.status, "citizen_id": person[0] if person else None,
        "district": person[1] if person else None, "handled_by_api": case.assignee == ACTOR,
        "opened_at": case.opened_at, "last_message_at": case.last_message_at, "first_answer_at": case.first_answer_at,
        "first_answer_seconds": int(delay.total_seconds()) if delay is not None else None, "closed_at": case.closed_at,
        "closed_by": case.closed_by, "message_count": count,
    }


def _detail(session: Any, case: SupportCase) -> CaseDetailOut:
    messages = support.messages_of(session, case.id)
    found = support.images_of(session, messages)
    base = runtime().settings.public_base_url
    out = [CaseMessageOut(id=m.id, from_staff=m.from_staff, kind=m.kind, text=m.body,
                          image_url=images.image_url(base, found[m.image_id]) if m.image_id in found else None,
                          latitude=m.latitude, longitude=m.longitude, sent_as=m.sent_as, created_at=m.created_at)
           for m in messages]
    person = _citizens(session, [case]).get(case.line_user_id)
    return CaseDetailOut(**_case_out(case, person, len(out)), messages=out)


@router.get("/cases", summary="List support cases", query=CaseQuery, response=page_of(CaseOut))
def list_cases(query: CaseQuery) -> Any:
    """Cases in id order (keyset pagination), optionally only one status."""
    stmt = select(SupportCase)
    if query.status is not None:
        stmt = stmt.where(SupportCase.status == query.status)
    with runtime().db.transaction() as session:
        rows, next_cursor = keyset_page(session, stmt, SupportCase.id, limit=query.limit, cursor=query.cursor)
        people = _citizens(session, rows)
        counts = support.message_counts(session, [c.id for c in rows])
        data = [CaseOut(**_case_out(c, people.get(c.line_user_id), counts.get(c.id, 0))) for c in rows]
        return page_of(CaseOut)(data=data, next_cursor=next_cursor)


@router.get("/cases/<int:case_id>", summary="Get one case with its messages", response=CaseDetailOut)
def get_case(case_id: int) -> Any:
    with runtime().db.transaction() as session:
        return _detail(session, support.get_case(session, case_id))


@router.post("/cases/<int:case_id>/messages", summary="Answer the citizen", body=ReplyIn, response=CaseDetailOut,
             status=201, errors=(409,))
def reply(case_id: int, body: ReplyIn) -> Any:
    """Sends the text to the citizen (a free reply while their last message is under a minute old, else a push);
    the case then waits for the citizen. 409 `case_closed` on a closed case, `citizen_unfollowed` if they left."""
    rt = runtime()
    with rt.db.transaction() as session:
        support.reply(session, case_id, ACTOR, body.text, rt.clock())
        return _detail(session, support.get_case(session, case_id)), 201


@router.post("/cases/<int:case_id>/close", summary="Close a case", response=CaseDetailOut)
def close(case_id: int) -> Any:
    """Closes the case and tells the citizen; closing a closed case changes nothing."""
    rt = runtime()
    with rt.db.transaction() as session:
        case = support.close_by_staff(session, case_id, ACTOR, rt.clock())
        return _detail(session, case)
