"""Platform conversation: help, the "ตั้งค่า" district flow and staff console sign-in.

Follow and unfollow are handled by handlers/citizens.py (onboarding with the privacy notice)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation import END, Flow, FlowState, Step
from bot.postback import MalformedPostback, PostbackData
from bot.router import Context, Router
from flex_templates.basic import message_action, text
from flex_templates.platform import district_picker, link_card
from services import citizens, staff
from texts import platform as T
from texts.districts import DISTRICTS, district_name, find_district

router = Router("platform", order=1000)
router.menu_item(T.WORD_SETTINGS, order=70)
router.menu_item(T.WORD_HELP, order=90)


@dataclass
class ChooseDistrict(PostbackData, prefix="district"):
    key: str


def menu_actions(ctx: Context) -> list[dict]:
    """The main choices, as quick reply buttons (only features that exist are listed)."""
    return [message_action(item.label, item.text) for item in ctx.cache.get("menu", [])]


def help_handler(ctx: Context, reason: str) -> None:
    """Answers anything the bot did not understand with the main choices."""
    body = {"unknown": T.HELP_UNKNOWN, "non_text": T.HELP_NON_TEXT}.get(reason, T.HELP_INTRO)
    ctx.reply(text(body, menu_actions(ctx)))


def stale_handler(ctx: Context, reason: str) -> None:
    """Answers a button whose data is unknown, malformed or from an old message."""
    ctx.reply(text(T.STALE_BUTTON, menu_actions(ctx)))


@router.on_text(T.WORD_HELP)
def show_help(ctx: Context) -> None:
    ctx.reply(text(T.HELP_INTRO, menu_actions(ctx)))


@router.on_text(T.WORD_CANCEL, leaves_flow=False)
def cancel_outside_flow(ctx: Context) -> None:
    ctx.reply(text(T.NOTHING_TO_CANCEL, menu_actions(ctx)))


# ---- "ตั้งค่า": asks the district ---------------------------------------------------------------------------
def ask_district(ctx: Context, state: FlowState) -> None:
    options = [(name, ChooseDistrict(key).pack()) for key, name in DISTRICTS.items()]
    ctx.reply(
        text(f"{T.ASK_DISTRICT}\n({T.FLOW_CANCEL_HINT})"),
        district_picker(T.DISTRICT_CARD_TITLE, T.ASK_DISTRICT_ALT, options),
    )


def answer_district(ctx: Context, state: FlowState) -> str | None:
    key: str | None = None
    if ctx.postback_data is not None:
        try:
            key = ChooseDistrict.unpack(ctx.postback_data).key
        except MalformedPostback:
            key = None
    elif ctx.text is not None:
        key = find_district(ctx.text)
    if key not in DISTRICTS:
        shown = (ctx.text or "")[:40]
        ctx.reply(text(T.DISTRICT_NOT_FOUND.format(text=shown) if shown else T.ASK_DISTRICT))
        return None
    citizens.set_district(ctx.session, ctx.user_id, key, ctx.now)
    ctx.reply(text(T.DISTRICT_SAVED.format(district=district_name(key)), menu_actions(ctx)))
    return END


settings_flow = router.add_flow(Flow(
    "settings", T.SETTINGS_TITLE, [Step("district", ask_district, answer_district)],
    entry_words=(T.WORD_SETTINGS,), postbacks=(ChooseDistrict,),
))


# ---- staff console sign-in ------------------------------------------------------------------------------------
@router.on_text(T.WORD_STAFF_LOGIN)
def staff_login(ctx: Context) -> None:
    """Sends a staff member a one-time console sign-in link; everyone else is told it is staff-only."""
    admins = ctx.settings.ADMIN_LINE_USER_IDS
    if not staff.is_staff(ctx.session, ctx.user_id, admins):
        ctx.reply(text(T.STAFF_ONLY, menu_actions(ctx)))
        return
    token = staff.issue_login_token(ctx.session, ctx.user_id, ctx.now, admins)
    url = f"{ctx.settings.public_base_url}/console/login/{token}"
    ctx.reply(link_card(T.STAFF_LOGIN_ALT, T.STAFF_LOGIN_LINK, T.STAFF_LOGIN_BUTTON, url, T.STAFF_LOGIN_ALT))
