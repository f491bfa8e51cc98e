"""The running pieces of one app instance, reachable from Flask as current_app.extensions["kk"]."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app

from bot.dispatcher import Dispatcher
from bot.line_client import LineClient
from bot.router import Bot
from bot.worker import EventWorker
from models.db import Database


@dataclass
class Runtime:
    settings: Any  # config.Config
    db: Database
    clock: Callable[[], datetime]
    line: LineClient
    bot: Bot
    worker: EventWorker
    dispatcher: Dispatcher
    emulator: Any = None  # line_emulator.store.EmulatorStore in the embedded default
    scheduler: Any = None  # scheduler.runner.SchedulerRunner when this process may lead

    def now(self) -> datetime:
        return self.clock()

    def process_pending(self) -> None:
        """Handles every due event and sends every due message, in the calling thread (tests, commands)."""
        for _ in range(100):
            handled = self.worker.run_until_idle()
            self.dispatcher.run_until_idle()
            if handled == 0:
                return

    def stop(self) -> None:
        self.worker.stop()
        self.dispatcher.stop()
        self.line.close()
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.emulator is not None and hasattr(self.emulator, "close"):
            self.emulator.close()  # its archive: simulated users and chats are kept for the next start
        self.db.stop_checkpointer()


def runtime() -> Runtime:
    """The Runtime of the current Flask app."""
    return current_app.extensions["kk"]
