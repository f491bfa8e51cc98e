"""A local LINE Platform: the Messaging API (api.line.me and api-data.line.me paths) over an EmulatorStore.

`create_emulator_app(store)` is a standalone Flask WSGI app with relative routes only, so the main app can
mount it under a prefix (werkzeug DispatcherMiddleware) and point `LINE_API_BASE_URL` and
`LINE_DATA_API_BASE_URL` at that prefix. `serve_emulator(store)` runs it on a real port for tests.

It answers the way LINE does: bearer token check (401), request bodies validated against messaging-api.yml
and LINE's limits (400 with `details`), single-use expiring reply tokens, `X-Line-Retry-Key` (UUID, not on
reply, a repeat within 24 h -> 409 + `x-line-accepted-request-id`), rate limits and monthly quota (429),
`x-line-request-id` on every answer. Deliveries are recorded in the store: push to the user, multicast to
each id, broadcast and narrowcast to every user who currently follows the account. Narrowcast recipient,
demographic filters and `limit` are validated but not emulated: a narrowcast reaches every follower and
its progress is "succeeded" at once. Blocked (unfollowed) users receive nothing and cost no quota.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from line_emulator.limits import check_limits
from line_emulator.schema import MessagingApiSpec, SchemaError, get_spec
from line_emulator.store import EmulatorStore, Fault, RecordedRequest, SendResult

__all__ = ["EmulatorServer", "create_emulator_app", "serve_emulator"]

log = logging.getLogger(__name__)

AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid."
RICH_MENU_IMAGE_MAX_BYTES = 1024 * 1024
RICH_MENU_IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_ALIAS_RE = re.compile(r"^[a-z0-9_-]{1,32}$")
_SEND_KINDS = ("reply", "push", "multicast", "broadcast", "narrowcast")


class _Answer(Exception):
    """Stops handling and answers `status` with a JSON body (LINE's error shape)."""

    def __init__(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _errors_answer(errors: list[SchemaError]) -> _Answer:
    return _Answer(400, {
        "message": f"The request body has {len(errors)} error(s)",
        "details": [error.as_detail() for error in errors],
    })


def _not_found(message: str = "Not found") -> _Answer:
    return _Answer(404, {"message": message})


def create_emulator_app(store: EmulatorStore, spec: MessagingApiSpec | None = None) -> Flask:
    """Returns a Flask app that behaves like the LINE Messaging API, backed by `store`."""
    spec = spec or get_spec()
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    app.extensions["line_emulator"] = store

    # --- cross-cutting: auth, faults, request ids, recording ------------------------------------------------

    @app.before_request
    def _authenticate_and_inject() -> Response | None:
        g.request_id = str(uuid.uuid4())
        g.body = None
        g.fault = None
        if request.headers.get("Authorization", "") != f"Bearer {store.channel_access_token}":
            return _json(401, {"message": AUTH_FAILED})
        fault = store.take_fault(request.path)
        if fault is None:
            return None
        if fault.accept:
            g.fault = fault
            return None
        if fault.delay:
            time.sleep(fault.delay)
        return _fault_response(fault) if fault.status is not None else None

    @app.after_request
    def _finish(response: Response) -> Response:
        fault = g.get("fault")
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status is not None:
                response = _fault_response(fault)
        response.headers["x-line-request-id"] = g.get("request_id") or str(uuid.uuid4())
        _record(response)
        return response

    def _record(response: Response) -> None:
        try:
            raw = request.get_data(cache=True)
        except HTTPException:  # e.g. a body over MAX_CONTENT_LENGTH
            raw = b""
        body = g.get("body")
        if body is None and raw and request.mimetype == "application/json":
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        answer = None
        if response.mimetype == "application/json":
            try:
                answer = json.loads(response.get_data())
            except ValueError:
                answer = None
        store.record_request(RecordedRequest(
            method=request.method, path=request.path,
            headers={name.lower(): value for name, value in request.headers.items()},
            body=body, status=response.status_code, response=answer, at=store.clock(), body_size=len(raw),
        ))

    @app.errorhandler(_Answer)
    def _answer(error: _Answer) -> Response:
        return _json(error.status, error.body, error.headers)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = "Not found" if status == 404 else HTTP_STATUS_CODES.get(status, "Error")
        return _json(status, {"message": message})

    @app.errorhandler(Exception)
    def _crash(error: Exception) -> Response:  # a bug in the emulator, never the client's fault
        log.exception("LINE emulator failed on %s %s", request.method, request.path)
        return _json(500, {"message": f"Emulator error: {type(error).__name__}"})

    # --- helpers ----------------------------------------------------------------------------------------------

    def json_body(required: bool = True) -> Any:
        raw = request.get_data(cache=True)
        if not raw:
            if required:
                raise _Answer(400, {"message": "The request body is required"})
            return None
        if request.mimetype != "application/json":
            raise _Answer(415, {"message": "Content-Type must be application/json"})
        try:
            body = json.loads(raw)
        except ValueError as exc:
            raise _Answer(400, {"message": f"The request body is not valid JSON: {exc}"}) from None
        g.body = body
        return body

    def validated(body: Any) -> Any:
        errors = spec.validate_request(request.method, request.path, body) + check_limits(request.path, body)
        if errors:
            raise _errors_answer(errors)
        return body

    def rate_limited(endpoint: str) -> None:
        if not store.allow(endpoint):
            raise _Answer(429, {"message": "Too Many Requests"})

    def known_menu(rich_menu_id: str) -> dict:
        menu = store.get_rich_menu(rich_menu_id)
        if menu is None:
            raise _not_found("richmenu not found")
        return menu

    def menu_with_image(rich_menu_id: str) -> dict:
        menu = known_menu(rich_menu_id)
        if store.rich_menu_image(rich_menu_id) is None:
            raise _Answer(400, {"message": "must upload richmenu image before applying it to user"})
        return menu

    def user_id_param(user_id: str) -> str:
        if not store.knows_user(user_id):
            raise _Answer(400, {"message": "The value for the 'userId' parameter is invalid"})
        return user_id

    def answer(result: SendResult) -> Response:
        return _json(result.status, result.body, result.headers)

    # --- sending ----------------------------------------------------------------------------------------------

    def send(kind: str) -> Response:
        body = json_body()
        retry_key = request.headers.get("X-Line-Retry-Key")
        if retry_key is not None:
            if kind == "reply":
                raise _Answer(400, {"message": "X-Line-Retry-Key is not supported for the reply message API"})
            if not _UUID_RE.match(retry_key):
                raise _Answer(400, {"message": "The X-Line-Retry-Key header must be a UUID "
                                               "such as 123e4567-e89b-12d3-a456-426614174000"})
        rate_limited(kind)
        validated(body)
        to: list[str] | None = None
        if kind == "push":
            if not store.knows_chat(body["to"]):
                raise _Answer(400, {"message": "The property, 'to', in the request body is invalid "
                                               "(line: -, column: -)"})
            to = [body["to"]]
        elif kind == "multicast":
            to = body["to"]
            bad = [SchemaError(f"to[{i}]", "Invalid user ID") for i in store.unknown_users(to)]
            if bad:
                raise _errors_answer(bad)
        return answer(store.send(kind, body["messages"], request_id=g.request_id, to=to,
                                 reply_token=body.get("replyToken"), retry_key=retry_key))

    for kind in _SEND_KINDS:
        app.add_url_rule(f"/v2/bot/message/{kind}", f"send_{kind}", lambda kind=kind: send(kind), methods=["POST"])

    @app.post("/v2/bot/message/validate/<kind>")
    def validate_messages(kind: str) -> Response:
        if kind not in _SEND_KINDS:
            raise _not_found()
        validated(json_body())
        return _json(200, {})

    @app.get("/v2/bot/message/progress/narrowcast")
    def narrowcast_progress() -> Response:
        request_id = request.args.get("requestId")
        if not request_id:
            raise _Answer(400, {"message": "The requestId parameter is required"})
        progress = store.narrowcast_progress(request_id)
        if progress is None:
            raise _not_found()
        return _json(200, progress)

    @app.get("/v2/bot/message/quota")
    def quota() -> Response:
        if store.quota_limit is None:
            return _json(200, {"type": "none"})
        return _json(200, {"type": "limited", "value": store.quota_limit})

    @app.get("/v2/bot/message/quota/consumption")
    def quota_consumption() -> Response:
        return _json(200, {"totalUsage": store.consumption()})

    @app.post("/v2/bot/chat/loading/start")
    def loading_start() -> Response:
        body = json_body()
        rate_limited("loading")
        validated(body)
        chat_id = body["chatId"]
        if not store.knows_user(chat_id):
            raise _Answer(400, {"message": "The value for the 'chatId' property is invalid"})
        store.start_loading(chat_id, body.get("loadingSeconds", 20))
        return _json(202, {})

    # --- users, bot, content ----------------------------------------------------------------------------------

    @app.get("/v2/bot/profile/<user_id>")
    def profile(user_id: str) -> Response:
        user = store.get_user(user_id)
        if user is None or not store.is_following(user_id):
            raise _not_found()
        return _json(200, user)

    @app.get("/v2/bot/followers/ids")
    def follower_ids() -> Response:
        try:
            limit = int(request.args.get("limit", 300))
            start = int(request.args.get("start", 0))
        except ValueError:
            raise _Answer(400, {"message": "Invalid limit or start parameter"}) from None
        if not 1 <= limit <= 1000 or start < 0:
            raise _Answer(400, {"message": "Invalid limit or start parameter"})
        ids = store.followers()
        page: dict[str, Any] = {"userIds": ids[start:start + limit]}
        if start + limit < len(ids):
            page["next"] = str(start + limit)
        return _json(200, page)

    @app.get("/v2/bot/info")
    def bot_info() -> Response:
        return _json(200, {
            "userId": store.bot_user_id, "basicId": store.basic_id, "displayName": store.display_name,
            "chatMode": "bot", "markAsReadMode": "auto",
        })

    @app.get("/v2/bot/message/<message_id>/content")
    def message_content(message_id: str) -> Response:
        content = store.content(message_id)
        if content is None:
            raise _not_found()
        data, content_type = content
        return Response(data, status=200, content_type=content_type)

    @app.get("/v2/bot/message/<message_id>/content/transcoding")
    def message_transcoding(message_id: str) -> Response:
        if store.content(message_id) is None:
            raise _not_found()
        return _json(200, {"status": "succeeded"})

    # --- rich menus -------------------------------------------------------------------------------------------

    @app.post("/v2/bot/richmenu")
    def create_rich_menu() -> Response:
        menu = validated(json_body())
        rich_menu_id = store.create_rich_menu(menu)
        if rich_menu_id is None:
            raise _Answer(400, {"message": "The maximum number of rich menus has been reached"})
        return _json(200, {"richMenuId": rich_menu_id})

    @app.post("/v2/bot/richmenu/validate")
    def validate_rich_menu() -> Response:
        validated(json_body())
        return _json(200, {})

    @app.get("/v2/bot/richmenu/list")
    def list_rich_menus() -> Response:
        return _json(200, {"richmenus": list(store.rich_menus().values())})

    @app.get("/v2/bot/richmenu/<rich_menu_id>")
    def get_rich_menu(rich_menu_id: str) -> Response:
        return _json(200, known_menu(rich_menu_id))

    @app.delete("/v2/bot/richmenu/<rich_menu_id>")
    def delete_rich_menu(rich_menu_id: str) -> Response:
        if not store.delete_rich_menu(rich_menu_id):
            raise _not_found("richmenu not found")
        return _json(200, {})

    @app.post("/v2/bot/richmenu/<rich_menu_id>/content")
    def upload_rich_menu_image(rich_menu_id: str) -> Response:
        menu = known_menu(rich_menu_id)
        data = request.get_data(cache=True)
        content_type = request.mimetype
        if content_type not in RICH_MENU_IMAGE_TYPES:
            raise _Answer(400, {"message": "The Content-Type must be image/jpeg or image/png"})
        if not data:
            raise _Answer(400, {"message": "The request body is required"})
        if len(data) > RICH_MENU_IMAGE_MAX_BYTES:
            raise _Answer(400, {"message": f"The image must be at most {RICH_MENU_IMAGE_MAX_BYTES:,} bytes"})
        if store.rich_menu_image(rich_menu_id) is not None:
            raise _Answer(400, {"message": "An image has already been uploaded to the richmenu"})
        width, height = _image_size(data, RICH_MENU_IMAGE_TYPES[content_type])
        expected = (menu["size"]["width"], menu["size"]["height"])
        if (width, height) != expected:
            raise _Answer(400, {"message": f"The image is {width}x{height} pixels; the rich menu is "
                                           f"{expected[0]}x{expected[1]}"})
        store.set_rich_menu_image(rich_menu_id, data, content_type)
        return _json(200, {})

    @app.get("/v2/bot/richmenu/<rich_menu_id>/content")
    def download_rich_menu_image(rich_menu_id: str) -> Response:
        known_menu(rich_menu_id)
        image = store.rich_menu_image(rich_menu_id)
        if image is None:
            raise _not_found()
        return Response(image[0], status=200, content_type=image[1])

    @app.post("/v2/bot/user/all/richmenu/<rich_menu_id>")
    def set_default_rich_menu(rich_menu_id: str) -> Response:
        menu_with_image(rich_menu_id)
        store.set_default_rich_menu(rich_menu_id)
        return _json(200, {})

    @app.get("/v2/bot/user/all/richmenu")
    def get_default_rich_menu() -> Response:
        if store.default_rich_menu_id is None:
            raise _not_found("no default richmenu")
        return _json(200, {"richMenuId": store.default_rich_menu_id})

    @app.delete("/v2/bot/user/all/richmenu")
    def cancel_default_rich_menu() -> Response:
        store.set_default_rich_menu(None)
        return _json(200, {})

    @app.post("/v2/bot/user/<user_id>/richmenu/<rich_menu_id>")
    def link_rich_menu(user_id: str, rich_menu_id: str) -> Response:
        user_id_param(user_id)
        menu_with_image(rich_menu_id)
        store.link_rich_menu(user_id, rich_menu_id)
        return _json(200, {})

    @app.get("/v2/bot/user/<user_id>/richmenu")
    def get_user_rich_menu(user_id: str) -> Response:
        rich_menu_id = store.user_rich_menu(user_id_param(user_id))
        if rich_menu_id is None:
            raise _not_found("the user has no richmenu")
        return _json(200, {"richMenuId": rich_menu_id})

    @app.delete("/v2/bot/user/<user_id>/richmenu")
    def unlink_rich_menu(user_id: str) -> Response:
        store.link_rich_menu(user_id_param(user_id), None)
        return _json(200, {})

    @app.post("/v2/bot/richmenu/bulk/link")
    def bulk_link() -> Response:
        body = validated(json_body())
        menu_with_image(body["richMenuId"])
        user_ids = [user_id_param(user_id) for user_id in body["userIds"]]  # all valid before any is linked
        for user_id in user_ids:
            store.link_rich_menu(user_id, body["richMenuId"])
        return _json(202, {})

    @app.post("/v2/bot/richmenu/bulk/unlink")
    def bulk_unlink() -> Response:
        body = validated(json_body())
        user_ids = [user_id_param(user_id) for user_id in body["userIds"]]
        for user_id in user_ids:
            store.link_rich_menu(user_id, None)
        return _json(202, {})

    @app.post("/v2/bot/richmenu/alias")
    def create_alias() -> Response:
        body = validated(json_body())
        known_menu(body["richMenuId"])
        if body["richMenuAliasId"] in store.rich_menu_aliases():
            raise _Answer(400, {"message": "conflict richmenu alias id"})
        store.set_rich_menu_alias(body["richMenuAliasId"], body["richMenuId"])
        return _json(200, {})

    @app.get("/v2/bot/richmenu/alias/list")
    def list_aliases() -> Response:
        aliases = [{"richMenuAliasId": a, "richMenuId": m} for a, m in store.rich_menu_aliases().items()]
        return _json(200, {"aliases": aliases})

    @app.get("/v2/bot/richmenu/alias/<alias_id>")
    def get_alias(alias_id: str) -> Response:
        rich_menu_id = store.rich_menu_aliases().get(alias_id)
        if rich_menu_id is None:
            raise _not_found("richmenu alias not found")
        return _json(200, {"richMenuAliasId": alias_id, "richMenuId": rich_menu_id})

    @app.post("/v2/bot/richmenu/alias/<alias_id>")
    def update_alias(alias_id: str) -> Response:
        body = validated(json_body())
        if alias_id not in store.rich_menu_aliases():
            raise _not_found("richmenu alias not found")
        known_menu(body["richMenuId"])
        store.set_rich_menu_alias(alias_id, body["richMenuId"])
        return _json(200, {})

    @app.delete("/v2/bot/richmenu/alias/<alias_id>")
    def delete_alias(alias_id: str) -> Response:
        if alias_id not in store.rich_menu_aliases():
            raise _not_found("richmenu alias not found")
        store.set_rich_menu_alias(alias_id, None)
        return _json(200, {})

    return app


def _fault_response(fault: Fault) -> Response:
    body = fault.body
    if body is None:
        body = {"message": "Too Many Requests" if fault.status == 429 else HTTP_STATUS_CODES.get(fault.status, "Error")}
    return _json(fault.status, body, fault.headers)


def _image_size(data: bytes, expected_format: str) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected_format:
                raise _Answer(400, {"message": f"The image is {image.format or 'unknown'}, not {expected_format} "
                                               "as the Content-Type says"})
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise _Answer(400, {"message": "The request body is not a readable JPEG or PNG image"}) from None


# --- a real server for tests and local runs ---------------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request (benchmarks send thousands)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class EmulatorServer:
    """The emulator listening on a local port in a daemon thread."""

    def __init__(self, server: BaseWSGIServer, store: EmulatorStore, app: Flask) -> None:
        self._server = server
        self.store = store
        self.app = app
        self.host = server.server_address[0]
        self.port: int = server.server_port
        self.base_url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"line-emulator:{self.port}", daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        """Stops serving and closes the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()


def serve_emulator(store: EmulatorStore, host: str = "127.0.0.1", port: int = 0,
                   spec: MessagingApiSpec | None = None) -> EmulatorServer:
    """Serves `create_emulator_app(store)` on host:port (0 = any free port) in a daemon thread."""
    app = create_emulator_app(store, spec)
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    return EmulatorServer(server, store, app)
