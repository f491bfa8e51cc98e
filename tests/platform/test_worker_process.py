"""`manage.py run worker`: a process with no web server that handles what web processes stored."""

from __future__ import annotations

import manage
from line_emulator import events as ev


def test_worker_process_handles_events_the_web_process_stored(app_config, harness, line):
    somsri = harness.user("สมศรี")
    harness.post_events([ev.text_event(somsri.user_id, "ช่วยเหลือ")])  # the web process only stores it
    assert line.deliveries(somsri.user_id) == []
    config = {**app_config, "RUN_SCHEDULER": False}
    config.pop("clock")  # a real process runs on the real clock
    assert manage.main(["run", "worker", "--seconds", "3"], config=config) == 0
    texts = [m.get("text", "") for d in line.deliveries(somsri.user_id) for m in d.messages]
    assert texts and "เลือกเมนู" in texts[0]
