"""REST API under /api/v1: bearer `API_TOKEN`, JSON only, described by /api/v1/openapi.json (generated).

Platform resources live here (citizens, outbox, failed events). A feature adds its resources by defining an
`ApiRouter` at module level in a module listed by web.api_modules() (see web/openapi.py); `all_routers()` serves it.
"""

from __future__ import annotations

import hmac
from typing import Any, Literal

from flask import Flask, Response, current_app, g, request
from pydantic import Field
from sqlalchemy import select

from bot.event_store import retry_failed
from bot.runtime import runtime
from models.platform import Citizen, InboundEvent, OutboxMessage
from services import outbox_admin
from services.errors import Conflict, NotFound
from texts import console as console_texts
from texts.districts import DISTRICTS
from web.openapi import (
    API_PREFIX,
    ApiModel,
    ApiRouter,
    ListQuery,
    UtcDateTime,
    build_blueprint,
    json_error,
    openapi_document,
    page_of,
    paginate,
)

API_VERSION = "1.0.0"
API_DESCRIPTION = """\
REST API ของระบบชุมชนดิจิทัล อบจ.ขอนแก่น สำหรับเว็บไซต์และแดชบอร์ดของจังหวัด

**การยืนยันตัวตน** ทุกคำขอ (ยกเว้นเอกสารนี้) ต้องมี header `Authorization: Bearer <API_TOKEN>`
ถ้าเซิร์ฟเวอร์ไม่ได้ตั้งค่า `API_TOKEN` API จะตอบ 503 (ปิดอยู่ ไม่เปิดโดยไม่มีรหัส)

**การแบ่งหน้า (pagination)** ทุกรายการใช้ `?limit=` (1–200 ค่าเริ่มต้น 50) และ `?cursor=`
คำตอบมีรูปแบบ `{"data": [...], "next_cursor": "..." | null}` ให้ส่ง `next_cursor` เป็น `cursor` เพื่อขอหน้าถัดไป
จนได้ `null` (หน้าสุดท้าย) cursor เป็นค่าทึบ (อย่าแกะหรือสร้างเอง) เรียงตาม id จากน้อยไปมาก
แถวที่เพิ่มระหว่างไล่หน้าจะปรากฏในหน้าหลัง ๆ ไม่มีแถวซ้ำหรือตกหล่น

**เวลา** ทุกค่าเวลาเป็น ISO 8601 ในเขตเวลา UTC เช่น `2026-11-23T03:00:00Z`

**ข้อผิดพลาด** ทุกข้อผิดพลาดตอบเป็น JSON `{"error": {"code": "...", "message": "..."}}`
(`code` คงที่สำหรับโปรแกรม, `message` ภาษาไทย) ข้อมูลไม่ถูกต้องตอบ 422 พร้อม `error.fields`

**ข้อมูลส่วนบุคคล** API ไม่เปิดเผย LINE user ID หรือเนื้อหาข้อความของประชาชน (PDPA)
"""

meta = ApiRouter("meta", "เอกสาร API")
citizens = ApiRouter("citizens", "ผู้ใช้ที่ติดตามบัญชี LINE (ไม่มีข้อมูลระบุตัวตน)")
outbox = ApiRouter("outbox", "ข้อความขาออกถึง LINE และข้อความที่ส่งไม่สำเร็จ (dead letters)")
events = ApiRouter("events", "เหตุการณ์จาก LINE ที่ประมวลผลไม่สำเร็จ")

DistrictKey = Literal[tuple(DISTRICTS)]  # type: ignore[valid-type]
OutboxStatus = Literal[outbox_admin.OUTBOX_STATUSES]  # type: ignore[valid-type]
EventStatus = Literal[outbox_admin.EVENT_STATUSES]  # type: ignore[valid-type]


# ---- meta -------------------------------------------------------------------------------------------------------
@meta.get("/openapi.json", summary="OpenAPI 3.1 document of this API", public=True)
def openapi_json() -> dict[str, Any]:
    """This document, generated from the code that serves the API."""
    # Built on first request, not in create_app: it takes about 0.2 s and most apps (a test's above all) never
    # serve it. The description above is the operation's description in the document.
    document = current_app.extensions.get("kk_openapi")
    if document is None:
        document = current_app.extensions["kk_openapi"] = openapi_document(
            current_app.extensions["kk_api_routers"], title="KK Digital Community API (ชุมชนดิจิทัล อบจ.ขอนแก่น)",
            version=API_VERSION, description=API_DESCRIPTION, server_url=API_PREFIX)
    return document


# ---- citizens ---------------------------------------------------------------------------------------------------
class CitizenOut(ApiModel):
    """A citizen who has talked to the account. The LINE user ID is personal data and is not exposed."""

    id: int
    district: str | None = Field(description="District key, e.g. `mueang`; null until the citizen sets it.")
    district_name: str | None = Field(description="The district's Thai name.")
    is_following: bool
    followed_at: UtcDateTime | None
    created_at: UtcDateTime


class CitizenQuery(ListQuery):
    district: DistrictKey | None = Field(None, description="Only citizens of this district.")
    following: bool | None = Field(None, description="true: following now; false: unfollowed or blocked.")


def _citizen(row: Citizen) -> dict[str, Any]:
    return {"id": row.id, "district": row.district, "district_name": DISTRICTS.get(row.district or ""),
            "is_following": row.is_following, "followed_at": row.followed_at, "created_at": row.created_at}


@citizens.get("/citizens", summary="List citizens", query=CitizenQuery, response=page_of(CitizenOut))
def list_citizens(query: CitizenQuery) -> Any:
    """Citizens in id order, optionally filtered by district and by whether they follow the account now."""
    stmt = select(Citizen)
    if query.district is not None:
        stmt = stmt.where(Citizen.district == query.district)
    if query.following is not None:
        stmt = stmt.where(Citizen.is_following.is_(query.following))
    with runtime().db.transaction() as session:
        return paginate(session, stmt, Citizen.id, query, CitizenOut, convert=_citizen)


@citizens.get("/citizens/<int:citizen_id>", summary="Get one citizen", response=CitizenOut)
def get_citizen(citizen_id: int) -> Any:
    with runtime().db.transaction() as session:
        row = session.get(Citizen, citizen_id)
        if row is None:
            raise NotFound(console_texts.API_CITIZEN_NOT_FOUND)
        return CitizenOut.model_validate(_citizen(row))


# ---- outbox -----------------------------------------------------------------------------------------------------
class OutboxOut(ApiModel):
    """One request to LINE (recipients and message contents are not exposed)."""

    id: int
    kind: str = Field(description="reply | push | multicast | broadcast | narrowcast")
    status: OutboxStatus = Field(description="`dead`: LINE refused it for good; staff may retry it.")
    source: str | None = Field(description="What caused the message, e.g. `announcement:12`.")
    recipient_count: int
    attempts: int
    created_at: UtcDateTime
    available_at: UtcDateTime
    sent_at: UtcDateTime | None
    last_status: int | None = Field(description="LINE's last HTTP status.")
    last_error: dict[str, Any] | None = Field(description="LINE's error: `status`, `message`, `details`.")
    line_request_id: str | None
    replaced_by_id: int | None = Field(description="For a reply re-sent as a push: that push's id.")


class OutboxQuery(ListQuery):
    status: OutboxStatus | None = Field(None, description="Only messages in this status, e.g. `dead`.")


@outbox.get("/outbox", summary="List outgoing messages", query=OutboxQuery, response=page_of(OutboxOut))
def list_outbox(query: OutboxQuery) -> Any:
    stmt = select(OutboxMessage)
    if query.status is not None:
        stmt = stmt.where(OutboxMessage.status == query.status)
    with runtime().db.transaction() as session:
        return paginate(session, stmt, OutboxMessage.id, query, OutboxOut)


def _outbox_row(session: Any, outbox_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound(console_texts.API_OUTBOX_NOT_FOUND)
    return row


@outbox.get("/outbox/<int:outbox_id>", summary="Get one outgoing message", response=OutboxOut)
def get_outbox(outbox_id: int) -> Any:
    with runtime().db.transaction() as session:
        return OutboxOut.model_validate(_outbox_row(session, outbox_id))


@outbox.post("/outbox/<int:outbox_id>/retry", summary="Retry a dead letter", response=OutboxOut, errors=(409,))
def retry_outbox(outbox_id: int) -> Any:
    """Queues a dead letter again with the same retry key (LINE never accepted it, so no duplicate). 409 if the
    message is not dead."""
    rt = runtime()
    with rt.db.transaction() as session:
        row = outbox_admin.retry_dead_letter(session, outbox_id, rt.clock())
        result = OutboxOut.model_validate(row)
    rt.dispatcher.wake()
    return result


# ---- events -----------------------------------------------------------------------------------------------------
class EventOut(ApiModel):
    """A webhook event from LINE (its payload, which may hold personal data, is not exposed)."""

    id: int
    event_type: str
    status: EventStatus
    attempts: int
    received_at: UtcDateTime
    available_at: UtcDateTime
    processed_at: UtcDateTime | None
    error_summary: str | None = Field(description="The error's class, e.g. `KeyError` (or, for an invalid "
                                                  "event, which field was unusable).")
    error_where: str | None = Field(description="Where it happened in the code, e.g. "
                                                "`handlers/trainings.py:120 in answer_phone`. The full traceback "
                                                "stays inside: staff read it in the console.")


def _event(row: InboundEvent) -> dict[str, Any]:
    return {"id": row.id, "event_type": row.event_type, "status": row.status, "attempts": row.attempts,
            "received_at": row.received_at, "available_at": row.available_at, "processed_at": row.processed_at,
            "error_summary": outbox_admin.error_summary(row.last_error) or None,
            "error_where": outbox_admin.error_place(row.last_error) or None}


@events.get("/events/failed", summary="List failed events", query=ListQuery, response=page_of(EventOut))
def list_failed_events(query: ListQuery) -> Any:
    """Events that failed every attempt, in id order."""
    stmt = select(InboundEvent).where(InboundEvent.status == "failed")
    with runtime().db.transaction() as session:
        return paginate(session, stmt, InboundEvent.id, query, EventOut, convert=_event)


@events.post("/events/<int:event_id>/retry", summary="Retry a failed event", response=EventOut, errors=(409,))
def retry_event(event_id: int) -> Any:
    """Puts a failed event back in the queue with fresh attempts. 409 if the event has not failed."""
    rt = runtime()
    with rt.db.transaction() as session:
        row = session.get(InboundEvent, event_id)
        if row is None:
            raise NotFound(console_texts.API_EVENT_NOT_FOUND)
        if not retry_failed(session, event_id, rt.clock()):
            raise Conflict(console_texts.API_EVENT_NOT_FAILED, code="not_failed")
        session.flush()
        result = EventOut.model_validate(_event(row))
    rt.worker.wake()
    return result


# ---- wiring -----------------------------------------------------------------------------------------------------
def all_routers() -> list[ApiRouter]:
    """The platform's routers, then every module-level ApiRouter of the modules web.api_modules() lists, in that
    order (then definition order)."""
    import web

    routers = [meta, citizens, outbox, events]
    for module in web.api_modules():
        for value in vars(module).values():
            if isinstance(value, ApiRouter) and all(value is not r for r in routers):
                routers.append(value)
    return routers


def _authorize() -> Response | None:
    """Bearer API_TOKEN (or API_STAFF_TOKEN), compared in constant time; no token configured means the API is off
    (503). `g.api_staff` says whether the caller is the province's staff system (see is_staff_caller)."""
    settings = runtime().settings
    tokens = [(token, staff) for token, staff in ((settings.API_TOKEN, False), (settings.API_STAFF_TOKEN, True))
              if token]
    if not tokens:
        return json_error(503, console_texts.API_DISABLED, code="api_disabled")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given_bytes = given.strip().encode()
    # Compare with every token (no early exit), so timing says nothing about which one nearly matched.
    matches = [staff for token, staff in tokens if hmac.compare_digest(given_bytes, token.encode())]
    if scheme.lower() != "bearer" or not matches:
        return json_error(401, console_texts.API_UNAUTHORIZED, headers={"WWW-Authenticate": 'Bearer realm="kk-api"'})
    g.api_staff = matches[0]
    return None


def is_staff_caller() -> bool:
    """True for a request made with API_STAFF_TOKEN: figures without disclosure control and the executive PDFs."""
    return bool(g.get("api_staff", False))


def register(app: Flask) -> None:
    """Serves /api/v1; its OpenAPI document is built from the declared operations when first asked for."""
    routers = all_routers()
    app.register_blueprint(build_blueprint("api", routers, url_prefix=API_PREFIX, authorize=_authorize))
    app.extensions["kk_api_routers"] = routers
