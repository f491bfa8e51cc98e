"""The thread loop the event workers and the outbox dispatcher share, written once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

IDLE_WAIT = 0.5  # seconds a loop sleeps when a round found nothing, unless woken (a commit that wrote work wakes it)
ERROR_WAIT = 1.0  # after an error (e.g. the database restarting), before the next round


def poll_until_stopped(stop: threading.Event, wake: threading.Event, do_round: Callable[[], int], what: str, *,
                       after_work: Callable[[int], None] | None = None) -> None:
    """Runs `do_round` until `stop` is set. A round returns how much it did: 0 sleeps until woken (or IDLE_WAIT);
    anything else runs `after_work(done)` (if given) and goes again. An error is logged and never ends the thread."""
    while not stop.is_set():
        try:
            done = do_round()
        except Exception:  # noqa: BLE001 - e.g. the DB restarting; keep the thread alive
            log.exception("%s loop error", what)
            done = 0
            stop.wait(ERROR_WAIT)
        if done == 0:
            wake.wait(IDLE_WAIT)
            wake.clear()
        elif after_work is not None:
            after_work(done)
