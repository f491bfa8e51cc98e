"""KK Digital Community: the app factory and the embedded default (`python app.py`)."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, jsonify
from sqlalchemy import event, text

from bot.dispatcher import Dispatcher
from bot.line_client import LineClient
from bot.router import Bot
from bot.runtime import Runtime
from bot.webhook import WebhookMiddleware
from bot.worker import EventWorker
from config import Config, ensure_secret_key
from models.db import Database
from models.migrate import upgrade

log = logging.getLogger("kk")

# waitress for `python app.py`. send_bytes=18000 (waitress 1.x's default; still accepted by the pinned 3.0.2, which
# defaults to 1 and calls the setting deprecated) lets a request thread leave the flush of a small answer to the main
# loop when it finishes. With 1, a py-spy profile showed the main loop spinning in HTTPChannel.writable/readable
# while request threads sent their own writes, and an acknowledgement cost about 6 ms of CPU instead of 0.7
# (190 against 1,500 per second; docs/BENCHMARKS.md). A waitress that drops the setting fails at start, loudly.
WEB_THREADS = 16
WEB_SEND_BYTES = 18000
EMULATOR_PREFIX = "/_line"
EMULATOR_SECRET = "kk-emulator-channel-secret"
EMULATOR_TOKEN = "kk-emulator-access-token"
SIMULATOR_ARCHIVE = "simulator.sqlite3"  # simulated users and their chats, under instance/


def _utcnow() -> datetime:
    return datetime.now(UTC)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Builds the app. `config` overrides the environment (tests pass a dict). No side effects at import."""
    settings = Config.load(config)
    app = Flask(__name__, instance_path=settings.INSTANCE_PATH, instance_relative_config=False)
    app.config["SECRET_KEY"] = ensure_secret_key(settings)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = settings.public_base_url.startswith("https://")
    app.config["MAX_CONTENT_LENGTH"] = 32 * 1024 * 1024
    app.config["TESTING"] = settings.TESTING
    app.json.ensure_ascii = False  # Thai stays readable in JSON

    clock = settings.extra.get("clock") or _utcnow
    # Senders touch the database only to record outcomes (one recorder thread) or on rare faults.
    db = Database(settings.database_url, pool_size=max(10, settings.WORKER_THREADS + 12))
    if settings.extra.get("MIGRATE", True):
        upgrade(db)

    emulator = None
    archive = None
    remote = False
    if settings.emulated:
        # No LINE channel configured: run LINE's stand-in inside this app and say so, never pretend.
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        from line_emulator.server import create_emulator_app
        from line_emulator.store import EmulatorStore

        # A command (manage.py) talks to the running app's emulator at HOST:PORT and keeps no LINE state itself.
        remote = bool(settings.extra.get("EMULATOR_REMOTE"))
        if not remote:
            from line_emulator.archive import ChatArchive

            archive = ChatArchive(Path(settings.INSTANCE_PATH) / SIMULATOR_ARCHIVE)
        emulator = EmulatorStore(EMULATOR_TOKEN, basic_id=settings.LINE_OA_ID, archive=archive)
        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {EMULATOR_PREFIX: create_emulator_app(emulator)})  # type: ignore[method-assign]
        base = f"{local_base_url(settings)}{EMULATOR_PREFIX}"
        settings = settings.with_(LINE_CHANNEL_SECRET=EMULATOR_SECRET, LINE_API_BASE_URL=base,
                                  LINE_DATA_API_BASE_URL=base)
        line = LineClient(EMULATOR_TOKEN, base, base, timeout=settings.LINE_TIMEOUT_SECONDS,
                          pool_size=settings.DISPATCHER_THREADS)
    else:
        line = LineClient(settings.LINE_CHANNEL_ACCESS_TOKEN, settings.LINE_API_BASE_URL,
                          settings.LINE_DATA_API_BASE_URL, timeout=settings.LINE_TIMEOUT_SECONDS,
                          pool_size=settings.DISPATCHER_THREADS)

    from handlers import all_routers, before_batch, help_handlers
    from services.errors import DomainError

    help_handler, stale_handler = help_handlers()
    bot = Bot(all_routers(), help_handler=help_handler, stale_handler=stale_handler, before_batch=before_batch(),
              polite_errors=(DomainError,))
    dispatcher = Dispatcher(db, line, clock, threads=settings.DISPATCHER_THREADS,
                            max_attempts=settings.OUTBOX_MAX_ATTEMPTS,
                            backoff_base=float(settings.extra.get("BACKOFF_BASE", 0.1)))
    worker = EventWorker(db, bot, line, settings, clock, threads=settings.WORKER_THREADS, batch=settings.EVENT_BATCH,
                         max_attempts=settings.EVENT_MAX_ATTEMPTS, deliver=dispatcher.deliver)
    rt = Runtime(settings=settings, db=db, clock=clock, line=line, bot=bot, worker=worker, dispatcher=dispatcher,
                 emulator=emulator)
    app.extensions["kk"] = rt

    @event.listens_for(db.sessions, "after_commit")
    def _wake_dispatcher(session) -> None:
        if session.info.pop("outbox_written", False):
            dispatcher.wake()

    @event.listens_for(db.sessions, "after_rollback")
    def _forget_outbox(session) -> None:
        session.info.pop("outbox_written", None)

    with db.transaction() as session:
        from services.staff import ensure_admins

        ensure_admins(session, settings.ADMIN_LINE_USER_IDS, clock())
    _wire_staff_menus(rt)
    if emulator is not None and not remote:
        _deploy_emulator_rich_menus(rt, emulator)

    # The webhook sits in front of Flask (and of the emulator mount): see bot/webhook.py.
    app.wsgi_app = WebhookMiddleware(app.wsgi_app, db, settings.LINE_CHANNEL_SECRET, clock, worker.wake)  # type: ignore[method-assign]
    _register_health(app, db, settings)
    _register_web(app)
    if emulator is not None:
        from line_emulator.simulator import create_simulator_blueprint

        make_admin, staff_roles = _simulator_staff(rt)
        callback = f"{local_base_url(settings)}/callback"
        app.register_blueprint(create_simulator_blueprint(emulator, settings.LINE_CHANNEL_SECRET, callback_url=callback,
                                                          make_admin=make_admin, staff_roles=staff_roles,
                                                          archive=archive))

    _start_roles(rt, settings)
    return app


def local_base_url(settings: Config) -> str:
    """How this machine reaches `python app.py` at HOST:PORT (a wildcard listening address means loopback)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(settings.HOST, settings.HOST)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{settings.PORT}"


def _deploy_emulator_rich_menus(rt: Runtime, emulator: Any) -> None:
    """Emulator mode: both rich menus exist, the citizens' one as default and the staff one linked to staff, before
    anyone follows (LINE keeps a channel's menus; the stand-in starts empty). This app's port is not listening
    yet, so a short-lived server of the same emulator takes the SDK's requests, checked exactly as LINE would."""
    from line_emulator.server import serve_emulator
    from services import richmenu

    server = serve_emulator(emulator)
    line = LineClient(EMULATOR_TOKEN, server.base_url, server.base_url, timeout=rt.settings.LINE_TIMEOUT_SECONDS,
                      pool_size=4)
    try:
        ids = richmenu.deploy_all(line)
        richmenu.sync_staff_links(rt.db, line, rt.clock(), rt.settings.ADMIN_LINE_USER_IDS, menu_id=ids["staff"],
                                  force=True)
    except Exception:  # noqa: BLE001 - the simulator still works without menus; say so in the log
        log.exception("emulator: could not deploy the rich menus")
    finally:
        line.close()
        server.shutdown()


def _wire_staff_menus(rt: Runtime) -> None:
    """A commit that changed staff rights (services.staff marks it) links or unlinks the staff rich menu at once,
    on a thread of its own after the commit, instead of at the scheduler's next scan (which stays the backstop).
    Only in processes that run workers: a command or a test drives the scan itself."""
    from services import richmenu
    from services.staff import STAFF_CHANGED

    state = {"running": False, "again": False}
    lock = threading.Lock()

    def run() -> None:
        while True:
            try:
                richmenu.sync_staff_links(rt.db, rt.line, rt.clock(), rt.settings.ADMIN_LINE_USER_IDS)
            except Exception:  # noqa: BLE001 - the scheduler's scan tries again
                log.warning("could not sync the staff rich menu now; the scheduled scan will")
            with lock:
                if not state["again"]:
                    state["running"] = False
                    return
                state["again"] = False

    @event.listens_for(rt.db.sessions, "after_commit")
    def _staff_changed(session) -> None:
        if not session.info.pop(STAFF_CHANGED, False) or not rt.settings.RUN_WORKERS:
            return
        with lock:
            if state["running"]:
                state["again"] = True
                return
            state["running"] = True
        threading.Thread(target=run, name="staff-menus", daemon=True).start()

    @event.listens_for(rt.db.sessions, "after_rollback")
    def _staff_unchanged(session) -> None:
        session.info.pop(STAFF_CHANGED, None)


def _simulator_staff(rt: Runtime) -> tuple[Any, Any]:
    """What the simulator may ask of the app: make a simulated user an admin, and who is staff."""
    from services.errors import DomainError
    from services.staff import grant_simulated_admin, roles_of

    admins = rt.settings.ADMIN_LINE_USER_IDS

    def make_admin(user_id: str, display_name: str) -> bool:
        try:
            with rt.db.transaction() as session:
                return grant_simulated_admin(session, user_id, rt.clock(), emulated=rt.emulator is not None,
                                             label=display_name, admin_ids=admins)
        except DomainError as exc:
            raise PermissionError(exc.message) from None

    def staff_roles(user_ids: list[str]) -> dict[str, str]:
        with rt.db.transaction() as session:
            return roles_of(session, user_ids, admins)

    return make_admin, staff_roles


def _register_health(app: Flask, db: Database, settings: Config) -> None:
    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any DB failure means not ready
            return jsonify(status="unavailable", database="unreachable"), 503
        return jsonify(status="ready", database=db.dialect, line="emulator" if settings.emulated else "line")


def _register_web(app: Flask) -> None:
    """Registers the web modules (console, public pages, REST API) in the order web.modules() lists them."""
    import web

    for module in web.modules():
        module.register(app)


def _start_roles(rt: Runtime, settings: Config) -> None:
    """Starts worker threads and the scheduler as configured. Under the Flask reloader only the child runs them."""
    if os.environ.get("FLASK_RUN_FROM_CLI") and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return
    rt.db.start_checkpointer()  # every role writes (the webhook too); see models/db.py
    if settings.RUN_WORKERS:
        rt.worker.start()
        rt.dispatcher.start()
    if settings.RUN_SCHEDULER:
        from scheduler.jobs import all_jobs
        from scheduler.runner import SchedulerRunner

        rt.scheduler = SchedulerRunner(rt, rt.db, all_jobs(), rt.clock, settings.INSTANCE_PATH)
        rt.scheduler.start()


def main() -> None:
    """`python app.py`: the whole product in one process, on SQLite unless DATABASE_URL says otherwise."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("apscheduler", "alembic", "waitress.queue"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings = Config.load()
    app = create_app()
    rt: Runtime = app.extensions["kk"]
    base = local_base_url(settings)
    print(f"KK Digital Community is running on {base}", flush=True)
    if rt.emulator is not None:
        print("ไม่ได้ตั้งค่า LINE channel: ใช้ตัวจำลอง LINE ภายในเครื่อง (not connected to LINE; using the built-in emulator)")
        print(f"Chat simulator / ทดลองแชต: {base}/simulator", flush=True)
    print(f"Staff console / หน้าเจ้าหน้าที่: {base}/console", flush=True)
    from waitress import serve

    try:
        serve(app, host=settings.HOST, port=settings.PORT, threads=WEB_THREADS,
              send_bytes=WEB_SEND_BYTES, ident="kk", _quiet=True)
    finally:
        rt.stop()


if __name__ == "__main__":
    sys.exit(main())
