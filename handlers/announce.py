"""Staff chat flow "ประกาศข่าว": compose a text, add a photo and a link if wanted, see the preview exactly as
citizens will, pick the audience, see the count and the quota, confirm. Staff rights are checked on the server
before every step (the flow's guard) and again by the announcement service when sending."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.context import Context
from bot.conversation import END, Flow, FlowState, Step
from bot.postback import PostbackData
from bot.router import Router
from flex_templates.basic import message_action, postback_action, text
from flex_templates.platform import district_picker
from flex_templates.projects import free_announcement
from services import announcements, images, staff
from services.announcements import Audience
from services.errors import DomainError
from texts import citizens as citizens_texts
from texts import platform as platform_texts
from texts import projects as projects_texts
from texts.districts import DISTRICTS

router = Router("announce")

MAX_TEXT = 1000


@dataclass
class AnnounceNoPhoto(PostbackData, prefix="an-np"):
    pass


@dataclass
class AnnounceNoLink(PostbackData, prefix="an-nl"):
    pass


@dataclass
class AnnounceAudience(PostbackData, prefix="an-au"):
    kind: str  # all | pick_district | district | pick_interest | interest
    value: str


@dataclass
class AnnounceConfirm(PostbackData, prefix="an-ok"):
    pass



def staff_only(ctx: Context) -> bool:
    """The flow's guard: staff now, per the database (a revoked member is stopped at the next step)."""
    if staff.is_staff(ctx.session, ctx.user_id, ctx.settings.ADMIN_LINE_USER_IDS):
        return True
    ctx.reply(text(platform_texts.STAFF_ONLY, ctx.menu_actions()))
    return False



def _messages(state: FlowState) -> list[dict]:
    return [free_announcement(state.data["text"], state.data.get("image_url"), state.data.get("link"))]


# ---- steps ------------------------------------------------------------------------------------------------------------
def ask_text(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(projects_texts.ASK_TEXT))


def answer_text(ctx: Context, state: FlowState) -> str | None:
    # The raw text, not ctx.text: line breaks the staff typed belong in the announcement.
    raw = ctx.message.get("text") or "" if ctx.message_type == "text" else ""
    body = unicodedata.normalize("NFC", str(raw)).strip()
    if not body:
        ctx.reply(text(projects_texts.TEXT_NEEDED))
        return None
    if len(body) > MAX_TEXT:
        ctx.reply(text(projects_texts.TEXT_TOO_LONG.format(n=f"{len(body):,}")))
        return None
    state.data["text"] = body
    return "photo"


def ask_photo(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(projects_texts.ASK_PHOTO, [
        {"type": "cameraRoll", "label": "เลือกรูป"},
        {"type": "camera", "label": "ถ่ายรูป"},
        postback_action(projects_texts.NO_PHOTO, AnnounceNoPhoto().pack(), projects_texts.NO_PHOTO),
    ]))


def answer_photo(ctx: Context, state: FlowState) -> str | None:
    if ctx.postback_as(AnnounceNoPhoto) is not None or ctx.text == projects_texts.NO_PHOTO:
        state.data.pop("image_url", None)
        return "link"
    if ctx.message_type != "image":
        ctx.reply(text(projects_texts.PHOTO_NEEDED,
                       [postback_action(projects_texts.NO_PHOTO, AnnounceNoPhoto().pack(), projects_texts.NO_PHOTO)]))
        return None
    ctx.show_loading(10)
    try:
        data = ctx.message_content(images.MAX_BYTES)
        processed = images.accept_image(data)
    except DomainError as exc:
        ctx.reply(text(exc.message,
                       [postback_action(projects_texts.NO_PHOTO, AnnounceNoPhoto().pack(), projects_texts.NO_PHOTO)]))
        return None
    image = images.save_image(ctx.session, processed, kind="announcement", owner_key="announcement", now=ctx.now)
    state.data["image_url"] = images.image_url(ctx.settings.public_base_url, image)
    return "link"


def ask_link(ctx: Context, state: FlowState) -> None:
    ctx.reply(text(projects_texts.ASK_LINK,
                   [postback_action(projects_texts.NO_LINK, AnnounceNoLink().pack(), projects_texts.NO_LINK)]))


def _valid_link(value: str) -> bool:
    if len(value) > 1000 or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme == "https" and "." in parts.netloc


def answer_link(ctx: Context, state: FlowState) -> str | None:
    if ctx.postback_as(AnnounceNoLink) is not None or ctx.text == projects_texts.NO_LINK:
        state.data.pop("link", None)
        return "audience"
    link = (ctx.text or "").strip()
    if not _valid_link(link):
        ctx.reply(text(projects_texts.LINK_INVALID,
                       [postback_action(projects_texts.NO_LINK, AnnounceNoLink().pack(), projects_texts.NO_LINK)]))
        return None
    state.data["link"] = link
    return "audience"


def _audience_buttons() -> list[dict]:
    return [
        postback_action(projects_texts.AUDIENCE_EVERYONE, AnnounceAudience("all", "").pack(),
                        projects_texts.AUDIENCE_EVERYONE),
        postback_action(projects_texts.AUDIENCE_DISTRICT, AnnounceAudience("pick_district", "").pack(),
                        projects_texts.AUDIENCE_DISTRICT),
        postback_action(projects_texts.AUDIENCE_INTEREST, AnnounceAudience("pick_interest", "").pack(),
                        projects_texts.AUDIENCE_INTEREST),
    ]


def ask_audience(ctx: Context, state: FlowState) -> None:
    """Shows the preview (the very messages citizens will get), then asks who should receive them."""
    ctx.reply(text(projects_texts.PREVIEW_INTRO), *_messages(state),
              text(projects_texts.ASK_AUDIENCE, _audience_buttons()))


def answer_audience(ctx: Context, state: FlowState) -> str | None:
    chosen = ctx.postback_as(AnnounceAudience)
    if not isinstance(chosen, AnnounceAudience):
        ctx.reply(text(projects_texts.ASK_AUDIENCE, _audience_buttons()))
        return None
    if chosen.kind == "all":
        state.data["audience"] = Audience().to_dict()
    elif chosen.kind == "district" and chosen.value in DISTRICTS:
        state.data["audience"] = Audience(districts=(chosen.value,)).to_dict()
    elif chosen.kind == "interest" and chosen.value in citizens_texts.INTEREST_NAMES:
        state.data["audience"] = Audience(interests=(chosen.value,)).to_dict()
    elif chosen.kind == "pick_district":
        options = [(name, AnnounceAudience("district", key).pack()) for key, name in DISTRICTS.items()]
        ctx.reply(district_picker(projects_texts.AUDIENCE_DISTRICT_CARD, projects_texts.ASK_AUDIENCE_DISTRICT_ALT,
                                  options))
        return None
    elif chosen.kind == "pick_interest":
        ctx.reply(text(projects_texts.ASK_AUDIENCE_INTEREST, [
            postback_action(name, AnnounceAudience("interest", key).pack(), name)
            for key, name in citizens_texts.INTEREST_NAMES.items()]))
        return None
    else:
        ctx.reply(text(projects_texts.ASK_AUDIENCE, _audience_buttons()))
        return None
    return "confirm"


def _quota_line(ctx: Context, needed: int) -> str:
    quota = getattr(ctx.line, "quota", None)
    try:
        limit, used = quota() if quota else (None, None)
    except Exception:  # noqa: BLE001 - the quota is advice; LINE being slow must not block the announcement
        return projects_texts.QUOTA_UNKNOWN
    if used is None:
        return projects_texts.QUOTA_UNKNOWN
    if limit is None:
        return projects_texts.QUOTA_UNLIMITED.format(used=f"{used:,}")
    left = max(0, limit - used)
    line = projects_texts.QUOTA_LEFT.format(left=f"{left:,}", limit=f"{limit:,}")
    return line + ("\n" + projects_texts.QUOTA_NOT_ENOUGH if needed > left else "")


def ask_confirm(ctx: Context, state: FlowState) -> None:
    audience = Audience.from_dict(state.data.get("audience"))
    count = announcements.preview(ctx.session, audience).recipients
    ctx.reply(text(projects_texts.CONFIRM.format(audience=announcements.describe_audience(ctx.session, audience),
                                                 count=f"{count:,}", quota=_quota_line(ctx, count)), [
        postback_action(projects_texts.CONFIRM_SEND, AnnounceConfirm().pack(), projects_texts.CONFIRM_SEND),
        message_action(projects_texts.EDIT_AGAIN, projects_texts.WORD_ANNOUNCE),
        message_action(platform_texts.WORD_CANCEL),
    ]))


def answer_confirm(ctx: Context, state: FlowState) -> str | None:
    if ctx.postback_as(AnnounceConfirm) is None:
        ctx.reply(text(projects_texts.CONFIRM_WORD_NEEDED, [
            postback_action(projects_texts.CONFIRM_SEND, AnnounceConfirm().pack(), projects_texts.CONFIRM_SEND),
            message_action(platform_texts.WORD_CANCEL)]))
        return None
    audience = Audience.from_dict(state.data.get("audience"))
    row = announcements.create_announcement(ctx.session, ctx.user_id, _messages(state), audience, None, ctx.now,
                                            source="chat")
    ctx.reply(text(projects_texts.SENT.format(id=row.id, count=f"{row.recipient_count:,}"), ctx.menu_actions()))
    return END


announce_flow = router.add_flow(Flow(
    "announce", projects_texts.ANNOUNCE_TITLE,
    [Step("text", ask_text, answer_text), Step("photo", ask_photo, answer_photo),
     Step("link", ask_link, answer_link), Step("audience", ask_audience, answer_audience),
     Step("confirm", ask_confirm, answer_confirm)],
    entry_words=(projects_texts.WORD_ANNOUNCE,), guard=staff_only,
    postbacks=(AnnounceNoPhoto, AnnounceNoLink, AnnounceAudience, AnnounceConfirm),
))
