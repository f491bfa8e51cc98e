"""Platform conversation: help, the cancel word and staff console sign-in.

Follow and unfollow are handled by handlers/citizens.py (onboarding with the privacy notice), and so is the word
"ตั้งค่า": it walks the profile editor's own flow (district and interests). Its menu button is listed here."""

from __future__ import annotations

from bot.context import Context
from bot.router import Router
from flex_templates.basic import text
from flex_templates.platform import link_card
from services import staff
from texts import platform as platform_texts

router = Router("platform")
router.menu_item(platform_texts.WORD_SETTINGS, order=70)
router.menu_item(platform_texts.WORD_HELP, order=90)



def help_handler(ctx: Context, reason: str) -> None:
    """Answers anything the bot did not understand with the main choices."""
    body = {"unknown": platform_texts.HELP_UNKNOWN,
            "non_text": platform_texts.HELP_NON_TEXT}.get(reason, platform_texts.HELP_INTRO)
    ctx.reply(text(body, ctx.menu_actions()))


def stale_handler(ctx: Context, reason: str) -> None:
    """Answers a button whose data is unknown, malformed or from an old message."""
    ctx.reply(text(platform_texts.STALE_BUTTON, ctx.menu_actions()))


@router.on_text(platform_texts.WORD_HELP)
def show_help(ctx: Context) -> None:
    ctx.reply(text(platform_texts.HELP_INTRO, ctx.menu_actions()))


@router.on_text(platform_texts.WORD_CANCEL, leaves_flow=False)
def cancel_outside_flow(ctx: Context) -> None:
    ctx.reply(text(platform_texts.NOTHING_TO_CANCEL, ctx.menu_actions()))


# ---- staff console sign-in ------------------------------------------------------------------------------------
@router.on_text(platform_texts.WORD_STAFF_LOGIN)
def staff_login(ctx: Context) -> None:
    """Sends a staff member a one-time console sign-in link; everyone else is told it is staff-only."""
    admins = ctx.settings.ADMIN_LINE_USER_IDS
    if not staff.may_sign_in(ctx.session, ctx.user_id, admins):
        ctx.reply(text(platform_texts.STAFF_ONLY, ctx.menu_actions()))
        return
    token = staff.issue_login_token(ctx.session, ctx.user_id, ctx.now, admins)
    url = f"{ctx.settings.public_base_url}/console/login/{token}"
    ctx.reply(link_card(platform_texts.STAFF_LOGIN_ALT, platform_texts.STAFF_LOGIN_LINK,
                        platform_texts.STAFF_LOGIN_BUTTON, url, platform_texts.STAFF_LOGIN_ALT))
