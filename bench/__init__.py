"""Benchmarks: scripts run by hand (`.venv/bin/python bench/<script>.py`), figures in docs/BENCHMARKS.md."""
