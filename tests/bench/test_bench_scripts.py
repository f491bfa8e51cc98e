"""The benchmark scripts still run end to end (tiny sizes, no timing assertions): they must never rot."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench.common import percentile, top_frames
from tests.conftest import ROOT


def run_script(script: str, *args: str, json_path, timeout: float = 240) -> dict:
    """Runs `python bench/<script> ...` the way docs/BENCHMARKS.md says and returns its JSON result."""
    completed = subprocess.run([sys.executable, f"bench/{script}", *args, "--json", str(json_path)], cwd=ROOT,
                               capture_output=True, text=True, timeout=timeout)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return json.loads(json_path.read_text())


def test_webhook_benchmark_acknowledges_and_stores_every_event_of_the_embedded_app(tmp_path):
    result = run_script("webhook_ack.py", "--target", "embedded", "--requests", "60", "--warmup", "5",
                        "--connections", "2", "--procs", "2", "--duration", "60", "--run-workers", "0",
                        json_path=tmp_path / "ack.json")
    assert result["statuses"] == {"200": 60}
    assert result["stored_events"] == result["expected_stored"] == 65
    assert result["stored_by_status"] == {"pending": 65}  # RUN_WORKERS=0: nobody processed them
    assert result["acknowledged_events"] == 60  # figures like events/s are for the report, not for tests


def test_webhook_benchmark_open_loop_with_workers_sends_batched_events(tmp_path):
    result = run_script("webhook_ack.py", "--requests", "20", "--warmup", "2", "--connections", "2", "--procs", "1",
                        "--rate", "50", "--events-per-request", "3", json_path=tmp_path / "ack.json")
    assert result["statuses"] == {"200": 20}
    assert result["acknowledged_events"] == 60
    assert result["stored_events"] == 66


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_webhook_benchmark_runs_gunicorn_on_a_throwaway_postgresql_database(tmp_path):
    result = run_script("webhook_ack.py", "--target", "gunicorn", "--gunicorn-workers", "1", "--gunicorn-threads",
                        "2", "--requests", "40", "--warmup", "5", "--connections", "2", "--procs", "1",
                        "--database-server", os.environ["TEST_DATABASE_URL"], json_path=tmp_path / "ack.json")
    assert result["statuses"] == {"200": 40}
    assert result["stored_events"] == result["expected_stored"] == 45
    assert result["acknowledged_but_not_stored"] == 0


def test_fanout_benchmark_delivers_exactly_once_despite_injected_500s(tmp_path):
    database = ["--database", "postgresql", "--database-server", os.environ["TEST_DATABASE_URL"]] \
        if os.environ.get("TEST_DATABASE_URL") else ["--database", "sqlite"]
    result = run_script("fanout.py", "--users", "1600", "--faults", "0,0.4", "--fault-mode", "mixed",
                        "--backoff-base", "0.01", "--seed", "4", *database, json_path=tmp_path / "fanout.json")
    clean, faulty = result["trials"]
    for trial in (clean, faulty):
        assert trial["outbox_rows"] == 4  # 1,600 ids in batches of 500
        assert trial["outbox_final"] == {"sent": 4}
        assert (trial["deliveries"], trial["users_reached"]) == (1600, 1600)
        assert (trial["duplicates"], trial["lost"], trial["unexpected_recipients"]) == (0, 0, 0)
    assert clean["api_calls_by_status"] == {"200": 4}
    # Seed 4 makes the first two multicasts fail: one unprocessed, one delivered whose answer is lost.
    assert set(faulty["faults_injected"]) == {"500", "accepted then 500"}
    assert "409" in faulty["api_calls_by_status"]  # the lost answer's retry is recognised by its retry key
    assert faulty["floor_s"] == 4 / 200


def test_profile_summary_counts_self_and_inclusive_samples(tmp_path):
    raw = tmp_path / "profile.raw"
    raw.write_text('process 1:"python app.py";main (app.py:1);handle (bot/webhook.py:40);execute (db.py:9) 3\n'
                   'process 1:"python app.py";main (app.py:1);handle (bot/webhook.py:40) 1\n')
    summary = top_frames(str(raw))
    assert summary["samples"] == [("total", 4)]
    assert summary["self_percent"][0] == ("execute (db.py:9)", 75.0)
    assert dict(summary["inclusive_percent"])["handle (bot/webhook.py:40)"] == 100.0


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (50, 99, 100)
    assert percentile([7.0], 99) == 7.0


def test_sender_benchmark_gets_every_push_recorded_as_sent(tmp_path):
    result = run_script("sender.py", "--quick", "--modes", "aiohttp,threads", "--in-flight", "32",
                        json_path=tmp_path / "sender.json")
    assert [(r["mode"], r["sent"]) for r in result["results"]] == [("aiohttp", 300), ("threads", 300)]
