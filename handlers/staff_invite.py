"""Staff invitations in chat: the text an admin's invitation link pre-fills ("รับสิทธิ์เจ้าหน้าที่ รหัส …") makes
its sender staff, once; used, expired, revoked or unknown codes get a polite answer."""

from __future__ import annotations

import re

from bot.context import Context
from bot.router import Router
from flex_templates.basic import message_action, text
from services import staff
from services.errors import DomainError
from texts import platform as platform_texts

router = Router("staff_invite")

_INVITE = re.compile(re.escape(platform_texts.WORD_STAFF_INVITE) + r"(?:\s*รหัส)?\s*[:：]?\s*(.*)", re.DOTALL)


@router.on_text(pattern=_INVITE.pattern)
def accept_invitation(ctx: Context) -> None:
    """Uses the invitation code in the message and welcomes the new staff member with how to open the console."""
    match = _INVITE.fullmatch(ctx.text or "")
    code_text = match.group(1).strip() if match else ""
    if not code_text or not ctx.user_id:
        ctx.reply(text(platform_texts.STAFF_INVITE_NO_CODE, ctx.menu_actions()))
        return
    try:
        result = staff.accept_invitation(ctx.session, ctx.user_id, code_text, ctx.now,
                                         ctx.settings.ADMIN_LINE_USER_IDS)
    except DomainError as exc:
        ctx.reply(text(exc.message, ctx.menu_actions()))
        return
    role = platform_texts.STAFF_INVITE_ROLE_NAMES.get(result.role, result.role)
    body = platform_texts.STAFF_INVITE_WELCOME if result.granted else platform_texts.STAFF_INVITE_ALREADY
    ctx.reply(text(body.format(role=role), [message_action(platform_texts.WORD_STAFF_LOGIN)]))
