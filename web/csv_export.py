"""Every CSV file the product offers for download, written one way: Thai headers come from the caller, the file
starts with a UTF-8 BOM (without it Excel reads Thai as mojibake), quoting is the csv module's, and text cells that
a spreadsheet would run as a formula are neutralised.

    return csv_response("attendance-training-7.csv", ["ลำดับ", "ชื่อ-นามสกุล"], rows)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

BOM = "\ufeff"
# A cell starting with one of these is read by Excel, LibreOffice and Google Sheets as a formula (tab and CR too,
# which some of them strip before looking): "=HYPERLINK(...)" typed into a survey must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with a leading apostrophe when it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The CSV document: BOM, header, rows (every cell through safe_cell)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """A download of the CSV (`filename` is ASCII; personal data in it is never cached)."""
    response = Response(csv_text(header, rows).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
