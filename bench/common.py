"""Helpers the benchmark scripts share: ports, percentiles, the machine's description, throwaway databases."""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import resource
import socket
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    """Returns a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (nan when empty)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def machine() -> dict[str, Any]:
    """Describes where the figures came from, so a reader can compare like with like."""
    memory_gib = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(), "memory_gib": memory_gib, "cpu": cpu, "python": platform.python_version(),
        "kernel": platform.release(), "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def max_rss_mib() -> float:
    """Peak resident memory of this process in MiB.

    Reads VmHWM: getrusage's ru_maxrss survives exec, so a spawned child would report its parent's peak.
    """
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def wait_http(url: str, timeout: float = 60.0, process: Any = None) -> None:
    """Waits until `url` answers 200; raises if `process` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")


@contextlib.contextmanager
def temporary_postgres(server_url: str = DEFAULT_PG_SERVER) -> Iterator[str]:
    """Creates a fresh database on the server of `server_url`, yields its URL, and drops it afterwards."""
    from sqlalchemy import create_engine, text

    from models.db import normalise_url

    base = normalise_url(server_url)
    name = f"kk_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def emit(result: dict[str, Any], json_path: str | None) -> None:
    """Writes the result as JSON to `json_path` (for the docs and the smoke test), if asked."""
    if json_path:
        Path(json_path).write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")


def ms(seconds: float) -> float:
    """Seconds to milliseconds, rounded for reports."""
    return round(seconds * 1000, 2)


def top_frames(raw_path: str, limit: int = 25) -> dict[str, list[tuple[str, float]]]:
    """Summarises py-spy's collapsed stacks: share of samples per function, self and inclusive."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in Path(raw_path).read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count

    def shares(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(frame, round(100 * n / total, 1)) for frame, n in counter.most_common(limit)]

    return {"self_percent": shares(own), "inclusive_percent": shares(inclusive), "samples": [("total", total)]}


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may contain spaces: fields are counted from after its closing parenthesis.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    tree = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grew = True
    return sum(cpu.get(p, 0.0) for p in tree)


def spawn(command: Sequence[str], env: dict[str, str] | None, log_path: Path | None, cwd: Path = ROOT) -> Any:
    """Starts a child in its own session (process group), output to `log_path`; `stop_process` ends the group."""
    import subprocess

    log: Any = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        return subprocess.Popen(list(command), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    finally:
        if log_path:
            log.close()


def stop_process(process: Any, timeout: float = 20.0) -> int | None:
    """Stops a child started by `spawn` and everything in its process group: SIGTERM, then SIGKILL after `timeout`."""
    import signal
    import subprocess

    def signal_group(signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signum)  # its own group: the child was started with start_new_session

    if process.poll() is None:
        signal_group(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            signal_group(signal.SIGKILL)
            process.wait(timeout)
    # Children left behind in the group (gunicorn workers of a killed master) go too.
    signal_group(signal.SIGKILL)
    return process.returncode


def exit_cleanly_on_sigterm() -> None:
    """Turns SIGTERM into KeyboardInterrupt in the main thread, so `finally` blocks stop every child process."""
    import signal

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def ms_or_none(seconds: float) -> float | None:
    """Like `ms`, but None for nan (a percentile of nothing): JSON has no NaN."""
    return None if math.isnan(seconds) else ms(seconds)


def code_version() -> dict[str, Any]:
    """The commit measured, and which tracked files differed from it (others may be editing the working tree)."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "--short", "HEAD"),
            "modified": git("diff", "--name-only", "HEAD").splitlines()}
