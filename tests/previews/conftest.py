"""Preview test helpers: the public layout with the _og_tags.html include (the one integration edit of issue 14,
applied here until public/base.html carries it), and one public project, product and training built through the
services."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from jinja2 import ChoiceLoader, DictLoader

from models.market import Certification
from services import projects, trainings
from tests.conftest import ADMIN_ID, PUBLIC_BASE_URL
from tests.market.conftest import seed_listed
from tests.projects.conftest import photo

BROWSER = "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
_OLD_TAGS = re.compile(r'\n\s*<meta property="og:type".*?{%- endif %}', re.S)
# The share-button edits of issue 14 (item 5), exactly as listed for public/base.html.
_SHARE_EDITS = (
    ("~ '\\n' ~ link) | urlencode }}", "~ '\\n' ~ (link | share_tag('line'))) | urlencode }}"),
    ("sharer.php?u={{ link | urlencode }}\">{{ PUB.SHARE_FACEBOOK }}</a>",
     "sharer.php?u={{ link | share_tag('fb') | urlencode }}\">{{ PUB.SHARE_FACEBOOK }}</a>\n"
     "    {% include \"_share_copy.html\" %}"),
)


@pytest.fixture
def og_app(app):
    """The app whose public layout includes _og_tags.html in <head> in place of its own og lines."""
    source, _, _ = app.jinja_env.loader.get_source(app.jinja_env, "public/base.html")
    patched = source
    if "_og_tags.html" not in patched:
        patched, count = _OLD_TAGS.subn('\n  {% include "_og_tags.html" %}', patched)
        assert count == 1, "public/base.html changed: update the test's stand-in for the include"
    if "share_tag" not in patched:
        for old, new in _SHARE_EDITS:
            assert patched.count(old) == 1, f"public/base.html changed: update the stand-in edit for {old!r}"
            patched = patched.replace(old, new)
    if patched != source:
        app.jinja_env.loader = ChoiceLoader([DictLoader({"public/base.html": patched}), app.jinja_env.loader])
        app.jinja_env.cache = {}
    return app


@pytest.fixture
def og_client(og_app):
    client = og_app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = BROWSER
    return client


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        key = found.get("property") or found.get("name")
        if tag == "meta" and key and found.get("content") is not None:
            self.tags.setdefault(key, []).append(found["content"] or "")


def meta_tags(html: str) -> dict[str, list[str]]:
    """Every <meta property|name=... content=...> of a page, by property or name."""
    parser = _Meta()
    parser.feed(html)
    return parser.tags


@pytest.fixture
def project_id(rt, clock) -> int:
    with rt.db.transaction() as session:
        project = projects.create_project(session, ADMIN_ID, projects.ProjectInput(
            kind="infrastructure", title="ซ่อมถนนสายบ้านไผ่–บ้านแฮด", districts=["ban_phai", "phon"],
            description="ซ่อมผิวถนนลาดยาง ระยะทาง 5 กม.", location="ต.หินตั้ง อ.บ้านไผ่", budget="2500000",
            start_date=date(2026, 12, 1), end_date=date(2027, 3, 31)), clock())
        projects.set_cover(session, ADMIN_ID, project.id, photo("orange", (800, 600)), clock())
        return project.id


@pytest.fixture
def product_id(rt) -> int:
    return seed_listed(rt, 1, name="น้ำพริกปลาร้าแม่ทองใบ", category="food", shop="ร้านแม่ทองใบ")[0]


@pytest.fixture
def certificate_number(rt, product_id) -> str:
    with rt.db.transaction() as session:
        cert = session.query(Certification).filter(Certification.product_id == product_id).one()
        return cert.number


@pytest.fixture
def training_id(rt, clock) -> int:
    starts = clock() + timedelta(days=3)
    data = trainings.TrainingInput(
        title="ขายของออนไลน์ให้ปัง", starts_at=starts, ends_at=starts + timedelta(hours=6), capacity=30,
        signup_deadline=starts - timedelta(days=1), venue_name="หอประชุม อบจ.ขอนแก่น", venue_map_url=None,
        what_to_bring="บัตรประชาชน", topic_tags=["ขายออนไลน์"], speakers=[])
    with rt.db.transaction() as session:
        training = trainings.create_training(session, data, ADMIN_ID, clock())
        trainings.publish(session, training.id, ADMIN_ID, clock())
        return training.id


def local(url: str) -> str:
    """The path of an absolute URL on the public site (for the test client)."""
    assert url.startswith(PUBLIC_BASE_URL + "/"), url
    return url[len(PUBLIC_BASE_URL):]
