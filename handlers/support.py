"""A person to talk to: "ติดต่อเจ้าหน้าที่" opens a case, "จบการสนทนา" ends it; while it is open the bot stays quiet.

The router has the lowest order, so its fallback sees an unmatched message before catalog search and the help
answer: free text, photos, locations and stickers of a person with an active case go to the staff inbox. Menu words
and buttons still work (text routes and postbacks are matched before fallbacks).
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.context import Context
from bot.router import Router
from flex_templates.basic import camera_roll_action, location_action, message_action, text
from services import images, support
from texts import support as support_texts

router = Router("support")
router.menu_item(support_texts.WORD_CONTACT, order=85)

MAX_LOCATION_TEXT = 500


def _case_buttons() -> list[dict]:
    return [camera_roll_action(support_texts.LABEL_SEND_PHOTO), location_action(support_texts.LABEL_SEND_LOCATION),
            message_action(support_texts.WORD_END)]


@router.on_text(support_texts.WORD_CONTACT)
def contact_staff(ctx: Context) -> None:
    """Opens a case (or reminds the person that theirs is open) and says how to talk to staff."""
    inbox = f"{ctx.settings.public_base_url.rstrip('/')}/console/inbox"
    name = None
    if ctx.user_id and support.active_case(ctx.session, ctx.user_id) is None:
        try:  # the LINE name lets staff tell threads apart; the case opens without it if LINE does not answer
            name = (ctx.line.get_profile(ctx.user_id) or {}).get("displayName")
        except Exception:  # noqa: BLE001
            name = None
    _, opened = support.open_case(ctx.session, ctx.user_id or "", ctx.now, inbox, display_name=name)
    ctx.reply(text(support_texts.OPENED if opened else support_texts.ALREADY_OPEN, _case_buttons()))


@router.on_text(support_texts.WORD_END)
def end_conversation(ctx: Context) -> None:
    """Closes the person's case; the bot answers them again."""
    case = support.end_by_citizen(ctx.session, ctx.user_id or "", ctx.now)
    ctx.reply(text(support_texts.ENDED if case is not None else support_texts.NOTHING_TO_END, ctx.menu_actions()))


def _sent_at(ctx: Context) -> datetime:
    """When LINE received the message: the reply token's minute counts from then, not from when we handle it."""
    stamp = ctx.event.get("timestamp")
    if isinstance(stamp, int) and not isinstance(stamp, bool) and 0 < stamp < 2**53:
        try:
            return min(datetime.fromtimestamp(stamp / 1000, UTC), ctx.now)
        except (OverflowError, OSError, ValueError):
            pass
    return ctx.now


def _incoming(ctx: Context) -> support.Incoming:
    message = ctx.message
    kind = ctx.message_type
    if kind == "text":
        return support.Incoming("text", ctx.text or "")
    if kind == "location":
        parts = [str(message.get(key) or "")[:MAX_LOCATION_TEXT] for key in ("title", "address")]
        lat, lng = message.get("latitude"), message.get("longitude")
        ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lng))
        ok = ok and -90 <= float(lat) <= 90 and -180 <= float(lng) <= 180
        return support.Incoming("location", "\n".join(p for p in parts if p),
                                latitude=float(lat) if ok else None, longitude=float(lng) if ok else None)
    if kind == "sticker":
        return support.Incoming("sticker")
    if kind == "file":
        return support.Incoming("other", str(message.get("fileName") or "")[:200])
    return support.Incoming("other")


@router.fallback
def message_for_staff(ctx: Context) -> bool:
    """Keeps an unmatched message of a person with an active case for staff, and answers nothing."""
    if not ctx.user_id or ctx.event_type != "message":
        return False
    case = support.active_case(ctx.session, ctx.user_id)
    if case is None:
        return False
    event_id = ctx.event.get("webhookEventId")
    keep = dict(webhook_event_id=event_id if isinstance(event_id, str) else None,
                reply_token=ctx.event.get("replyToken") if isinstance(ctx.event.get("replyToken"), str) else None,
                sent_at=_sent_at(ctx))
    if ctx.message_type == "image":
        try:
            data = ctx.message_content(images.MAX_BYTES)
            with ctx.session.begin_nested():
                support.record_message(ctx.session, case, support.Incoming("image", image_data=data), ctx.now, **keep)
            return True
        except Exception:  # noqa: BLE001 - content gone or unreadable: staff still see a photo came
            support.record_message(ctx.session, case, support.Incoming("image"), ctx.now,
                                   **{**keep, "reply_token": None})
            ctx.reply(text(support_texts.PHOTO_NOT_KEPT, _case_buttons()))
            return True
    support.record_message(ctx.session, case, _incoming(ctx), ctx.now, **keep)
    return True
