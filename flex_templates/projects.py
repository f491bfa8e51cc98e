"""Flex builders for projects: the carousel of current projects, the detail bubble with its stage timeline and
photos, and the stage announcement. Pure: plain values in (ProjectView), LINE JSON out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flex_templates.basic import Message, flex
from texts import dates
from texts import projects as projects_texts
from texts.districts import DISTRICTS

GREEN = "#06C755"
GREEN_STRONG = "#037A33"
TEXT_DARK = "#1F2937"
TEXT_MUTED = "#6B7280"
LINE_GREY = "#E5E7EB"
MAX_CAROUSEL = 10
DESCRIPTION_MAX = 400


@dataclass(frozen=True)
class StageView:
    """One stage of a project: when it was reached (None: not yet), the staff note, photos (url, thumb url)."""

    stage: str
    reached_at: datetime | None
    note: str | None
    photo_urls: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ProjectView:
    """A project as citizens see it."""

    id: int
    kind: str
    title: str
    description: str
    districts: tuple[str, ...]
    location: str
    budget: Decimal | None
    start_date: date | None
    end_date: date | None
    stage: str
    cover_url: str | None
    cover_thumb_url: str | None
    public_url: str
    share_url: str
    stages: tuple[StageView, ...]
    following: bool = False
    updated_at: datetime | None = None

    @property
    def photo_count(self) -> int:
        return sum(len(s.photo_urls) for s in self.stages)


# ---- formatting (pure; the web has its own filters in web/format.py) ------------------------------------------------
def thai_date(value: date | datetime | None) -> str:
    """'23 พ.ย. 2569' (Buddhist-era year; datetimes shown in Bangkok time)."""
    return dates.thai_date(value)


def district_label(districts: Sequence[str]) -> str:
    if not districts:
        return projects_texts.PROVINCE_WIDE
    names = [DISTRICTS.get(d, d) for d in districts]
    return "อ." + ", ".join(names) if len(names) <= 3 else "อ." + ", ".join(names[:3]) + f" และอีก {len(names) - 3}"


def date_label(start: date | None, end: date | None) -> str:
    if start and end:
        return projects_texts.DATES.format(start=thai_date(start), end=thai_date(end))
    if start:
        return projects_texts.DATE_FROM.format(start=thai_date(start))
    return ""


def budget_label(budget: Decimal | None) -> str:
    if budget is None:
        return ""
    amount = f"{budget:,.0f}" if budget == budget.to_integral_value() else f"{budget:,.2f}"
    return projects_texts.BUDGET.format(amount=amount)


def _text(text: str, **style: object) -> dict:
    return {"type": "text", "text": text or " ", "wrap": True, **style}


def _stage_badge(stage: str) -> dict:
    label = f"{projects_texts.STAGE_ICONS.get(stage, '')} {projects_texts.STAGE_NAMES.get(stage, stage)}"
    return {
        "type": "box", "layout": "horizontal", "flex": 0, "paddingStart": "8px", "paddingEnd": "8px",
        "paddingTop": "2px", "paddingBottom": "2px", "cornerRadius": "12px",
        "backgroundColor": projects_texts.STAGE_COLORS.get(stage, GREEN_STRONG),
        "contents": [_text(label, size="xs", color="#FFFFFF", weight="bold", wrap=False)],
    }


def _hero(url: str | None, link: str | None = None) -> dict | None:
    if not url:
        return None
    hero = {"type": "image", "url": url, "size": "full", "aspectRatio": "20:13", "aspectMode": "cover"}
    if link:
        hero["action"] = {"type": "uri", "label": projects_texts.BUTTON_WEB, "uri": link}
    return hero


def _button(action: dict, primary: bool = False) -> dict:
    button = {"type": "button", "height": "sm", "action": action, "style": "primary" if primary else "secondary"}
    if primary:
        button["color"] = GREEN_STRONG
    return button


def _uri(label: str, uri: str) -> dict:
    return {"type": "uri", "label": label[:40], "uri": uri}


def _postback(label: str, data: str, display: str | None = None) -> dict:
    action = {"type": "postback", "label": label[:40], "data": data}
    if display:
        action["displayText"] = display[:300]
    return action


def _facts(view: ProjectView) -> list[dict]:
    facts = [_text("📍 " + district_label(view.districts), size="sm", color=TEXT_MUTED)]
    dates = date_label(view.start_date, view.end_date)
    if dates:
        facts.append(_text("🗓 " + dates, size="sm", color=TEXT_MUTED))
    return facts


# ---- the carousel ---------------------------------------------------------------------------------------------------
def project_card(view: ProjectView, detail_data: str) -> dict:
    """One bubble of the carousel: cover, kind, title, stage, where and when, a details button."""
    body = [
        _text(projects_texts.KIND_NAMES.get(view.kind, view.kind), size="xs", color=GREEN_STRONG, weight="bold"),
        _text(view.title, size="md", weight="bold", color=TEXT_DARK, maxLines=3),
        {"type": "box", "layout": "horizontal", "contents": [_stage_badge(view.stage)]},
        *_facts(view),
    ]
    bubble: dict = {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "paddingAll": "md", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "paddingAll": "md", "contents": [
            _button(_postback(projects_texts.BUTTON_DETAIL, detail_data,
                              f"{projects_texts.BUTTON_DETAIL}: {view.title}"), primary=True)]},
    }
    bubble["hero"] = _hero(view.cover_thumb_url or view.cover_url) or _placeholder_hero(view)
    return bubble


def _placeholder_hero(view: ProjectView) -> dict:
    # Cards in a carousel share one height: a plain band keeps cards without a photo from looking empty.
    color = projects_texts.STAGE_COLORS.get(view.stage, GREEN_STRONG)
    return {"type": "box", "layout": "vertical", "height": "120px", "justifyContent": "center",
            "backgroundColor": color, "paddingAll": "lg",
            "contents": [_text(projects_texts.KIND_NAMES.get(view.kind, view.kind), size="lg", weight="bold",
                               color="#FFFFFF", align="center")]}


def project_carousel(cards: Sequence[tuple[ProjectView, str]], quick_replies: Sequence[dict] = (),
                     more_url: str | None = None, more_count: int = 0) -> Message:
    """Up to 10 project cards; when `more_count` more exist, a last bubble links to the public list."""
    bubbles = [project_card(view, data) for view, data in cards[:MAX_CAROUSEL]]
    if more_url and more_count > 0:
        bubbles.append({
            "type": "bubble", "size": "kilo",
            "body": {"type": "box", "layout": "vertical", "justifyContent": "center", "paddingAll": "xl",
                     "contents": [_text(projects_texts.LIST_MORE.format(n=f"{more_count:,}"), size="md",
                                        color=TEXT_DARK, align="center")]},
            "footer": {"type": "box", "layout": "vertical", "paddingAll": "md",
                       "contents": [_button(_uri(projects_texts.BUTTON_ALL_PROJECTS, more_url), primary=True)]},
        })
    return flex(projects_texts.LIST_ALT, {"type": "carousel", "contents": bubbles}, quick_replies or None)


# ---- the detail bubble ----------------------------------------------------------------------------------------------
def _timeline(view: ProjectView) -> list[dict]:
    rows: list[dict] = [_text(projects_texts.TIMELINE, size="sm", weight="bold", color=TEXT_DARK)]
    for stage in view.stages:
        reached = stage.reached_at is not None
        current = stage.stage == view.stage
        rows.append({
            "type": "box", "layout": "horizontal", "spacing": "sm", "contents": [
                _text("●" if reached else "○", size="sm", flex=0,
                      color=projects_texts.STAGE_COLORS.get(stage.stage, GREEN) if reached else "#9CA3AF"),
                _text(projects_texts.STAGE_NAMES.get(stage.stage, stage.stage), size="sm", flex=5,
                      color=TEXT_DARK if reached else "#9CA3AF", weight="bold" if current else "regular"),
                _text(thai_date(stage.reached_at) if reached else projects_texts.NOT_YET, size="xs", flex=4,
                      align="end", color=TEXT_MUTED if reached else "#9CA3AF"),
            ],
        })
    return rows


def _photo_strip(view: ProjectView) -> list[dict]:
    urls = [pair for stage in reversed(view.stages) for pair in stage.photo_urls][:3]
    if not urls:
        return []
    cells = [{"type": "image", "url": thumb, "size": "full", "aspectRatio": "1:1", "aspectMode": "cover", "flex": 1,
              "action": _uri(projects_texts.PHOTOS, full)} for full, thumb in urls]
    return [_text(projects_texts.PHOTOS, size="sm", weight="bold", color=TEXT_DARK),
            {"type": "box", "layout": "horizontal", "spacing": "xs", "contents": cells}]


def project_detail(view: ProjectView, follow_data: str, unfollow_data: str,
                   quick_replies: Sequence[dict] = ()) -> Message:
    """The whole project: details, stage timeline with dates, latest photos, and share / web / follow buttons."""
    description = view.description if len(view.description) <= DESCRIPTION_MAX else \
        view.description[:DESCRIPTION_MAX - 1] + "…"
    body: list[dict] = [
        _text(projects_texts.KIND_NAMES.get(view.kind, view.kind), size="xs", color=GREEN_STRONG, weight="bold"),
        _text(view.title, size="lg", weight="bold", color=TEXT_DARK),
        {"type": "box", "layout": "horizontal", "contents": [_stage_badge(view.stage)]},
        *_facts(view),
    ]
    if view.location:
        body.append(_text(projects_texts.LOCATION.format(location=view.location), size="sm", color=TEXT_MUTED))
    if view.budget is not None:
        body.append(_text("💰 " + budget_label(view.budget), size="sm", color=TEXT_MUTED))
    if description:
        body.append(_text(description, size="sm", color=TEXT_DARK, margin="md"))
    body.append({"type": "separator", "margin": "lg", "color": LINE_GREY})
    body.extend(_timeline(view))
    strip = _photo_strip(view)
    if strip:
        body.append({"type": "separator", "margin": "lg", "color": LINE_GREY})
        body.extend(strip)
    if view.following:
        body.append(_text(projects_texts.FOLLOWING_NOTE, size="sm", color=GREEN_STRONG, margin="md"))
    follow = _postback(projects_texts.BUTTON_UNFOLLOW, unfollow_data, projects_texts.BUTTON_UNFOLLOW) \
        if view.following else _postback(projects_texts.BUTTON_FOLLOW, follow_data, projects_texts.BUTTON_FOLLOW)
    bubble: dict = {
        "type": "bubble", "size": "mega",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            _button(_uri(projects_texts.BUTTON_SHARE, view.share_url), primary=True),
            _button(_uri(projects_texts.BUTTON_WEB, view.public_url)),
            _button(follow),
        ]},
    }
    hero = _hero(view.cover_url, view.public_url)
    if hero:
        bubble["hero"] = hero
    return flex(projects_texts.DETAIL_ALT.format(title=view.title), bubble, quick_replies or None)


# ---- stage announcement -----------------------------------------------------------------------------------------------
def stage_announcement(view: ProjectView, stage: str) -> Message:
    """What followers and the public receive when a project reaches `stage`."""
    state = next((s for s in view.stages if s.stage == stage), None)
    photo = state.photo_urls[-1][0] if state and state.photo_urls else view.cover_url
    body: list[dict] = [
        _text(view.title, size="lg", weight="bold", color=TEXT_DARK),
        *_facts(view),
    ]
    if state and state.note:
        body.append(_text(state.note[:500], size="sm", color=TEXT_DARK, margin="md"))
    body.append(_text(projects_texts.ANNOUNCE_INVITE.get(stage, ""), size="sm", color=TEXT_MUTED, margin="md"))
    bubble: dict = {
        "type": "bubble", "size": "mega",
        "header": {"type": "box", "layout": "vertical", "paddingAll": "md",
                   "backgroundColor": projects_texts.STAGE_COLORS.get(stage, GREEN_STRONG),
                   "contents": [_text(projects_texts.ANNOUNCE_HEADER.get(stage, ""), size="md", weight="bold",
                                      color="#FFFFFF")]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            _button(_uri(projects_texts.BUTTON_DETAIL, view.public_url), primary=True),
            _button(_uri(projects_texts.BUTTON_SHARE, view.share_url)),
        ]},
    }
    hero = _hero(photo, view.public_url)
    if hero:
        bubble["hero"] = hero
    header = projects_texts.ANNOUNCE_HEADER.get(stage, "")
    return flex(projects_texts.ANNOUNCE_ALT.format(header=header, title=view.title), bubble)


# ---- free announcement (staff chat flow) ------------------------------------------------------------------------------
def free_announcement(body: str, image_url: str | None = None, link_url: str | None = None) -> Message:
    """A staff announcement: plain text, or a bubble with the photo on top and a "read more" button."""
    if not image_url and not link_url:
        return {"type": "text", "text": body[:5000]}
    bubble: dict = {
        "type": "bubble", "size": "mega",
        "body": {"type": "box", "layout": "vertical", "contents": [_text(body[:2000], size="md", color=TEXT_DARK)]},
    }
    if image_url:
        bubble["hero"] = {"type": "image", "url": image_url, "size": "full", "aspectRatio": "20:13",
                          "aspectMode": "cover"}
    if link_url:
        bubble["footer"] = {"type": "box", "layout": "vertical", "contents": [
            _button(_uri(projects_texts.LINK_BUTTON, link_url), primary=True)]}
    first_line = body.strip().splitlines()[0] if body.strip() else projects_texts.ANNOUNCE_TITLE
    return flex(first_line[:300], bubble)
