"""Report charts as PNG bytes: matplotlib (Agg) with the Sarabun font.

matplotlib 3.11 or newer lays Thai text out with proper shaping (3.10 misplaced Thai vowels and tone marks), so
labels are plain strings here. The charts take the dicts of services/reports.py:

    chart_png("followers", report["reach"]["followers_by_month"])
    chart_png("satisfaction", report["satisfaction"])           # {"trainees": {...}, "buyers": {...}, ...}
    chart_png("sales_by_month", report["market"]["sales_by_month"])
    chart_png("sales_by_district", report["market"]["sales_by_district"])

An empty series draws a chart that says "ยังไม่มีข้อมูล". Pages show several charts of the same figures, so a
chart is cached by a hash of its kind and data (figures change only when the data does).
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from texts import reports as reports_texts
from texts.dates import BUDDHIST_ERA_OFFSET, THAI_MONTHS_SHORT

CHART_KINDS = ("followers", "satisfaction", "sales_by_month", "sales_by_district")
WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.5, 120  # 960 x 540 px: sharp on a phone, small enough to send in LINE
INK, MUTED, GRID = "#1f2937", "#4b5563", "#e5e7eb"
ONLINE_COLOUR, TRADITIONAL_COLOUR, LINE_COLOUR = "#037a33", "#b45309", "#1d4ed8"
# 1 (poor) -> 5 (excellent), the same colours as the survey charts (services/charts.py).
RATING_COLOURS = ("#b42318", "#ef8432", "#facc15", "#84cc16", "#037a33")
MAX_DISTRICTS = 26  # every district of Khon Kaen fits on one chart
CACHE_SIZE = 64

_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _pyplot() -> Any:
    """pyplot on the Agg backend with Sarabun registered (imported once, on the first chart)."""
    import fontpkg
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for weight in (400, 700):
        font_manager.fontManager.addfont(str(fontpkg.path("Sarabun", weight)))
    matplotlib.rcParams.update({"font.family": "Sarabun", "font.size": 16, "axes.edgecolor": MUTED,
                                "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
                                "axes.titleweight": "bold", "axes.titlesize": 20, "svg.fonttype": "none"})
    return plt


def month_label(month: str) -> str:
    """'2026-11' -> 'พ.ย. 69' (Buddhist-era year, two digits)."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{THAI_MONTHS_SHORT[number - 1]} {(year + BUDDHIST_ERA_OFFSET) % 100:02d}"


def _baht(satang: int) -> float:
    return satang / 100


def _figure(title: str) -> tuple[Any, Any]:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    ax.set_title(title, loc="left", color=INK)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _no_data(ax: Any) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.text(0.5, 0.5, reports_texts.CHART_NO_DATA, ha="center", va="center", fontsize=20, color=MUTED,
            transform=ax.transAxes)


def _png(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.tight_layout()
    fig.savefig(out, format="png", dpi=DPI, facecolor="white")
    _pyplot().close(fig)
    return out.getvalue()


def _thousands(ax: Any, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _pos: f"{value:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _followers(data: list[dict[str, Any]]) -> bytes:
    fig, ax = _figure(reports_texts.CHART_FOLLOWERS)
    if not data:
        _no_data(ax)
        return _png(fig)
    xs = list(range(len(data)))
    ax.plot(xs, [row["followers"] for row in data], color=LINE_COLOUR, linewidth=2.5, marker="o",
            label=reports_texts.SERIES_FOLLOWERS)
    ax.fill_between(xs, [row["followers"] for row in data], color=LINE_COLOUR, alpha=0.08)
    _month_ticks(ax, [row["month"] for row in data])
    ax.set_ylabel(reports_texts.AXIS_PEOPLE)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color=GRID)
    _thousands(ax)
    return _png(fig)


def _month_ticks(ax: Any, months: list[str]) -> None:
    step = max(1, len(months) // 12)  # at most about 12 labels, so they never overlap on a phone
    ticks = list(range(0, len(months), step))
    ax.set_xticks(ticks, [month_label(months[i]) for i in ticks], rotation=45 if len(ticks) > 6 else 0,
                  ha="right" if len(ticks) > 6 else "center")


def _satisfaction(data: dict[str, Any]) -> bytes:
    fig, ax = _figure(reports_texts.CHART_SATISFACTION)
    groups = [(key, data.get(key) or {}) for key in reports_texts.SATISFACTION_GROUPS if key in data]
    if not groups or not any(g.get("count") for _k, g in groups):
        _no_data(ax)
        return _png(fig)
    labels = [reports_texts.SATISFACTION_GROUPS[key] for key, _g in groups]
    ys = list(range(len(groups)))[::-1]
    lefts = [0.0] * len(groups)
    for rating in range(5):
        shares = []
        for _key, group in groups:
            total = sum(group.get("distribution") or []) or 0
            shares.append((group["distribution"][rating] / total) if total else 0.0)
        ax.barh(ys, shares, left=lefts, color=RATING_COLOURS[rating], height=0.55,
                label=reports_texts.RATING_LEGEND[rating])
        lefts = [a + b for a, b in zip(lefts, shares, strict=True)]
    for y, (_key, group) in zip(ys, groups, strict=True):
        text = (reports_texts.MEAN_LABEL.format(mean=group["mean"], count=group["count"]) if group.get("count")
                else reports_texts.CHART_NO_DATA)
        ax.text(1.02, y, text, va="center", fontsize=14, color=INK, transform=ax.get_yaxis_transform())
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, 1)
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False, fontsize=13)
    fig.subplots_adjust(right=0.72)
    return _png(fig)


def _sales_by_month(data: list[dict[str, Any]]) -> bytes:
    fig, ax = _figure(reports_texts.CHART_SALES_MONTH)
    if not data:
        _no_data(ax)
        return _png(fig)
    xs = list(range(len(data)))
    width = 0.4
    ax.bar([x - width / 2 for x in xs], [_baht(r["online_satang"]) for r in data], width, color=ONLINE_COLOUR,
           label=reports_texts.SERIES_ONLINE)
    ax.bar([x + width / 2 for x in xs], [_baht(r["traditional_satang"]) for r in data], width,
           color=TRADITIONAL_COLOUR, label=reports_texts.SERIES_TRADITIONAL)
    _month_ticks(ax, [r["month"] for r in data])
    ax.set_ylabel(reports_texts.AXIS_BAHT)
    ax.grid(axis="y", color=GRID)
    ax.set_axisbelow(True)
    _thousands(ax)
    ax.legend(frameon=False)
    return _png(fig)


def _sales_by_district(data: list[dict[str, Any]]) -> bytes:
    rows = [r for r in data if r.get("total_satang") is not None][:MAX_DISTRICTS]
    fig, ax = _figure(reports_texts.CHART_SALES_DISTRICT)
    if not rows:
        _no_data(ax)
        return _png(fig)
    if len(rows) > 8:
        fig.set_size_inches(WIDTH_IN, min(12.0, 1.2 + 0.36 * len(rows)))
    ys = list(range(len(rows)))[::-1]
    online = [_baht(r.get("online_satang") or 0) for r in rows]
    ax.barh(ys, online, color=ONLINE_COLOUR, label=reports_texts.SERIES_ONLINE, height=0.6)
    ax.barh(ys, [_baht(r.get("traditional_satang") or 0) for r in rows], left=online, color=TRADITIONAL_COLOUR,
            label=reports_texts.SERIES_TRADITIONAL, height=0.6)
    ax.set_yticks(ys, [r.get("district_name") or r.get("district") or "" for r in rows])
    ax.set_xlabel(reports_texts.AXIS_BAHT)
    ax.grid(axis="x", color=GRID)
    ax.set_axisbelow(True)
    _thousands(ax, "x")
    ax.legend(frameon=False, loc="lower right")
    return _png(fig)


_DRAW: dict[str, Callable[[Any], bytes]] = {"followers": _followers, "satisfaction": _satisfaction,
                                            "sales_by_month": _sales_by_month,
                                            "sales_by_district": _sales_by_district}


def chart_png(kind: str, data: Any) -> bytes:
    """Draws chart `kind` (one of CHART_KINDS) from its slice of a report dict; raises KeyError for another kind."""
    draw = _DRAW[kind]
    key = hashlib.sha256(json.dumps([kind, data], sort_keys=True, default=str).encode()).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    # pyplot keeps global state: one chart at a time (web threads may ask together).
    with _lock:
        image = draw(data)
        _cache[key] = image
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return image


def chart_data(kind: str, report: dict[str, Any]) -> Any:
    """The slice of a province, project or training report that chart `kind` draws (None when it has none)."""
    if kind == "followers":
        return (report.get("reach") or {}).get("followers_by_month")
    if kind == "satisfaction":
        return report.get("satisfaction")
    if kind in ("sales_by_month", "sales_by_district"):
        return (report.get("market") or {}).get(kind)
    raise KeyError(kind)
