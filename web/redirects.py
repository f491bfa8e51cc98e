"""Where the app may send a browser back to: only a path on this site (never another host, never a header break)."""

from __future__ import annotations

import re

# A path: one leading slash (not "//host" or "/\host", which browsers read as another site), then printable
# ASCII without spaces or backslashes (what url_for builds; Thai is percent-encoded there).
_SAFE_PATH = re.compile(r"/(?![/\\])[!#-\[\]-~]*")
MAX_TARGET = 2000


def same_origin_path(value: object, *, under: str = "/") -> str | None:
    """`value` if it is a path on this site under `under` (e.g. "/console/market"), else None."""
    if not isinstance(value, str) or len(value) > MAX_TARGET or not _SAFE_PATH.fullmatch(value):
        return None
    return value if value == under or value.startswith(under.rstrip("/") + "/") or under == "/" else None
