"""Prints where a py-spy profile spent its time: `.venv/bin/python bench/stacks.py profile.raw [--top 25]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import top_frames  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profile", help="collapsed stacks written by `py-spy record --format raw`")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    summary = top_frames(args.profile, args.top)
    print(f"samples: {summary['samples'][0][1]}")
    for title, key in (("self time", "self_percent"), ("inclusive time", "inclusive_percent")):
        print(f"\n== {title} ==")
        for frame, share in summary[key]:
            print(f"{share:6.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
