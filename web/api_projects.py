"""REST API: projects with their stages and photos, and announcements with audience, schedule and delivery counts."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from bot.runtime import runtime
from flex_templates.projects import free_announcement
from models.projects import ANNOUNCEMENT_STATUSES, PROJECT_KINDS, STAGES, Announcement, Project
from services import announcements, projects
from services.announcements import Audience
from services.errors import DomainError
from services.images import MAX_BYTES
from services.projects import ProjectInput
from texts.districts import DISTRICTS
from web.openapi import ApiModel, ApiRouter, ListQuery, UtcDateTime, page_of, paginate

router = ApiRouter("projects", "โครงการ ขั้นตอน (ประกาศ/ดำเนินการ/แล้วเสร็จ/ประเมินผล) และภาพกิจกรรม")
announcements_router = ApiRouter("announcements", "ประกาศถึงประชาชน: กลุ่มผู้รับ เวลาส่ง และจำนวนที่ส่งถึง")

Kind = Literal[PROJECT_KINDS]  # type: ignore[valid-type]
Stage = Literal[STAGES]  # type: ignore[valid-type]
DistrictKey = Literal[tuple(DISTRICTS)]  # type: ignore[valid-type]
Interest = Literal["infrastructure", "training", "market"]
AnnouncementStatus = Literal[ANNOUNCEMENT_STATUSES]  # type: ignore[valid-type]
ACTOR = "api"


# ---- projects -----------------------------------------------------------------------------------------------------------
class PhotoOut(BaseModel):
    url: str = Field(description="Display version (JPEG, at most 1024 px).")
    thumb_url: str


class StageOut(BaseModel):
    stage: Stage
    reached_at: UtcDateTime | None = Field(description="When the project reached this stage; null: not yet.")
    note: str | None
    photos: list[PhotoOut]


class ProjectOut(ApiModel):
    """A project with its stage timeline and photos."""

    id: int
    kind: Kind
    title: str
    description: str
    districts: list[DistrictKey] = Field(description="District keys; empty means province-wide.")
    location: str
    budget: Decimal | None = Field(description="Baht, two decimals (sent as a string); null: not published.")
    start_date: date | None
    end_date: date | None
    stage: Stage
    published: bool
    cover_url: str | None
    public_url: str = Field(description="The public web page of the project.")
    follower_count: int = Field(description="Citizens following this project's updates in LINE.")
    stages: list[StageOut]
    created_at: UtcDateTime
    updated_at: UtcDateTime


class ProjectIn(BaseModel):
    """A new project (it starts at stage `announced`)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    districts: list[DistrictKey] = Field(default_factory=list, description="Empty: province-wide.")
    location: str = Field("", max_length=300)
    budget: Decimal | None = Field(None, ge=0, le=Decimal("10000000000"), description="Baht.")
    start_date: date | None = None
    end_date: date | None = None
    published: bool = True


class ProjectPatch(BaseModel):
    """Fields to change; leave out what stays (the stage changes through /stage)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    districts: list[DistrictKey] | None = None
    location: str | None = Field(None, max_length=300)
    budget: Decimal | None = Field(None, ge=0, le=Decimal("10000000000"))
    start_date: date | None = None
    end_date: date | None = None
    published: bool | None = None


class StageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: Stage = Field(description="A later stage than the current one.")
    note: str | None = Field(None, max_length=2000, description="Shown to citizens with the stage.")


class PhotoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    image_base64: str = Field(description="JPEG, PNG or WebP, base64-encoded, at most 10 MB decoded.",
                              max_length=MAX_BYTES * 4 // 3 + 8)
    stage: Stage | None = Field(None, description="Default: the project's current stage.")
    caption: str = Field("", max_length=200)


class ProjectQuery(ListQuery):
    district: DistrictKey | None = Field(None, description="Projects in this district (province-wide ones too).")
    stage: Stage | None = None
    kind: Kind | None = None
    published: bool | None = Field(None, description="Default: all projects.")


def _project_out(session: Any, project: Project) -> dict[str, Any]:
    view = projects.project_view(session, project, runtime().settings.public_base_url)
    return {
        "id": project.id, "kind": project.kind, "title": project.title, "description": project.description,
        "districts": list(project.districts or []), "location": project.location, "budget": project.budget,
        "start_date": project.start_date, "end_date": project.end_date, "stage": project.stage,
        "published": project.published, "cover_url": view.cover_url, "public_url": view.public_url,
        "follower_count": projects.follower_count(session, project.id),
        "stages": [{"stage": s.stage, "reached_at": s.reached_at, "note": s.note,
                    "photos": [{"url": full, "thumb_url": thumb} for full, thumb in s.photo_urls]}
                   for s in view.stages],
        "created_at": project.created_at, "updated_at": project.updated_at,
    }


@router.get("/projects", summary="List projects", query=ProjectQuery, response=page_of(ProjectOut))
def list_projects(query: ProjectQuery) -> Any:
    """Projects in id order, optionally filtered by district, stage, kind and whether they are published."""
    with runtime().db.transaction() as session:
        stmt = select(Project)
        if query.district:
            stmt = stmt.where(projects.in_district(session, query.district))
        if query.stage:
            stmt = stmt.where(Project.stage == query.stage)
        if query.kind:
            stmt = stmt.where(Project.kind == query.kind)
        if query.published is not None:
            stmt = stmt.where(Project.published.is_(query.published))
        return paginate(session, stmt, Project.id, query, ProjectOut, convert=lambda p: _project_out(session, p))


@router.post("/projects", summary="Create a project", body=ProjectIn, response=ProjectOut, status=201)
def create_project(body: ProjectIn) -> Any:
    rt = runtime()
    data = ProjectInput(**body.model_dump())
    with rt.db.transaction() as session:
        project = projects.create_project(session, ACTOR, data, rt.clock())
        return ProjectOut.model_validate(_project_out(session, project)), 201


@router.get("/projects/<int:project_id>", summary="Get one project", response=ProjectOut)
def get_project(project_id: int) -> Any:
    with runtime().db.transaction() as session:
        return ProjectOut.model_validate(_project_out(session, projects.get(session, project_id)))


@router.route("/projects/<int:project_id>", methods=["PATCH"], summary="Update a project", body=ProjectPatch,
              response=ProjectOut)
def update_project(project_id: int, body: ProjectPatch) -> Any:
    """Changes the given fields (send `budget: null` to remove the budget)."""
    rt = runtime()
    given = body.model_dump(exclude_unset=True)
    data = ProjectInput(**{k: v for k, v in given.items() if k != "budget" or v is not None},
                        clear_budget="budget" in given and given["budget"] is None)
    with rt.db.transaction() as session:
        project = projects.update_project(session, ACTOR, project_id, data, rt.clock())
        return ProjectOut.model_validate(_project_out(session, project))


@router.post("/projects/<int:project_id>/stage", summary="Move a project to a later stage", body=StageIn,
             response=ProjectOut, errors=(409,))
def change_stage(project_id: int, body: StageIn) -> Any:
    """Records the stage change with its time (it is not announced: POST /announcements does that)."""
    rt = runtime()
    with rt.db.transaction() as session:
        projects.change_stage(session, ACTOR, project_id, body.stage, rt.clock(), note=body.note)
        return ProjectOut.model_validate(_project_out(session, projects.get(session, project_id)))


@router.post("/projects/<int:project_id>/photos", summary="Add an activity photo", body=PhotoIn,
             response=ProjectOut, status=201)
def add_photo(project_id: int, body: PhotoIn) -> Any:
    rt = runtime()
    try:
        data = base64.b64decode(body.image_base64, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError("image_base64 ไม่ใช่ base64 ที่ถูกต้อง", code="bad_base64") from None
    with rt.db.transaction() as session:
        projects.add_photo(session, ACTOR, project_id, data, rt.clock(), stage=body.stage, caption=body.caption)
        return ProjectOut.model_validate(_project_out(session, projects.get(session, project_id))), 201


# ---- announcements --------------------------------------------------------------------------------------------------------
class AudienceModel(BaseModel):
    """Who receives it. Nothing set: everyone (a LINE broadcast). Set criteria must all hold."""

    model_config = ConfigDict(extra="forbid")

    districts: list[DistrictKey] = Field(default_factory=list, description="Any of these districts.")
    interests: list[Interest] = Field(default_factory=list, description="Any of these interests.")
    project_id: int | None = Field(None, description="Citizens following this project.")
    marketing: bool = Field(False, description="Marketing content: only citizens who opted in.")


class AnnouncementIn(BaseModel):
    """Either a project stage announcement (`project_id`, `stage`) or a free one (`text`, optional `link`)."""

    model_config = ConfigDict(extra="forbid")

    project_id: int | None = None
    stage: Stage | None = Field(None, description="With project_id; default: the project's current stage.")
    text: str | None = Field(None, min_length=1, max_length=1000)
    link: str | None = Field(None, max_length=1000, pattern=r"^https://\S+$")
    audience: AudienceModel = Field(default_factory=AudienceModel)
    send_at: datetime | None = Field(None, description="Future time (with zone) to schedule; null: send now.")


class DeliveryCounts(BaseModel):
    pending: int = Field(description="Recipients of requests not yet accepted by LINE.")
    sent: int = Field(description="Recipients of requests LINE accepted.")
    failed: int = Field(description="Recipients of requests LINE refused for good (dead letters).")


class AnnouncementOut(ApiModel):
    """An announcement, its audience and what happened to it."""

    id: int
    title: str
    source: str = Field(description="`console`, `chat`, `api`, `project:<id>`, ...")
    project_id: int | None
    audience: AudienceModel
    audience_label: str = Field(description="The audience in Thai.")
    status: AnnouncementStatus
    send_at: UtcDateTime
    sent_at: UtcDateTime | None
    recipient_count: int = Field(description="Counted when sent (for a broadcast: followers the system knows).")
    delivery: DeliveryCounts
    created_at: UtcDateTime


class AnnouncementQuery(ListQuery):
    status: AnnouncementStatus | None = None


def _announcement_out(session: Any, row: Announcement) -> dict[str, Any]:
    audience = Audience.from_dict(row.audience)
    return {"id": row.id, "title": row.title, "source": row.source, "project_id": row.project_id,
            "audience": audience.to_dict(), "audience_label": announcements.describe_audience(session, audience),
            "status": row.status, "send_at": row.send_at, "sent_at": row.sent_at,
            "recipient_count": row.recipient_count, "delivery": announcements.delivery_counts(session, row.id),
            "created_at": row.created_at}


@announcements_router.post("/announcements", summary="Create an announcement (send now or schedule)",
                           body=AnnouncementIn, response=AnnouncementOut, status=201)
def create_announcement(body: AnnouncementIn) -> Any:
    rt = runtime()
    now = rt.clock()
    audience = Audience.from_dict(body.audience.model_dump())
    if body.send_at is not None and body.send_at.tzinfo is None:
        raise DomainError("send_at ต้องระบุเขตเวลา เช่น 2026-11-24T09:00:00+07:00", code="naive_time")
    if body.send_at is not None and body.send_at <= now:
        raise DomainError("send_at ต้องเป็นเวลาในอนาคต", code="past_time")
    with rt.db.transaction() as session:
        if body.project_id is not None:
            row = projects.announce(session, ACTOR, body.project_id, rt.settings.public_base_url, audience,
                                    body.send_at, now, stage=body.stage)
        elif body.text:
            row = announcements.create_announcement(session, ACTOR, [free_announcement(body.text, None, body.link)],
                                                    audience, body.send_at, now, source="api")
        else:
            raise DomainError("ต้องมี project_id หรือ text", code="nothing_to_send")
        result = AnnouncementOut.model_validate(_announcement_out(session, row))
    rt.dispatcher.wake()
    return result, 201


@announcements_router.get("/announcements", summary="List announcements", query=AnnouncementQuery,
                          response=page_of(AnnouncementOut))
def list_announcements(query: AnnouncementQuery) -> Any:
    with runtime().db.transaction() as session:
        stmt = select(Announcement)
        if query.status:
            stmt = stmt.where(Announcement.status == query.status)
        return paginate(session, stmt, Announcement.id, query, AnnouncementOut,
                        convert=lambda row: _announcement_out(session, row))


@announcements_router.get("/announcements/<int:announcement_id>", summary="Get an announcement and its delivery",
                          response=AnnouncementOut)
def get_announcement(announcement_id: int) -> Any:
    with runtime().db.transaction() as session:
        return AnnouncementOut.model_validate(
            _announcement_out(session, announcements.get(session, announcement_id)))


@announcements_router.post("/announcements/<int:announcement_id>/cancel", summary="Cancel a scheduled announcement",
                           response=AnnouncementOut, errors=(409,))
def cancel_announcement(announcement_id: int) -> Any:
    rt = runtime()
    with rt.db.transaction() as session:
        row = announcements.cancel(session, ACTOR, announcement_id, rt.clock())
        return AnnouncementOut.model_validate(_announcement_out(session, row))
