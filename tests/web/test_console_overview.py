"""The console overview shows what was sent per Bangkok day and this month's quota use (the province pays for it)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest

from models.outbox import enqueue
from models.platform import OutboxMessage
from tests.conftest import ADMIN_ID
from tests.web.conftest import staff_login
from texts import console as console_texts

TEXT = [{"type": "text", "text": "ข่าวโครงการ"}]


def _sent(kind: str, sent_at: datetime, recipients: int = 1, status: str = "sent") -> OutboxMessage:
    ids = [f"U{n:032x}" for n in range(recipients)] if kind in ("push", "reply", "multicast") else []
    return OutboxMessage(
        kind=kind, retry_key=str(uuid.uuid4()), reply_token="t" if kind == "reply" else None, recipients=ids,
        recipient_count=recipients, messages=TEXT, options={}, status=status, attempts=1, available_at=sent_at,
        created_at=sent_at, sent_at=sent_at if status == "sent" else None,
    )


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _count(html: str, name: str) -> int:
    match = re.search(rf'data-count="{name}">([\d,]+)<', html)
    assert match, name
    return int(match.group(1).replace(",", ""))


def _day(html: str, day: str) -> dict[str, int]:
    """The figures on one day's card: {"paid": …, "reply": …, "push": …, "multicast": …, …}."""
    card = re.search(rf'<li class="card" data-day="{day}">(.*?)</li>', html, re.S)
    assert card, f"no card for {day}"
    return {kind: int(value.replace(",", ""))
            for kind, value in re.findall(r'data-kind="(\w+)">([\d,]+)<', card.group(1))}


def _quota_unknown(html: str) -> bool:
    return 'data-quota="unknown"' in html and console_texts.QUOTA_UNKNOWN in html


@pytest.fixture
def seeded(rt):
    """The clock says 23 Nov 2026 10:00 in Khon Kaen (03:00 UTC). Rows around the day and month edges."""
    with rt.db.transaction() as session:
        session.add_all([
            # Today (23 Nov, Bangkok): two replies, a push, a multicast to 120, a broadcast to 1,000 followers.
            _sent("reply", _utc(2026, 11, 23, 1)), _sent("reply", _utc(2026, 11, 23, 2, 30)),
            _sent("push", _utc(2026, 11, 23, 2)),
            _sent("multicast", _utc(2026, 11, 23, 2, 45), recipients=120),
            _sent("broadcast", _utc(2026, 11, 23, 0, 5), recipients=1000),
            # 00:30 on the 23rd in Bangkok is still the 22nd in UTC: it counts for today.
            _sent("push", _utc(2026, 11, 22, 17, 30)),
            # 23:59 on the 22nd in Bangkok: yesterday.
            _sent("push", _utc(2026, 11, 22, 16, 59)), _sent("reply", _utc(2026, 11, 22, 16, 59)),
            # 17 Nov: the oldest of the seven days.
            _sent("narrowcast", _utc(2026, 11, 17, 3), recipients=50),
            # 16 Nov: eight days ago, outside the week but inside the month.
            _sent("push", _utc(2026, 11, 16, 3)), _sent("multicast", _utc(2026, 11, 16, 3), recipients=7),
            # 1 Nov 00:10 in Bangkok is 31 Oct in UTC: this month. 31 Oct 23:00 in Bangkok: last month.
            _sent("multicast", _utc(2026, 10, 31, 17, 10), recipients=30),
            _sent("push", _utc(2026, 10, 31, 16, 0), recipients=1),
            # Not sent (yet or ever): never counted.
            _sent("push", _utc(2026, 11, 23, 2), status="pending"),
            _sent("multicast", _utc(2026, 11, 23, 2), recipients=500, status="dead"),
            _sent("reply", _utc(2026, 11, 23, 2), status="replaced"),
        ])


TODAY_PAID = 2 + 120 + 1000  # two pushes, the multicast, the broadcast
WEEK_PAID = TODAY_PAID + 1 + 50  # yesterday's push, the narrowcast on the 17th
MONTH_PAID = WEEK_PAID + 1 + 7 + 30  # the 16th's push and multicast, the multicast early on the 1st


def test_overview_counts_sends_per_bangkok_day_and_this_months_quota_use(admin_client, seeded):
    html = admin_client.get("/console").get_data(as_text=True)
    assert console_texts.SENDS_TITLE in html

    today = _day(html, "2026-11-23")
    assert today == {"paid": TODAY_PAID, "reply": 2, "push": 2, "multicast": 120, "broadcast": 1000,
                     "narrowcast": 0}
    assert _day(html, "2026-11-22") == {"paid": 1, "reply": 1, "push": 1, "multicast": 0, "broadcast": 0,
                                        "narrowcast": 0}
    assert _day(html, "2026-11-17")["narrowcast"] == 50
    for quiet in ("2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"):
        assert _day(html, quiet) == dict.fromkeys(("paid", "reply", "push", "multicast", "broadcast", "narrowcast"), 0)
    assert 'data-day="2026-11-16"' not in html  # seven days, today included
    assert html.index('data-day="2026-11-23"') < html.index('data-day="2026-11-17"')  # newest first
    assert "จ. 23 พ.ย. 2569" in html and console_texts.TODAY in html

    assert _count(html, "week_paid") == WEEK_PAID
    assert _count(html, "week_replies") == 3
    assert _count(html, "month_paid") == MONTH_PAID
    assert ">1,122<" in html  # thousands grouped


def test_month_figure_starts_on_the_first_in_bangkok(admin_client, rt, clock):
    clock.set(_utc(2026, 11, 30, 17, 30))  # 1 Dec 00:30 in Bangkok: a new month with nothing sent yet
    with rt.db.transaction() as session:
        session.add(_sent("push", _utc(2026, 11, 30, 16, 59), recipients=1))  # 30 Nov 23:59 in Bangkok
    staff_login(admin_client, ADMIN_ID)  # a week later: the first sign-in has expired
    html = admin_client.get("/console").get_data(as_text=True)
    assert _count(html, "month_paid") == 0
    assert _day(html, "2026-11-30")["push"] == 1 and _day(html, "2026-12-01")["paid"] == 0


def test_quota_from_line_matches_what_was_sent(admin_client, rt, line, monkeypatch):
    """Through the emulator end to end: three friends get a multicast; LINE and our own count both say 3."""
    monkeypatch.setattr(line, "quota_limit", 500)
    friends = [line.add_user(f"เพื่อน {n}")["userId"] for n in range(3)]
    with rt.db.transaction() as session:
        enqueue(session, "multicast", TEXT, now=rt.clock(), recipients=friends)
    rt.dispatcher.run_until_idle()
    assert line.consumption() == 3

    html = admin_client.get("/console").get_data(as_text=True)
    assert _count(html, "quota_used") == 3
    assert _count(html, "quota_left") == 497
    assert console_texts.QUOTA_OF.format(limit="500") in html
    assert _count(html, "month_paid") == 3
    assert _day(html, "2026-11-23")["multicast"] == 3
    assert console_texts.QUOTA_CHECKED_AT.format(time="23 พ.ย. 2569 10:00 น.") in html


def test_unlimited_plan_says_so(admin_client, line):
    assert line.quota_limit is None
    html = admin_client.get("/console").get_data(as_text=True)
    assert _count(html, "quota_used") == 0
    assert 'data-quota="unlimited"' in html and console_texts.QUOTA_UNLIMITED in html


def test_line_is_asked_for_the_quota_at_most_once_a_minute(app, admin_client, line, clock):
    for _ in range(3):
        assert admin_client.get("/console").status_code == 200
    assert len(line.requests("/v2/bot/message/quota")) == 1
    assert len(line.requests("/v2/bot/message/quota/consumption")) == 1
    clock.advance(seconds=59)
    admin_client.get("/console")
    assert len(line.requests("/v2/bot/message/quota")) == 1
    clock.advance(seconds=2)
    admin_client.get("/console")
    assert len(line.requests("/v2/bot/message/quota")) == 2


def test_page_works_and_says_unknown_when_line_does_not_answer(admin_client, rt, line, clock, seeded):
    line.inject_fault("/v2/bot/message/quota", status=500, times=1)
    response = admin_client.get("/console")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _quota_unknown(html) and console_texts.QUOTA_UNKNOWN_HINT in html
    assert _count(html, "month_paid") == MONTH_PAID  # our own figure is always there

    # A failure is remembered for the minute too: a slow or broken LINE is not asked on every page load.
    assert _quota_unknown(admin_client.get("/console").get_data(as_text=True))
    assert len(line.requests("/v2/bot/message/quota")) == 1
    clock.advance(minutes=1)
    html = admin_client.get("/console").get_data(as_text=True)
    assert not _quota_unknown(html) and _count(html, "quota_used") == 0


def test_page_works_when_line_cannot_be_reached(admin_client, rt, monkeypatch):
    def unreachable():
        raise ConnectionError("LINE is down")

    monkeypatch.setattr(rt.line, "quota", unreachable)
    response = admin_client.get("/console")
    assert response.status_code == 200
    assert _quota_unknown(response.get_data(as_text=True))
