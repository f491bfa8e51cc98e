"""bench/e2e.py and bench/backlog.py still run end to end at tiny sizes (--quick): correctness only, never speed.

With TEST_DATABASE_URL set they run on PostgreSQL (gunicorn web + `manage.py run worker`), otherwise on SQLite
(`python app.py`), like the fan-out smoke test.
"""

from __future__ import annotations

import os

from tests.bench.test_bench_scripts import run_script


def database_args() -> list[str]:
    if os.environ.get("TEST_DATABASE_URL"):
        return ["--database", "postgresql", "--database-server", os.environ["TEST_DATABASE_URL"],
                "--worker-processes", "1"]
    return ["--database", "sqlite"]


def test_e2e_benchmark_answers_every_event_of_baseline_and_product(tmp_path):
    result = run_script("e2e.py", "--quick", *database_args(), json_path=tmp_path / "e2e.json")
    assert result["settings"]["events"] == 30 and result["settings"]["users"] == 5
    product = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "embedded"
    assert [r["target"] for r in result["results"]] == ["baseline", product]
    for target in result["results"]:
        assert target["follow"]["users"] == 5
        assert [p["phase"] for p in target["phases"]] == ["text", "postback"]
        for phase in target["phases"]:
            assert phase["webhook_statuses"] == {"200": 30}
            assert phase["answered"] == 30 and phase["missing_answers"] == 0
            assert sum(phase["answers_by_kind"].values()) == 30
            assert phase["server_cpu_s"] >= 0 and phase["time_to_last_answer_s"] > 0
    # The baseline replies inline and never pushes; the figures a reader compares are all there.
    assert all(p["answers_by_kind"]["push"] == 0 for p in result["results"][0]["phases"])
    assert set(result["ratios"]) == {f"{product}/text", f"{product}/postback"}
    for ratio in result["ratios"].values():
        assert {"time_to_last_answer_x", "cpu_per_event_x", "pushes"} <= set(ratio)


def test_backlog_benchmark_drains_every_stored_event_and_answers_fresh_users(tmp_path):
    spreads = "many" if os.environ.get("TEST_DATABASE_URL") else "many,one"
    result = run_script("backlog.py", "--quick", "--spreads", spreads, *database_args(),
                        json_path=tmp_path / "backlog.json")
    assert [(s["size"], s["spread"]) for s in result["scenarios"]] == [(30, x) for x in spreads.split(",")]
    for scenario in result["scenarios"]:
        claim = scenario["claim"]
        assert claim["function"].startswith(("claim_batch", "claim_next"))
        assert claim["limit_1"]["claimed"] == 1  # rolled back: the same event is claimable every time
        assert 1 <= claim["limit_16"]["claimed"] <= 16
        assert claim["limit_1"]["claim_ms"]["median"] > 0
        drain = scenario["drain"]
        assert drain["fully_drained"] and drain["answered"] == 30 and drain["unanswered"] == 0
        assert sum(drain["answers_by_kind"].values()) == 30
        assert drain["drain_rate_per_s"] is not None and drain["rate_per_second_series"]
        assert drain["fresh_user"]["probes"] >= 1
        assert drain["fresh_user"]["answered"] == drain["fresh_user"]["probes"]
        assert scenario["events_after"].get("done") == 30 + drain["fresh_user"]["probes"]
