"""Report charts: PNGs of a fixed size with Thai labels (Sarabun through matplotlib 3.11), for data and for none."""

from __future__ import annotations

import io

import matplotlib
import pytest
from PIL import Image

from services import report_charts

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
DATA = {
    "followers": [{"month": m, "followers": 100 * i} for i, m in enumerate(MONTHS)],
    "satisfaction": {"trainees": {"count": 12, "mean": 4.1, "distribution": [0, 1, 2, 4, 5]},
                     "buyers": {"count": 0, "mean": None, "distribution": [0] * 5},
                     "citizens": {"count": 30, "mean": 3.5, "distribution": [3, 4, 6, 7, 10]}},
    "sales_by_month": [{"month": m, "online_satang": 10_000 * i, "traditional_satang": 5_000 * i}
                       for i, m in enumerate(MONTHS)],
    "sales_by_district": [{"district": "mueang", "district_name": "เมืองขอนแก่น", "online_satang": 100_000,
                           "traditional_satang": 250_000, "total_satang": 350_000}],
}
EMPTY = {"followers": [], "satisfaction": {}, "sales_by_month": [], "sales_by_district": []}


def test_matplotlib_is_new_enough_to_shape_thai():
    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    assert (major, minor) >= (3, 11)


@pytest.mark.parametrize("kind", report_charts.CHART_KINDS)
def test_each_chart_is_a_png_with_and_without_data(kind):
    drawn = report_charts.chart_png(kind, DATA[kind])
    empty = report_charts.chart_png(kind, EMPTY[kind])
    for image in (drawn, empty):
        picture = Image.open(io.BytesIO(image))
        assert picture.format == "PNG" and picture.size == (960, 540)
    assert drawn != empty
    assert report_charts.chart_png(kind, DATA[kind]) is drawn  # cached by content: pages draw each chart once


def test_thai_month_labels_and_unknown_charts():
    assert report_charts.month_label("2026-11") == "พ.ย. 69"
    assert report_charts.month_label("2027-01") == "ม.ค. 70"
    with pytest.raises(KeyError):
        report_charts.chart_png("pie", [])
    # The font the labels use is Sarabun, registered from the fontpkg-sarabun package.
    from matplotlib import font_manager

    report_charts.chart_png("followers", DATA["followers"])
    assert "Sarabun" in font_manager.findfont("Sarabun")
