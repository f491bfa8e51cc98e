""""ข่าวโครงการ": a carousel of current projects (filter by district and kind), a detail bubble with the stage
timeline and photos, and share / open page / follow buttons."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.postback import PostbackData
from bot.router import Router
from flex_templates.basic import postback_action, text
from flex_templates.platform import district_picker
from flex_templates.projects import project_carousel, project_detail
from models.projects import PROJECT_KINDS
from services import citizens, projects
from services.errors import NotFound
from texts import projects as projects_texts
from texts.districts import DISTRICTS, district_name

router = Router("projects")
router.menu_item(projects_texts.WORD_PROJECTS, order=10)

CAROUSEL_SIZE = 10  # LINE allows 12 bubbles; the 11th links to the full list on the web


@dataclass
class ProjectFilter(PostbackData, prefix="pj-f"):
    district: str  # "" = any
    kind: str  # "" = any


@dataclass
class ProjectPickDistrict(PostbackData, prefix="pj-pd"):
    kind: str


@dataclass
class ProjectDetail(PostbackData, prefix="pj-d"):
    project_id: int


@dataclass
class ProjectFollow(PostbackData, prefix="pj-fo"):
    project_id: int


@dataclass
class ProjectUnfollow(PostbackData, prefix="pj-uf"):
    project_id: int



def _filters(ctx: Context, own_district: str | None, kind: str) -> list[dict]:
    buttons = [postback_action(projects_texts.FILTER_ALL, ProjectFilter("", "").pack(), projects_texts.FILTER_ALL)]
    if own_district:
        buttons.append(postback_action(projects_texts.FILTER_MY_DISTRICT, ProjectFilter(own_district, kind).pack(),
                                       projects_texts.FILTER_MY_DISTRICT))
    buttons.append(postback_action(projects_texts.FILTER_DISTRICT, ProjectPickDistrict(kind).pack(),
                                   projects_texts.FILTER_DISTRICT))
    for key in PROJECT_KINDS:
        buttons.append(postback_action(projects_texts.KIND_NAMES[key], ProjectFilter("", key).pack(),
                                       projects_texts.KIND_NAMES[key]))
    return buttons


def _show_list(ctx: Context, district: str, kind: str) -> None:
    citizen = citizens.get(ctx.session, ctx.user_id) if ctx.user_id else None
    own = citizen.district if citizen else None
    rows = projects.list_projects(ctx.session, district=district or None, kind=kind or None, limit=CAROUSEL_SIZE)
    what = "".join(filter(None, [projects_texts.KIND_NAMES.get(kind, "") and f" {projects_texts.KIND_NAMES[kind]}",
                                 district and " " + projects_texts.FILTER_IN.format(district=district_name(district))]))
    quick = _filters(ctx, own, kind)
    if not rows:
        ctx.reply(text(projects_texts.LIST_EMPTY.format(what=what), quick))
        return
    base = ctx.settings.public_base_url
    views = [(projects.project_view(ctx.session, row, base, with_photos=False), ProjectDetail(row.id).pack())
             for row in rows]
    more = 0
    if len(rows) == CAROUSEL_SIZE:
        more = projects.count_projects(ctx.session, district=district or None, kind=kind or None) - CAROUSEL_SIZE
    query = "&".join(f"{k}={v}" for k, v in (("district", district), ("kind", kind)) if v)
    ctx.reply(text(projects_texts.LIST_INTRO_FILTERED.format(what=what) if what else projects_texts.LIST_INTRO),
              project_carousel(views, quick, more_url=f"{base}/projects" + (f"?{query}" if query else ""),
                               more_count=more))


@router.on_text(projects_texts.WORD_PROJECTS, "โครงการ")
def show_projects(ctx: Context) -> None:
    """Lists current projects: of the citizen's district (with province-wide ones) when known, else all."""
    citizen = citizens.get(ctx.session, ctx.user_id) if ctx.user_id else None
    district = citizen.district if citizen and citizen.district in DISTRICTS else ""
    if district and not projects.count_projects(ctx.session, district=district):
        district = ""  # nothing local yet: show the province's projects rather than an empty answer
    _show_list(ctx, district, "")


@router.on_postback(ProjectFilter)
def filter_projects(ctx: Context, data: ProjectFilter) -> None:
    district = data.district if data.district in DISTRICTS else ""
    kind = data.kind if data.kind in PROJECT_KINDS else ""
    _show_list(ctx, district, kind)


@router.on_postback(ProjectPickDistrict)
def pick_district(ctx: Context, data: ProjectPickDistrict) -> None:
    kind = data.kind if data.kind in PROJECT_KINDS else ""
    options = [(name, ProjectFilter(key, kind).pack()) for key, name in DISTRICTS.items()]
    ctx.reply(text(projects_texts.ASK_FILTER_DISTRICT),
              district_picker(projects_texts.FILTER_DISTRICT_CARD, projects_texts.ASK_FILTER_DISTRICT_ALT, options))


def _detail(ctx: Context, project_id: int) -> None:
    try:
        project = projects.get(ctx.session, project_id, published_only=True)
    except NotFound:
        ctx.reply(text(projects_texts.PROJECT_GONE, ctx.menu_actions()))
        return
    view = projects.project_view(ctx.session, project, ctx.settings.public_base_url, viewer=ctx.user_id)
    ctx.reply(project_detail(view, ProjectFollow(project.id).pack(), ProjectUnfollow(project.id).pack(),
                             ctx.menu_actions()))


@router.on_postback(ProjectDetail)
def show_detail(ctx: Context, data: ProjectDetail) -> None:
    _detail(ctx, data.project_id)


@router.on_postback(ProjectFollow)
def follow_project(ctx: Context, data: ProjectFollow) -> None:
    """Subscribes the citizen to this project's stage announcements."""
    try:
        project = projects.get(ctx.session, data.project_id, published_only=True)
    except NotFound:
        ctx.reply(text(projects_texts.PROJECT_GONE, ctx.menu_actions()))
        return
    citizens.get_or_create(ctx.session, ctx.user_id, ctx.now)
    new = projects.follow(ctx.session, ctx.user_id, project.id, ctx.now)
    ctx.reply(text((projects_texts.FOLLOWED if new else projects_texts.ALREADY_FOLLOWING).format(title=project.title),
                   ctx.menu_actions()))


@router.on_postback(ProjectUnfollow)
def unfollow_project(ctx: Context, data: ProjectUnfollow) -> None:
    try:
        project = projects.get(ctx.session, data.project_id)
    except NotFound:
        ctx.reply(text(projects_texts.PROJECT_GONE, ctx.menu_actions()))
        return
    projects.unfollow(ctx.session, ctx.user_id, project.id)
    ctx.reply(text(projects_texts.UNFOLLOWED.format(title=project.title), ctx.menu_actions()))
