"""The reports benchmark runs end to end at a tiny size (the full size is for docs/BENCHMARKS.md)."""

from __future__ import annotations

import json

from bench import reports as bench_reports


def test_reports_bench_smoke(tmp_path):
    out = tmp_path / "reports.json"
    code = bench_reports.main(["--db", "sqlite", "--sales", "3000", "--citizens", "300", "--answers", "600",
                               "--orders", "500", "--projects", "12", "--signups", "200", "--announcements", "10", "--tail", "50",
                               "--runs", "1", "--json", str(out)])
    result = json.loads(out.read_text())
    assert code == 0 and result["ok"] is True
    assert result["counts"]["sales"] == 3050 and result["rollup"]["rebuild_sales"] == 3000 and result["counts"]["survey_answers"] == 600
    assert result["counts"]["citizens"] == 300
    assert result["rollup"]["tail_refresh_sales"] == 50  # the live tail, added by the next refresh
    assert "GET /console/reports" in result["timings"] and "GET /api/v1/reports/summary" in result["timings"]
    assert all(t["median_ms"] > 0 for t in result["timings"].values())
