"""Every Flex message this feature builds, at its largest, is valid for LINE's schema and size limits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from flex_templates.citizens import choice_card, consents_card, my_data_card, privacy_notice, toggle_picker
from flex_templates.projects import (
    ProjectView,
    StageView,
    free_announcement,
    project_carousel,
    project_detail,
    stage_announcement,
)
from line_emulator.limits import check_message
from line_emulator.schema import get_spec
from services.projects import share_url
from texts import citizens as citizens_texts
from texts.districts import DISTRICTS

URL = "https://kk.example.go.th"


def valid(message: dict) -> list:
    return get_spec().validate("Message", message) + check_message(message)


def big_view(n: int = 1) -> ProjectView:
    photos = tuple((f"{URL}/media/{i}-{'a' * 16}.jpg", f"{URL}/media/{i}-{'a' * 16}/thumb.jpg") for i in range(20))
    stages = tuple(StageView(stage, datetime(2026, 11, 23, tzinfo=UTC), "ห" * 2000, photos)
                   for stage in ("announced", "in_progress", "completed", "evaluated"))
    return ProjectView(
        id=n, kind="career_training", title="ก" * 200, description="ข" * 5000, districts=tuple(DISTRICTS),
        location="ค" * 300, budget=Decimal("9999999999.99"), start_date=date(2026, 1, 1), end_date=date(2027, 1, 1),
        stage="evaluated", cover_url=f"{URL}/c.jpg", cover_thumb_url=f"{URL}/t.jpg",
        public_url=f"{URL}/projects/{n}", share_url=share_url("ก" * 200, f"{URL}/projects/{n}"),
        stages=stages, following=True)


def test_share_link_of_a_long_thai_title_stays_within_lines_uri_limit():
    link = share_url("ถนน" * 66, f"{URL}/projects/123456")
    assert len(link) <= 1000 and link.endswith("%2Fprojects%2F123456")


def test_largest_carousel_is_valid_and_under_50_kb():
    message = project_carousel([(big_view(i), f"pj-d:{i}") for i in range(1, 11)], more_url=f"{URL}/projects",
                               more_count=5000)
    assert len(message["contents"]["contents"]) == 11
    assert valid(message) == []


def test_largest_detail_bubble_is_valid_and_under_30_kb():
    assert valid(project_detail(big_view(), "pj-fo:1", "pj-uf:1")) == []


@pytest.mark.parametrize("stage", ["announced", "in_progress", "completed", "evaluated"])
def test_stage_announcement_is_valid(stage):
    assert valid(stage_announcement(big_view(), stage)) == []


def test_free_announcements_are_valid():
    assert valid(free_announcement("ประกาศ " * 150)) == []
    assert valid(free_announcement("ประกาศ\n" * 125, f"{URL}/p.jpg", "https://www.kkpao.go.th/" + "a" * 900)) == []


def test_citizen_cards_are_valid():
    assert valid(privacy_notice(citizens_texts.NOTICE_ALT, citizens_texts.NOTICE_TITLE, citizens_texts.NOTICE_SECTIONS,
                                citizens_texts.NOTICE_FULL, URL)) == []
    action = {"type": "postback", "label": "ก" * 40, "data": "x" * 300, "displayText": "ค" * 300}
    assert valid(choice_card("alt", "title", "body " * 300, [action, action])) == []
    assert valid(my_data_card("alt", "t", "i", [("ป้าย", "ค่า " * 100)] * 10, [action] * 3, action)) == []
    assert valid(consents_card("alt", "t", "i", [("n", "h", "s", action), ("n", "h", "s", None)])) == []
    assert valid(toggle_picker("alt", "t", "h", [("ก" * 40, "x", True), ("ข", "y", False)], action)) == []
