"""Public projects: create and edit (staff), move through stages, photos per stage, citizens who follow them,
and stage announcements. Web console, REST API and chat all call these functions.

Stages only move forward (announced -> in_progress -> completed -> evaluated); each change is a
ProjectStageChange row, which is what other features scan (e.g. surveys after "completed").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from sqlalchemy import BindParameter, Integer, Select, String, bindparam, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from flex_templates.projects import ProjectView, StageView, stage_announcement
from models.media import MediaImage
from models.platform import Citizen
from models.projects import PROJECT_KINDS, STAGES, Project, ProjectFollower, ProjectPhoto, ProjectStageChange
from services import images, share_visits
from services.errors import Conflict, DomainError, NotFound, PermissionDenied
from services.staff import is_staff
from texts import projects as projects_texts
from texts.districts import DISTRICTS

MAX_PHOTOS_PER_STAGE = 20
MAX_BUDGET = Decimal("10000000000")
SYSTEM_ACTORS = ("api", "system")


def check_actor(session: Session, actor: str) -> None:
    """Staff (checked now, in the database) or a trusted system caller such as the REST API."""
    if actor in SYSTEM_ACTORS:
        return
    if not is_staff(session, actor):
        raise PermissionDenied(projects_texts.ERR_STAFF_ONLY)


# ---- reading ------------------------------------------------------------------------------------------------------
def get(session: Session, project_id: int, *, published_only: bool = False) -> Project:
    """The project, or NotFound (also for unpublished ones when `published_only`)."""
    row = session.get(Project, project_id) if isinstance(project_id, int) and 0 < project_id < 2**31 else None
    if row is None or (published_only and not row.published):
        raise NotFound(projects_texts.ERR_NOT_FOUND, code="project_not_found")
    return row


def in_district(session: Session, district: str | BindParameter) -> Any:
    # Project.districts is a JSON list; [] means province-wide, which every district sees.
    return _in_district(session.get_bind().dialect.name, district)


def _in_district(dialect: str, district: str | BindParameter) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        column = Project.districts.cast(JSONB)
        wanted = func.jsonb_build_array(district)
        return or_(column.contains(wanted), func.jsonb_array_length(column) == 0)
    each = func.json_each(Project.districts).table_valued("value")
    return or_(exists(select(1).select_from(each).where(each.c.value == district)),
               func.json_array_length(Project.districts) == 0)


@functools.cache
def _listing(dialect: str, published_only: bool, district: bool, kind: bool, stage: bool, count: bool) -> Select:
    """The project list (or its count) for one combination of filters, built once with bound parameters: the
    project list is a tap in chat (every filter button), and building the statement cost more than running it."""
    stmt = select(func.count(Project.id)) if count else select(Project)
    if published_only:
        stmt = stmt.where(Project.published.is_(True))
    if district:
        stmt = stmt.where(_in_district(dialect, bindparam("district", type_=String())))
    if kind:
        stmt = stmt.where(Project.kind == bindparam("kind", type_=String()))
    if stage:
        stmt = stmt.where(Project.stage == bindparam("stage", type_=String()))
    if not count:
        stmt = (stmt.order_by(Project.updated_at.desc(), Project.id.desc())
                .limit(bindparam("limit", type_=Integer())).offset(bindparam("offset", type_=Integer())))
    return stmt


def list_projects(session: Session, *, district: str | None = None, kind: str | None = None,
                  stage: str | None = None, published_only: bool = True, limit: int = 50,
                  offset: int = 0) -> list[Project]:
    """Projects, most recently changed first, filtered by district (province-wide ones included), kind, stage."""
    stmt = _listing(session.get_bind().dialect.name, published_only, bool(district), bool(kind), bool(stage), False)
    params = {k: v for k, v in (("district", district), ("kind", kind), ("stage", stage)) if v}
    return list(session.scalars(stmt, {**params, "limit": limit, "offset": offset}))


def count_projects(session: Session, *, district: str | None = None, kind: str | None = None,
                   stage: str | None = None, published_only: bool = True) -> int:
    stmt = _listing(session.get_bind().dialect.name, published_only, bool(district), bool(kind), bool(stage), True)
    params = {k: v for k, v in (("district", district), ("kind", kind), ("stage", stage)) if v}
    return session.scalar(stmt, params) or 0


def stage_history(session: Session, project_id: int) -> list[ProjectStageChange]:
    return list(session.scalars(select(ProjectStageChange).where(ProjectStageChange.project_id == project_id)
                                .order_by(ProjectStageChange.changed_at, ProjectStageChange.id)))


def photos(session: Session, project_id: int, stage: str | None = None) -> list[ProjectPhoto]:
    stmt = select(ProjectPhoto).where(ProjectPhoto.project_id == project_id)
    if stage:
        stmt = stmt.where(ProjectPhoto.stage == stage)
    return list(session.scalars(stmt.order_by(ProjectPhoto.id)))


def photo_links(session: Session, project_id: int, base_url: str) -> list[tuple[ProjectPhoto, str, str]]:
    """Each photo of a project with its display and thumbnail URLs, in upload order."""
    rows = session.execute(select(ProjectPhoto, MediaImage).join(MediaImage, MediaImage.id == ProjectPhoto.image_id)
                           .where(ProjectPhoto.project_id == project_id).order_by(ProjectPhoto.id)).all()
    return [(photo, images.image_url(base_url, image), images.thumb_url(base_url, image)) for photo, image in rows]



# ---- writing ------------------------------------------------------------------------------------------------------
@dataclass
class ProjectInput:
    """Fields staff fill in; None in an update means "leave as it is"."""

    kind: str | None = None
    title: str | None = None
    description: str | None = None
    districts: Sequence[str] | None = None
    location: str | None = None
    budget: Decimal | int | float | str | None = None
    start_date: date | None = None
    end_date: date | None = None
    published: bool | None = None
    clear_budget: bool = False


def _budget(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise DomainError(projects_texts.ERR_BUDGET, code="bad_budget") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        raise DomainError(projects_texts.ERR_BUDGET, code="bad_budget")
    return amount.quantize(Decimal("0.01"))


def _apply(project: Project, data: ProjectInput) -> None:
    if data.kind is not None:
        if data.kind not in PROJECT_KINDS:
            raise DomainError(projects_texts.ERR_KIND, code="bad_kind")
        project.kind = data.kind
    if data.title is not None:
        title = " ".join(data.title.split())
        if not title or len(title) > 200:
            raise DomainError(projects_texts.ERR_TITLE, code="bad_title")
        project.title = title
    if data.description is not None:
        if len(data.description) > 5000:
            raise DomainError(projects_texts.ERR_DESCRIPTION, code="bad_description")
        project.description = data.description.strip()
    if data.districts is not None:
        districts = list(dict.fromkeys(data.districts))
        if any(d not in DISTRICTS for d in districts):
            raise DomainError(projects_texts.ERR_DISTRICT, code="unknown_district")
        project.districts = [d for d in DISTRICTS if d in districts]
    if data.location is not None:
        if len(data.location) > 300:
            raise DomainError(projects_texts.ERR_LOCATION, code="bad_location")
        project.location = data.location.strip()
    if data.clear_budget:
        project.budget = None
    elif data.budget is not None and data.budget != "":
        project.budget = _budget(data.budget)
    if data.start_date is not None:
        project.start_date = data.start_date
    if data.end_date is not None:
        project.end_date = data.end_date
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise DomainError(projects_texts.ERR_DATES, code="bad_dates")
    if data.published is not None:
        project.published = data.published


def create_project(session: Session, actor: str, data: ProjectInput, now: datetime) -> Project:
    """Creates a project at stage "announced" (recorded as its first stage change)."""
    check_actor(session, actor)
    if not data.title:
        raise DomainError(projects_texts.ERR_TITLE, code="bad_title")
    if not data.kind:
        raise DomainError(projects_texts.ERR_KIND, code="bad_kind")
    project = Project(stage="announced", districts=[], description="", location="", published=True,
                      created_by=actor[:64], created_at=now, updated_at=now)
    _apply(project, data)
    session.add(project)
    session.flush()
    session.add(ProjectStageChange(project_id=project.id, stage="announced", changed_at=now, changed_by=actor[:64]))
    session.flush()
    return project


def update_project(session: Session, actor: str, project_id: int, data: ProjectInput, now: datetime) -> Project:
    """Edits a project's details (not its stage: see change_stage)."""
    check_actor(session, actor)
    project = get(session, project_id)
    _apply(project, data)
    project.updated_at = now
    session.flush()
    return project


def change_stage(session: Session, actor: str, project_id: int, stage: str, now: datetime,
                 note: str | None = None) -> ProjectStageChange:
    """Moves a project to a later stage and records when; moving back or staying is refused."""
    check_actor(session, actor)
    if stage not in STAGES:
        raise DomainError(projects_texts.ERR_STAGE, code="bad_stage")
    project = get(session, project_id)
    if STAGES.index(stage) <= STAGES.index(project.stage):
        raise Conflict(projects_texts.ERR_STAGE_BACKWARD.format(current=projects_texts.STAGE_NAMES[project.stage]),
                       code="stage_not_forward")
    project.stage, project.updated_at = stage, now
    change = ProjectStageChange(project_id=project.id, stage=stage, changed_at=now,
                                note=(note or "").strip()[:2000] or None, changed_by=actor[:64])
    session.add(change)
    session.flush()
    return change


def add_photo(session: Session, actor: str, project_id: int, data: bytes, now: datetime, *,
              stage: str | None = None, caption: str = "") -> ProjectPhoto:
    """Stores an activity photo for a stage (default: the current one); raises ImageRejected on bad files."""
    check_actor(session, actor)
    project = get(session, project_id)
    stage = stage or project.stage
    if stage not in STAGES:
        raise DomainError(projects_texts.ERR_STAGE, code="bad_stage")
    count = session.scalar(select(func.count(ProjectPhoto.id)).where(ProjectPhoto.project_id == project.id,
                                                                     ProjectPhoto.stage == stage)) or 0
    if count >= MAX_PHOTOS_PER_STAGE:
        raise DomainError(projects_texts.ERR_TOO_MANY_PHOTOS.format(n=MAX_PHOTOS_PER_STAGE), code="too_many_photos")
    processed = images.accept_image(data)
    image = images.save_image(session, processed, kind="project", owner_key=f"project:{project.id}", now=now)
    photo = ProjectPhoto(project_id=project.id, stage=stage, image_id=image.id, caption=caption.strip()[:200],
                         uploaded_by=actor[:64], created_at=now)
    session.add(photo)
    if project.cover_image_id is None:
        project.cover_image_id = image.id  # a first photo is a better cover than none
    project.updated_at = now
    session.flush()
    return photo


def set_cover(session: Session, actor: str, project_id: int, data: bytes, now: datetime) -> MediaImage:
    """Replaces the cover photo."""
    check_actor(session, actor)
    project = get(session, project_id)
    processed = images.accept_image(data)
    image = images.save_image(session, processed, kind="project", owner_key=f"project:{project.id}", now=now)
    project.cover_image_id, project.updated_at = image.id, now
    session.flush()
    return image


def delete_photo(session: Session, actor: str, project_id: int, photo_id: int, now: datetime) -> None:
    """Removes an activity photo (and the cover, if it was the cover)."""
    check_actor(session, actor)
    project = get(session, project_id)
    photo = session.get(ProjectPhoto, photo_id)
    if photo is None or photo.project_id != project.id:
        raise NotFound("ไม่พบรูปนี้", code="photo_not_found")
    if project.cover_image_id == photo.image_id:
        project.cover_image_id = None
    image = session.get(MediaImage, photo.image_id)
    session.delete(photo)
    session.flush()
    if image is not None:
        session.delete(image)
    project.updated_at = now
    session.flush()


# ---- citizens following a project -----------------------------------------------------------------------------------
def follow(session: Session, line_user_id: str, project_id: int, now: datetime) -> bool:
    """Subscribes a citizen to a project's updates; returns False if they already were."""
    project = get(session, project_id, published_only=True)
    exists = session.scalars(select(ProjectFollower).where(ProjectFollower.project_id == project.id,
                                                           ProjectFollower.line_user_id == line_user_id)).first()
    if exists is not None:
        return False
    session.add(ProjectFollower(project_id=project.id, line_user_id=line_user_id, created_at=now))
    session.flush()
    return True


def unfollow(session: Session, line_user_id: str, project_id: int) -> bool:
    """Unsubscribes; returns False if they were not following."""
    done = session.execute(delete(ProjectFollower).where(ProjectFollower.project_id == project_id,
                                                         ProjectFollower.line_user_id == line_user_id)).rowcount
    return bool(done)


def is_following(session: Session, line_user_id: str | None, project_id: int) -> bool:
    if not line_user_id:
        return False
    return session.scalars(select(ProjectFollower.id).where(ProjectFollower.project_id == project_id,
                                                            ProjectFollower.line_user_id == line_user_id)).first() \
        is not None


def follower_count(session: Session, project_id: int) -> int:
    return session.scalar(select(func.count(ProjectFollower.id)).where(ProjectFollower.project_id == project_id)) or 0


# ---- what citizens and pages show -----------------------------------------------------------------------------------
def public_url(base_url: str, project_id: int) -> str:
    return f"{base_url.rstrip('/')}/projects/{project_id}"


MAX_URI = 1000  # LINE's limit for a URI action


def share_url(title: str, url: str) -> str:
    """A line.me share link that opens LINE's friend picker with the title and the public page link.

    Thai letters take 9 characters each once percent-encoded, so a long title is shortened to keep the link
    within LINE's 1,000-character limit for URI actions (the page link itself is never cut)."""
    prefix = "https://line.me/R/share?text="
    for cut in range(len(title), -1, -10):
        shown = title if cut == len(title) else title[:cut].rstrip() + "…"
        link = prefix + quote(projects_texts.SHARE_TEXT.format(title=shown, url=url), safe="")
        if len(link) <= MAX_URI:
            return link
    return prefix + quote(url, safe="")


def project_view(session: Session, project: Project, base_url: str, *, viewer: str | None = None,
                 with_photos: bool = True) -> ProjectView:
    """Builds the view of a project: its stage timeline (reached stages with dates and photos) and links."""
    cover = session.get(MediaImage, project.cover_image_id) if project.cover_image_id else None
    history = {c.stage: c for c in stage_history(session, project.id)}
    by_stage: dict[str, list[tuple[str, str]]] = {}
    if with_photos:
        rows = session.execute(select(ProjectPhoto, MediaImage).join(MediaImage, MediaImage.id == ProjectPhoto.image_id)
                               .where(ProjectPhoto.project_id == project.id).order_by(ProjectPhoto.id)).all()
        for photo, image in rows:
            by_stage.setdefault(photo.stage, []).append((images.image_url(base_url, image),
                                                         images.thumb_url(base_url, image)))
    stages = tuple(StageView(stage, history[stage].changed_at if stage in history else None,
                             history[stage].note if stage in history else None, tuple(by_stage.get(stage, ())))
                   for stage in STAGES)
    url = public_url(base_url, project.id)
    return ProjectView(
        id=project.id, kind=project.kind, title=project.title, description=project.description or "",
        districts=tuple(project.districts or ()), location=project.location or "", budget=project.budget,
        start_date=project.start_date, end_date=project.end_date, stage=project.stage,
        cover_url=images.image_url(base_url, cover) if cover else None,
        cover_thumb_url=images.thumb_url(base_url, cover) if cover else None,
        public_url=url, share_url=share_url(project.title, share_visits.tagged(url, "line")), stages=stages,
        following=is_following(session, viewer, project.id), updated_at=project.updated_at,
    )


# ---- announcing --------------------------------------------------------------------------------------------------
def announce(session: Session, actor: str, project_id: int, base_url: str, audience: Any, send_at: datetime | None,
             now: datetime, *, stage: str | None = None, channels: Sequence[str] = ()) -> Any:
    """Announces a project's stage (default: its current one) now or at `send_at`, to `audience`
    (services.announcements.Audience), on LINE and the chosen `channels` ("facebook"). Returns the Announcement."""
    from services import announcements

    check_actor(session, actor)
    project = get(session, project_id, published_only=True)
    stage = stage or project.stage
    if stage not in STAGES:
        raise DomainError(projects_texts.ERR_STAGE, code="bad_stage")
    view = project_view(session, project, base_url)
    messages = [stage_announcement(view, stage)]
    title = f"{projects_texts.ANNOUNCE_HEADER[stage]}: {project.title}"
    return announcements.create_announcement(session, actor, messages, audience, send_at, now,
                                             source=f"project:{project.id}", title=title, project_id=project.id,
                                             channels=channels, stage=stage)


# ---- PDPA ---------------------------------------------------------------------------------------------------------
def export_personal_data(session: Session, citizen: Citizen) -> dict:
    """The projects the citizen follows."""
    rows = session.execute(select(ProjectFollower, Project.title).join(Project, Project.id == ProjectFollower.project_id)
                           .where(ProjectFollower.line_user_id == citizen.line_user_id)
                           .order_by(ProjectFollower.created_at)).all()
    if not rows:
        return {}
    return {"followed_projects": [{"project_id": f.project_id, "title": title, "since": f.created_at.isoformat()}
                                  for f, title in rows]}


def erase_personal_data(session: Session, citizen: Citizen, now: datetime) -> None:
    """Forgets which projects the citizen follows."""
    session.execute(delete(ProjectFollower).where(ProjectFollower.line_user_id == citizen.line_user_id))
