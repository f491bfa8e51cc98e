"""Event processing: per-user order, recovery after a crash, bounded retries, follow/unfollow."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.event_store import claim_next
from bot.router import Bot, Router
from line_emulator import events as ev
from models.platform import Citizen, InboundEvent
from services import citizens


def _recording_bot(seen: list, lock: threading.Lock) -> Bot:
    router = Router("record")

    @router.fallback
    def record(ctx) -> bool:
        with lock:
            seen.append((ctx.user_id, ctx.text))
        return True

    return Bot([router], help_handler=lambda ctx, r: None, stale_handler=lambda ctx, r: None)


def test_one_users_events_are_handled_in_order_across_parallel_workers(harness, rt):
    seen: list = []
    rt.worker.bot = _recording_bot(seen, threading.Lock())
    users = [harness.user(f"คนที่ {i}") for i in range(5)]
    batch = [ev.text_event(u.user_id, f"{n}") for n in range(20) for u in users]
    for start in range(0, len(batch), 10):
        harness.post_events(batch[start:start + 10])
    rt.worker.threads = 4
    rt.worker.start()
    try:
        deadline = threading.Event()
        for _ in range(200):
            if len(seen) == len(batch):
                break
            deadline.wait(0.05)
    finally:
        rt.worker.stop()
    assert len(seen) == len(batch)
    for u in users:
        assert [text for uid, text in seen if uid == u.user_id] == [str(n) for n in range(20)]


def test_a_user_waits_for_their_earlier_event_but_others_do_not(harness, rt, clock):
    a, b = harness.user("เอ"), harness.user("บี")
    harness.post_events([ev.text_event(a.user_id, "1"), ev.text_event(a.user_id, "2"), ev.text_event(b.user_id, "1")])
    with rt.db.transaction() as session:
        first = claim_next(session, clock(), timedelta(minutes=2))
        second = claim_next(session, clock(), timedelta(minutes=2))
        third = claim_next(session, clock(), timedelta(minutes=2))
        rows = {e.id: e for e in session.scalars(select(InboundEvent))}
    assert rows[first.event_id].payload["source"]["userId"] == a.user_id
    assert rows[second.event_id].payload["source"]["userId"] == b.user_id
    assert third is None  # a's second event waits for a's first


def test_event_of_a_crashed_worker_is_picked_up_again_after_its_lease(harness, rt, clock, line):
    user = harness.user("สมปอง")
    harness.post_events([ev.text_event(user.user_id, "ตั้งค่า", line.issue_reply_token(user.user_id))])
    dead_worker_claim = rt.worker.claim()  # claimed, then the process "dies" before finishing
    assert dead_worker_claim is not None
    assert rt.worker.claim() is None  # still leased to the dead worker
    clock.advance(minutes=3)
    rt.process_pending()
    assert rt.worker.process(dead_worker_claim) == "lost"  # the old worker waking up can't finish it twice
    with rt.db.transaction() as session:
        event = session.scalars(select(InboundEvent)).one()
        assert event.status == "done" and event.attempts == 2
    deliveries = line.deliveries(user.user_id)
    assert len(deliveries) == 1  # one answer (its reply token was still usable or it became a push)


def test_failing_handler_is_retried_then_shown_as_failed_and_the_user_is_told(harness, rt, clock, line, monkeypatch):
    user = harness.user("สมจิตร")
    calls = []

    def broken(ctx, reason):
        calls.append(1)
        raise RuntimeError(f"could not handle {ctx.text}")

    monkeypatch.setattr(rt.worker.bot, "help_handler", broken)
    harness.post_events([ev.text_event(user.user_id, "บ้านเลขที่ 99/1", line.issue_reply_token(user.user_id))])
    for _ in range(rt.settings.EVENT_MAX_ATTEMPTS):
        rt.process_pending()
        clock.advance(minutes=10)
    rt.process_pending()
    assert len(calls) == rt.settings.EVENT_MAX_ATTEMPTS
    with rt.db.transaction() as session:
        event = session.scalars(select(InboundEvent)).one()
    assert event.status == "failed" and "RuntimeError" in event.last_error and "broken" in event.last_error
    assert "บ้านเลขที่" not in event.last_error  # exception messages may quote personal data
    texts = [m["text"] for d in line.deliveries(user.user_id) for m in d.messages]
    assert len(texts) == 1 and "ขออภัย" in texts[0]


def test_follow_and_unfollow_are_recorded_on_the_citizen(chat, rt):
    somsri = chat("สมศรี")
    somsri.follow()
    with rt.db.transaction() as session:
        assert citizens.get(session, somsri.user_id).is_following is True
    somsri.unfollow()
    with rt.db.transaction() as session:
        citizen = session.scalars(select(Citizen)).one()
        assert citizen.is_following is False and citizen.unfollowed_at is not None


@pytest.mark.parametrize("event_type", ["join", "leave", "memberJoined", "accountLink"])
def test_events_the_bot_does_not_use_are_acknowledged_quietly(harness, rt, line, event_type):
    user = harness.user()
    event = ev.follow_event(user.user_id)
    event["type"] = event_type
    event.pop("follow")
    harness.post_events([event])
    rt.process_pending()
    assert line.deliveries(user.user_id) == []


def test_loading_animation_shows_only_when_handling_takes_long(harness, rt, line, monkeypatch):
    import time

    slow = harness.user("รอนาน")
    fast = harness.user("เร็ว")
    rt.worker.loading_after = 0.05
    original = rt.worker.bot.help_handler

    def slow_help(ctx, reason):
        if ctx.user_id == slow.user_id:
            time.sleep(0.4)  # e.g. resizing a large photo
        original(ctx, reason)

    monkeypatch.setattr(rt.worker.bot, "help_handler", slow_help)
    slow.says("อะไรนะ")
    fast.says("อะไรนะ")
    chats = [r.body["chatId"] for r in line.requests("/v2/bot/chat/loading/start")]
    assert chats == [slow.user_id]
