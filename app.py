"""KK Digital Community: the app factory and the embedded default (`python app.py`)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
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
    if settings.emulated:
        # No LINE channel configured: run LINE's stand-in inside this app and say so, never pretend.
        from werkzeug.middleware.dispatcher import DispatcherMiddleware

        from bot.emulator.server import create_emulator_app
        from bot.emulator.store import EmulatorStore

        emulator = EmulatorStore(EMULATOR_TOKEN, basic_id=settings.LINE_OA_ID)
        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {EMULATOR_PREFIX: create_emulator_app(emulator)})  # type: ignore[method-assign]
        base = f"http://{settings.HOST}:{settings.PORT}{EMULATOR_PREFIX}"
        settings = settings.with_(LINE_CHANNEL_SECRET=EMULATOR_SECRET, LINE_API_BASE_URL=base,
                                  LINE_DATA_API_BASE_URL=base)
        line = LineClient(EMULATOR_TOKEN, base, base, timeout=settings.LINE_TIMEOUT_SECONDS,
                          pool_size=settings.DISPATCHER_THREADS)
    else:
        line = LineClient(settings.LINE_CHANNEL_ACCESS_TOKEN, settings.LINE_API_BASE_URL,
                          settings.LINE_DATA_API_BASE_URL, timeout=settings.LINE_TIMEOUT_SECONDS,
                          pool_size=settings.DISPATCHER_THREADS)

    from handlers import all_routers, before_batch, help_handlers

    help_handler, stale_handler = help_handlers()
    bot = Bot(all_routers(), help_handler=help_handler, stale_handler=stale_handler, before_batch=before_batch())
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

    # The webhook sits in front of Flask (and of the emulator mount): see bot/webhook.py.
    app.wsgi_app = WebhookMiddleware(app.wsgi_app, db, settings.LINE_CHANNEL_SECRET, clock, worker.wake)  # type: ignore[method-assign]
    _register_health(app, db, settings)
    _register_web(app)
    if emulator is not None:
        from bot.simulator import create_simulator_blueprint

        callback = f"http://{settings.HOST}:{settings.PORT}/callback"
        app.register_blueprint(create_simulator_blueprint(emulator, settings.LINE_CHANNEL_SECRET, callback_url=callback))

    _start_roles(rt, settings)
    return app


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
    """Registers every web module (console, public pages, REST API): each module in web/ with `register(app)`."""
    import importlib
    import pkgutil

    import web

    modules = [importlib.import_module(f"web.{info.name}") for info in pkgutil.iter_modules(web.__path__)]
    # The API registry must exist before features add resources to it; then everything else in name order.
    modules.sort(key=lambda m: (getattr(m, "REGISTER_ORDER", 100), m.__name__))
    for module in modules:
        register = getattr(module, "register", None)
        if callable(register):
            register(app)


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
    base = f"http://{settings.HOST}:{settings.PORT}"
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
