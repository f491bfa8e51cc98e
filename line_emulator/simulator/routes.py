"""The /simulator blueprint: the chat page and its JSON API, which turn what the person does into signed webhook
events POSTed to the bot's /callback and merge both sides of the chat into one timeline."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import requests
from flask import Blueprint, Response, abort, jsonify, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from line_emulator.events import (
    encode,
    envelope,
    follow_event,
    image_event,
    location_event,
    postback_event,
    sign,
    text_event,
    unfollow_event,
)
from line_emulator.simulator.inputs import (
    CURSOR,
    USER_ID,
    BadInput,
    checked_params,
    coordinate,
    image_type,
    json_body,
    optional_str,
    utf16_len,
)
from line_emulator.simulator.sent_log import SentLog
from line_emulator.simulator.texts import (
    MAX_DISPLAY_NAME,
    MAX_DISPLAY_TEXT,
    MAX_IMAGE_BYTES,
    MAX_PLACE_TEXT,
    MAX_POSTBACK_DATA,
    MAX_TEXT_UTF16,
    OA_NAME,
    PLACES,
    TEXTS,
)

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
WEBHOOK_TIMEOUT_SECONDS = 10

MakeAdmin = Callable[[str, str], bool]
"""(user id, display name) -> True if that user became an admin of the app, False if they already were; raises
PermissionError with a Thai message when the app refuses."""
StaffRoles = Callable[[list[str]], dict[str, str]]
"""user ids -> {user id: "admin" | "staff"} for those who are staff of the app."""


class SimulatorStore(Protocol):
    """The part of line_emulator.store.EmulatorStore the simulator uses."""

    def add_user(self, display_name: str, user_id: str | None = None, picture_url: str | None = None,
                 language: str = "th", *, following: bool = True) -> dict: ...
    def get_user(self, user_id: str) -> dict | None: ...
    def list_users(self) -> list[dict]: ...
    def set_following(self, user_id: str, following: bool) -> None: ...
    def issue_reply_token(self, user_id: str) -> str: ...
    def add_content(self, data: bytes, content_type: str) -> str: ...
    def deliveries(self, user_id: str | None = None, since: int = 0) -> list[Any]: ...
    def last_seq(self) -> int: ...
    def rich_menus(self) -> dict[str, dict]: ...
    def user_rich_menu(self, user_id: str) -> str | None: ...
    def rich_menu_image(self, rich_menu_id: str) -> tuple[bytes, str] | None: ...


def _public_user(user: dict, sent: SentLog, roles: dict[str, str] | None = None) -> dict:
    return {
        "userId": user.get("userId"),
        "displayName": user.get("displayName"),
        "pictureUrl": user.get("pictureUrl"),
        "following": bool(user.get("following", False)),
        "blocked": sent.blocked(user.get("userId", "")),
        "role": (roles or {}).get(user.get("userId", "")),
    }


def _delivery_items(deliveries: list[Any]) -> list[dict]:
    items = []
    for d in deliveries:
        for i, message in enumerate(d.messages or []):
            items.append({
                "id": f"d{d.seq}.{i}",
                "from": "bot",
                "key": [d.seq, 0, i],
                "at": d.at,
                "via": d.via,
                "message": message,
            })
    return items


def _default_rich_menu_id(store: SimulatorStore) -> str | None:
    value = getattr(store, "default_rich_menu_id", None)
    return value() if callable(value) else value


def _loading(store: SimulatorStore, user_id: str) -> bool:
    """True while the bot shows this user LINE's loading animation (if the store records it)."""
    loading_until = getattr(store, "loading_until", None)
    return bool(loading_until and loading_until(user_id) is not None)


def _font_path(weight: int) -> Path | None:
    """Sarabun from the installed fontpkg-sarabun package, so Thai renders even on machines without Thai fonts."""
    try:
        import fontpkg

        return Path(fontpkg.path("Sarabun", weight))
    except Exception:  # package missing or family not installed: the page falls back to system fonts
        return None


def create_simulator_blueprint(store: SimulatorStore, channel_secret: str, callback_url: str | None = None, *,
                               make_admin: MakeAdmin | None = None, staff_roles: StaffRoles | None = None,
                               archive: Any = None) -> Blueprint:
    """Returns the /simulator blueprint that plays a LINE user against the bot's real webhook.

    `callback_url` None means the same server's `/callback`, derived from each request's host URL; the server
    must therefore handle requests concurrently (the simulator's POST to /callback arrives while its own
    request is still open). `make_admin` (emulator mode only) backs "ทำให้เป็นผู้ดูแล"; without it the route
    refuses. `staff_roles` lets the user list say who is staff. `archive` keeps what users sent across restarts.
    """
    bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates",
                   static_folder="static", static_url_path="/static")
    sent = SentLog(archive=archive)

    def roles_of(user_ids: list[str]) -> dict[str, str]:
        if staff_roles is None or not user_ids:
            return {}
        try:
            return staff_roles(user_ids)
        except Exception:  # noqa: BLE001 - the list still shows without the tags
            log.warning("simulator: staff roles unavailable")
            return {}

    def webhook_url() -> str:
        return callback_url or request.host_url.rstrip("/") + "/callback"

    def post_events(events: list[dict]) -> str | None:
        """Signs and POSTs events to the webhook; returns a Thai error, or None when the bot accepted them."""
        body = encode(envelope(events))
        url = webhook_url()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "LineBotWebhook/2.0",
            "x-line-signature": sign(body, channel_secret),
        }
        try:
            response = requests.post(url, data=body, headers=headers, timeout=WEBHOOK_TIMEOUT_SECONDS)
        except requests.RequestException as exc:
            log.warning("simulator: webhook %s unreachable: %s", url, type(exc).__name__)
            return TEXTS["webhook_unreachable"].format(url=url)
        if not 200 <= response.status_code < 300:
            log.warning("simulator: webhook %s answered %s", url, response.status_code)
            return TEXTS["webhook_status"].format(status=response.status_code)
        return None

    def effective_menu(user_id: str) -> str | None:
        base = store.user_rich_menu(user_id) or _default_rich_menu_id(store)
        switched = sent.switched_menu(user_id, base)
        return switched if switched and switched in store.rich_menus() else base

    def user_or_404(user_id: str) -> dict:
        user = store.get_user(user_id) if USER_ID.match(user_id or "") else None
        if user is None:
            raise BadInput("no_user", 404)
        return user

    def is_following(user_id: str) -> bool:
        if hasattr(store, "is_following"):
            return bool(store.is_following(user_id))
        return any(u.get("userId") == user_id and u.get("following") for u in store.list_users())

    def require_friend(user_id: str) -> None:
        user_or_404(user_id)
        if not is_following(user_id):
            raise BadInput("not_friend", 409)

    def send_as_user(user_id: str, event: dict, shown: dict | None) -> tuple[Response, int]:
        """Posts one event; `shown` is what appears as the user's bubble (None for a silent postback)."""
        item = sent.add(user_id, shown, store.last_seq()) if shown is not None else None
        error = post_events([event])
        if item is not None:
            sent.set_status(item, "failed" if error else "sent", error, user_id)
        shown_item = {k: v for k, v in item.items() if k != "n"} if item else None
        payload: dict[str, Any] = {"ok": error is None, "item": shown_item}
        if error:
            payload["error"] = f"{TEXTS['webhook_failed']}: {error}"
            return jsonify(payload), 502
        return jsonify(payload), 200

    @bp.errorhandler(BadInput)
    def bad_input(exc: BadInput) -> tuple[Response, int]:
        return jsonify({"ok": False, "error": exc.message}), exc.status

    @bp.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int]:
        key = {404: "not_found", 405: "method", 413: "image_too_big"}.get(exc.code or 400, "bad_json")
        return jsonify({"ok": False, "error": TEXTS[key]}), exc.code or 400

    @bp.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response, int]:
        log.exception("simulator: unexpected error")
        return jsonify({"ok": False, "error": TEXTS["internal"]}), 500

    @bp.get("", strict_slashes=False)
    def index() -> str:
        """Serves the chat page."""
        static = HERE / "static"
        version = int(max((p.stat().st_mtime for p in static.glob("*.*")), default=0))
        return render_template("simulator/index.html", oa_name=OA_NAME, version=version, places=PLACES,
                               can_make_admin=make_admin is not None)

    @bp.get("/fonts/sarabun-<int:weight>.ttf")
    def font(weight: int) -> Response:
        if weight not in (400, 700):
            abort(404)
        path = _font_path(weight)
        if path is None or not path.is_file():
            abort(404)
        return send_file(path, mimetype="font/ttf", max_age=86400)

    @bp.get("/api/users")
    def list_users() -> Response:
        """Lists every simulated user with whether they follow the account."""
        users = store.list_users()
        roles = roles_of([u["userId"] for u in users])
        return jsonify({"users": [_public_user(u, sent, roles) for u in users],
                        "canMakeAdmin": make_admin is not None})

    @bp.post("/api/users")
    def create_user() -> tuple[Response, int]:
        """Creates a user from {"displayName", "pictureUrl"?, "userId"?}; they are not a friend yet."""
        body = json_body()
        name = optional_str(body, "displayName")
        name = (name or "").strip()
        if not name:
            raise BadInput("name_required")
        if len(name) > MAX_DISPLAY_NAME:
            raise BadInput("name_too_long")
        picture = optional_str(body, "pictureUrl")
        picture = (picture or "").strip() or None
        if picture is not None and (not re.match(r"^https?://", picture) or len(picture) > 2000):
            raise BadInput("bad_picture")
        user_id = optional_str(body, "userId")
        if user_id is not None:
            if not USER_ID.match(user_id):
                raise BadInput("bad_user_id")
            if store.get_user(user_id) is not None:
                raise BadInput("user_exists", 409)
        try:  # a new user has not added the account yet: the page's "เพิ่มเพื่อน" sends the follow event
            user = store.add_user(name, user_id=user_id, picture_url=picture, following=False)
        except TypeError:  # a store without the keyword
            user = store.add_user(name, user_id=user_id, picture_url=picture)
            store.set_following(user["userId"], False)
        user = dict(user, following=is_following(user["userId"]))
        return jsonify({"ok": True, "user": _public_user(user, sent)}), 201

    @bp.get("/api/users/<user_id>")
    def get_user(user_id: str) -> Response:
        user = user_or_404(user_id)
        return jsonify({"user": _public_user(dict(user, following=is_following(user_id)), sent, roles_of([user_id]))})

    @bp.post("/api/users/<user_id>/make-admin")
    def make_user_admin(user_id: str) -> tuple[Response, int]:
        """Makes this simulated user an admin of the app (emulator mode only: app wiring hands in `make_admin`)."""
        if make_admin is None:
            raise BadInput("admin_unavailable", 403)
        user = user_or_404(user_id)
        name = user.get("displayName") or user_id
        try:
            made = make_admin(user_id, name)
        except PermissionError as exc:
            return jsonify({"ok": False, "error": str(exc) or TEXTS["admin_unavailable"]}), 403
        message = TEXTS["admin_done" if made else "admin_already"].format(name=name)
        public = _public_user(dict(user, following=is_following(user_id)), sent, roles_of([user_id]))
        return jsonify({"ok": True, "made": bool(made), "message": message, "user": public}), 200

    @bp.post("/api/users/<user_id>/follow")
    def follow(user_id: str) -> tuple[Response, int]:
        """Adds the account as a friend (a re-follow after blocking says isUnblocked=true)."""
        user_or_404(user_id)
        if is_following(user_id):
            raise BadInput("already_friend", 409)
        unblocked = sent.blocked(user_id)
        store.set_following(user_id, True)
        sent.set_blocked(user_id, False)
        error = post_events([follow_event(user_id, store.issue_reply_token(user_id), unblocked=unblocked)])
        if error:
            return jsonify({"ok": False, "error": f"{TEXTS['webhook_failed']}: {error}", "following": True}), 502
        return jsonify({"ok": True, "following": True}), 200

    @bp.post("/api/users/<user_id>/unfollow")
    def unfollow(user_id: str) -> tuple[Response, int]:
        """Blocks the account: the bot gets an unfollow event and can no longer send to this user."""
        require_friend(user_id)
        store.set_following(user_id, False)
        sent.set_blocked(user_id, True)
        error = post_events([unfollow_event(user_id)])
        if error:
            return jsonify({"ok": False, "error": f"{TEXTS['webhook_failed']}: {error}", "following": False}), 502
        return jsonify({"ok": True, "following": False}), 200

    @bp.post("/api/users/<user_id>/text")
    def send_text(user_id: str) -> tuple[Response, int]:
        """Sends {"text"} as the user's text message."""
        body = json_body()
        text = optional_str(body, "text")
        if text is None or not text.strip():
            raise BadInput("text_required")
        if utf16_len(text) > MAX_TEXT_UTF16:
            raise BadInput("text_too_long")
        require_friend(user_id)
        event = text_event(user_id, text, store.issue_reply_token(user_id))
        return send_as_user(user_id, event, {"type": "text", "text": text})

    @bp.post("/api/users/<user_id>/postback")
    def send_postback(user_id: str) -> tuple[Response, int]:
        """Sends a postback {"data", "displayText"?, "params"?}; displayText shows as the user's bubble."""
        body = json_body()
        data = optional_str(body, "data")
        if data is None or len(data) > MAX_POSTBACK_DATA:
            raise BadInput("data_required")
        display = optional_str(body, "displayText")
        if display is not None and not 1 <= len(display) <= MAX_DISPLAY_TEXT:
            raise BadInput("display_text_bad")
        params = checked_params(body.get("params"))
        require_friend(user_id)
        event = postback_event(user_id, data, store.issue_reply_token(user_id), params=params)
        return send_as_user(user_id, event, {"type": "text", "text": display} if display else None)

    @bp.post("/api/users/<user_id>/richmenuswitch")
    def switch_rich_menu(user_id: str) -> tuple[Response, int]:
        """Taps a richmenuswitch action {"richMenuAliasId", "data"}: switches the menu, then a postback."""
        body = json_body()
        alias = optional_str(body, "richMenuAliasId")
        data = optional_str(body, "data")
        if not alias or len(alias) > 32:
            raise BadInput("alias_bad")
        if data is None or len(data) > MAX_POSTBACK_DATA:
            raise BadInput("data_required")
        require_friend(user_id)
        aliases = store.rich_menu_aliases() if hasattr(store, "rich_menu_aliases") else {}
        menu_id = aliases.get(alias)
        if menu_id and menu_id in store.rich_menus():
            sent.switch_menu(user_id, menu_id, store.user_rich_menu(user_id) or _default_rich_menu_id(store))
            status = "SUCCESS"
        else:
            status = "RICHMENU_ALIAS_ID_NOTFOUND"
        params = {"newRichMenuAliasId": alias, "status": status}
        event = postback_event(user_id, data, store.issue_reply_token(user_id), params=params)
        return send_as_user(user_id, event, None)

    @bp.post("/api/users/<user_id>/location")
    def send_location(user_id: str) -> tuple[Response, int]:
        """Shares a place {"title"?, "address"?, "latitude", "longitude"} as LINE's location message."""
        body = json_body()
        latitude = coordinate(body.get("latitude"), 90)
        longitude = coordinate(body.get("longitude"), 180)
        title, address = optional_str(body, "title"), optional_str(body, "address")
        for value in (title, address):
            if value is not None and len(value) > MAX_PLACE_TEXT:
                raise BadInput("location_text_bad")
        title, address = (title or "").strip() or None, (address or "").strip() or None
        require_friend(user_id)
        event = location_event(user_id, latitude, longitude, store.issue_reply_token(user_id), title=title,
                               address=address)
        shown = {k: v for k, v in event["message"].items() if k != "id"}
        return send_as_user(user_id, event, shown)

    @bp.post("/api/users/<user_id>/image")
    def send_image(user_id: str) -> tuple[Response, int]:
        """Sends a photo (multipart field "image"): stored as message content, then an image event."""
        try:
            upload = request.files.get("image")
        except RequestEntityTooLarge:
            raise BadInput("image_too_big", 413) from None
        if upload is None:
            raise BadInput("image_required")
        data = upload.stream.read(MAX_IMAGE_BYTES + 1)
        if not data:
            raise BadInput("image_required")
        if len(data) > MAX_IMAGE_BYTES:
            raise BadInput("image_too_big", 413)
        content_type = image_type(data)
        if content_type is None:
            raise BadInput("image_type")
        require_friend(user_id)
        message_id = store.add_content(data, content_type)
        url = url_for("simulator.uploaded", upload_id=sent.add_upload(data, content_type))
        event = image_event(user_id, message_id, store.issue_reply_token(user_id))
        shown = {"type": "image", "originalContentUrl": url, "previewImageUrl": url}
        return send_as_user(user_id, event, shown)

    @bp.get("/api/uploads/<upload_id>")
    def uploaded(upload_id: str) -> Response:
        found = sent.upload(upload_id)
        if found is None:
            raise BadInput("no_image", 404)
        data, content_type = found
        return Response(data, mimetype=content_type, headers={"Cache-Control": "private, max-age=3600"})

    @bp.get("/api/users/<user_id>/timeline")
    def timeline(user_id: str) -> Response:
        """Both sides of the chat after `cursor` ("<delivery seq>-<sent n>", "0-0" = from the start)."""
        match = CURSOR.match(request.args.get("cursor", "0-0"))
        if not match:
            raise BadInput("bad_cursor")
        since_seq, since_n = int(match.group(1)), int(match.group(2))
        user_or_404(user_id)
        # Read our own log first: anything the user sends after this read carries an after_seq at least as
        # large as every delivery read below, so the page never has to move an item it already showed.
        mine = sent.since(user_id, since_n)
        theirs = store.deliveries(user_id, since_seq)
        items = sorted(_delivery_items(theirs) + mine, key=lambda item: item["key"])
        next_seq = max([since_seq] + [d.seq for d in theirs])
        next_n = max([since_n] + [e["n"] for e in mine])
        for item in mine:
            item.pop("n", None)
        return jsonify({
            "items": items,
            "cursor": f"{next_seq}-{next_n}",
            "following": is_following(user_id),
            "blocked": sent.blocked(user_id),
            "richMenuId": effective_menu(user_id),
            "loading": _loading(store, user_id),
        })

    @bp.get("/api/users/<user_id>/richmenu")
    def rich_menu(user_id: str) -> Response:
        """The rich menu this user sees (their own link, else the default) with its image URL and areas."""
        user_or_404(user_id)
        menu_id = effective_menu(user_id)
        menu = store.rich_menus().get(menu_id) if menu_id else None
        if not menu:
            return jsonify({"richMenu": None})
        has_image = store.rich_menu_image(menu_id) is not None
        return jsonify({"richMenu": {
            "richMenuId": menu_id,
            "size": menu.get("size") or {"width": 2500, "height": 1686},
            "selected": bool(menu.get("selected", False)),
            "name": menu.get("name", ""),
            "chatBarText": menu.get("chatBarText") or "เมนู",
            "areas": menu.get("areas") or [],
            "imageUrl": url_for("simulator.rich_menu_image", rich_menu_id=menu_id) if has_image else None,
        }})

    @bp.get("/api/richmenus/<rich_menu_id>/image")
    def rich_menu_image(rich_menu_id: str) -> Response:
        found = store.rich_menu_image(rich_menu_id)
        if found is None:
            raise BadInput("no_image", 404)
        data, content_type = found
        return Response(data, mimetype=content_type, headers={"Cache-Control": "no-cache"})

    return bp
