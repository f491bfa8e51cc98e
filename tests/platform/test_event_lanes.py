"""Claiming by lanes: bounded lookups, round-robin between people, one transaction per batch with a per-event
fallback, nothing stranded when a webhook and a worker meet on the same person."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from bot.event_store import EventInbox, claim_batch
from bot.router import Bot, Router
from line_emulator import events as ev
from models.platform import EventLane, InboundEvent, OutboxMessage


def _recording_bot(seen: list, lock: threading.Lock, fail_on: str | None = None) -> Bot:
    router = Router("record")

    @router.fallback
    def record(ctx) -> bool:
        if ctx.text == fail_on:
            raise RuntimeError("handler bug")
        with lock:
            seen.append((ctx.user_id, ctx.text))
        ctx.reply({"type": "text", "text": f"ได้รับ {ctx.text}"})
        return True

    return Bot([router], help_handler=lambda ctx, r: None, stale_handler=lambda ctx, r: None)


def _count(rt, model, *where) -> int:
    with rt.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_flood_from_one_person_does_not_hold_up_someone_who_writes_once(harness, rt, line):
    seen: list = []
    rt.worker.bot = _recording_bot(seen, threading.Lock())
    flooder, newcomer = harness.user("ส่งรัว"), harness.user("มาใหม่")
    harness.post_events([ev.text_event(flooder.user_id, str(n)) for n in range(200)])
    harness.post_events([ev.text_event(newcomer.user_id, "สวัสดีค่ะ", line.issue_reply_token(newcomer.user_id))])
    rt.worker.run_once()  # one batch: the flooder's first message and the newcomer's, not the flooder's next 15
    assert seen == [(flooder.user_id, "0"), (newcomer.user_id, "สวัสดีค่ะ")]
    rt.process_pending()
    assert [t for u, t in seen if u == flooder.user_id] == [str(n) for n in range(200)]
    assert [m["text"] for d in line.deliveries(newcomer.user_id) for m in d.messages] == ["ได้รับ สวัสดีค่ะ"]
    assert _count(rt, EventLane) == 0  # every lane is gone once its person has nothing waiting


def test_people_are_served_in_turn(harness, rt, clock):
    seen: list = []
    rt.worker.bot = _recording_bot(seen, threading.Lock())
    rt.worker.batch = 1
    a, b = harness.user("เอ"), harness.user("บี")
    harness.post_events([ev.text_event(a.user_id, str(n)) for n in range(3)])
    clock.advance(milliseconds=1)
    harness.post_events([ev.text_event(b.user_id, str(n)) for n in range(3)])
    clock.advance(milliseconds=1)
    while rt.worker.run_once():
        clock.advance(milliseconds=1)  # a person who was just served goes behind everyone waiting
    assert [u for u, _ in seen] == [a.user_id, b.user_id] * 3


def test_under_a_backlog_whoever_writes_now_is_answered_first(harness, rt, clock, line):
    """Adaptive LIFO: a backlog that has waited over a second goes behind a message written just now."""
    seen: list = []
    rt.worker.bot = _recording_bot(seen, threading.Lock())
    waiting = [harness.user(f"รอคิว {n}") for n in range(40)]
    harness.post_events([ev.text_event(u.user_id, "ค้าง") for u in waiting])
    clock.advance(seconds=30)
    newcomer = harness.user("เพิ่งทัก")
    harness.post_events([ev.text_event(newcomer.user_id, "สอบถามค่ะ", line.issue_reply_token(newcomer.user_id))])
    rt.worker.batch = 8
    rt.worker.run_once()
    assert seen[0] == (newcomer.user_id, "สอบถามค่ะ")
    assert [m["text"] for d in line.deliveries(newcomer.user_id) for m in d.messages] == ["ได้รับ สอบถามค่ะ"]
    rt.process_pending()
    assert sorted(u for u, _ in seen[1:]) == sorted(u.user_id for u in waiting)  # and nobody is left behind


def test_events_without_a_user_are_not_queued_behind_one_another(harness, rt):
    events = []
    for n in range(5):
        event = ev.text_event("U" + "9" * 32, f"ห้อง {n}")
        event["source"] = {"type": "room", "roomId": f"R{n:032d}"}
        events.append(event)
    for _ in range(3):
        event = ev.follow_event("U" + "8" * 32)
        event["type"], event["source"] = "beacon", {}
        events.append(event)
    harness.post_events(events)
    with rt.db.transaction() as session:
        claims = claim_batch(session, rt.clock(), timedelta(minutes=2), 16)
    assert len(claims) == 8  # every one at once: none waits for another


def test_a_failing_handler_does_not_undo_the_others_in_its_batch(harness, rt, line):
    seen: list = []
    rt.worker.bot = _recording_bot(seen, threading.Lock(), fail_on="พัง")
    good, bad = harness.user("ปกติ"), harness.user("พัง")
    harness.post_events([ev.text_event(good.user_id, "สวัสดี", line.issue_reply_token(good.user_id)),
                         ev.text_event(bad.user_id, "พัง", line.issue_reply_token(bad.user_id)),
                         ev.text_event(good.user_id, "ขอบคุณ", line.issue_reply_token(good.user_id))])
    rt.process_pending()
    # The batch was rolled back and run again event by event: the good events took effect once each.
    assert [m["text"] for d in line.deliveries(good.user_id) for m in d.messages] == ["ได้รับ สวัสดี", "ได้รับ ขอบคุณ"]
    with rt.db.transaction() as session:
        statuses = dict(session.execute(select(InboundEvent.source_key, InboundEvent.status)
                                        .where(InboundEvent.source_key == f"u:{bad.user_id}")).all())
        lane = session.scalars(select(EventLane)).one()  # the failing one waits for its retry
    assert statuses == {f"u:{bad.user_id}": "pending"}
    assert lane.source_key == f"u:{bad.user_id}" and lane.ready_at > rt.clock()


def test_answers_are_written_already_claimed_and_sent_by_reply(harness, rt, line):
    user = harness.user("สมใจ")
    harness.post_events([ev.text_event(user.user_id, "ช่วยเหลือ", line.issue_reply_token(user.user_id))])
    rt.worker.run_until_idle()  # handles the event; its reply goes out before run_until_idle returns
    with rt.db.transaction() as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert (row.kind, row.status) == ("reply", "sent")
    assert len(line.requests("/v2/bot/message/reply")) == 1 and line.requests("/v2/bot/message/push") == []


def test_a_lane_of_a_crashed_worker_is_served_again_after_its_lease(harness, rt, clock):
    seen: list = []
    rt.worker.bot = _recording_bot(seen, threading.Lock())
    user = harness.user("สมปอง")
    harness.post_events([ev.text_event(user.user_id, "1"), ev.text_event(user.user_id, "2")])
    assert len(rt.worker.claim_batch(16)) == 1  # claimed, then the worker "dies"
    assert rt.worker.claim_batch(16) == []
    clock.advance(minutes=3)
    rt.process_pending()
    assert seen == [(user.user_id, "1"), (user.user_id, "2")]
    assert _count(rt, InboundEvent, InboundEvent.status != "done") == 0


def test_claiming_reads_indexes_only_whatever_the_backlog(rt):
    """The claim's queries never scan the events table: each is an index seek (SQLite's plan says so)."""
    if rt.db.dialect != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN; PostgreSQL's plans depend on table statistics")
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((statement, parameters))

    from sqlalchemy import event

    inbox = EventInbox(rt.db)
    inbox.store([ev.text_event("U" + f"{n % 7}" * 32, str(n)) for n in range(50)], rt.clock())
    event.listen(rt.db.engine, "before_cursor_execute", record)
    try:
        with rt.db.transaction() as session:
            claim_batch(session, rt.clock(), timedelta(minutes=2), 4)
    finally:
        event.remove(rt.db.engine, "before_cursor_execute", record)
    assert statements
    with rt.db.engine.connect() as conn:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = " | ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "SCAN inbound_events" not in plan and "SCAN head" not in plan, plan
            assert "SCAN event_lanes" not in plan or "INDEX" in plan, plan


def test_a_webhook_and_a_worker_meeting_on_one_person_strand_nothing(rt):
    """Webhooks keep storing messages of a few people while workers finish theirs: every event is handled."""
    rounds = 30
    rt.worker.threads = 3
    seen: list = []
    rt.worker.bot = _recording_bot(seen, threading.Lock())
    rt.worker.deliver = None
    rt.worker.start()
    inbox = EventInbox(rt.db)
    users = ["U" + f"{n:x}" * 32 for n in range(4)]
    try:
        for round_ in range(rounds):
            inbox.store([ev.text_event(u, f"{round_}") for u in users], rt.clock())
            rt.worker.wake()
            threading.Event().wait(0.005)
        for _ in range(400):
            if len(seen) == rounds * len(users):
                break
            threading.Event().wait(0.05)
    finally:
        rt.worker.stop()
    assert len(seen) == rounds * len(users)
    for u in users:
        assert [t for uid, t in seen if uid == u] == [str(r) for r in range(rounds)]
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(EventLane)) == 0
        assert session.execute(text("SELECT COUNT(*) FROM inbound_events WHERE status <> 'done'")).scalar() == 0


def test_running_workers_answer_by_reply_through_the_sender_loop(harness, rt, line):
    """The real roles, as `python app.py` runs them: workers hand replies to the dispatcher's aiohttp loop."""
    people = [harness.user(f"คนที่ {n}") for n in range(30)]
    line.inject_fault("/v2/bot/message/reply", status=None, times=30, delay=0.3)  # LINE is slow today
    rt.dispatcher.start()
    rt.worker.start()
    try:
        harness.post_events([ev.text_event(p.user_id, "ช่วยเหลือ", line.issue_reply_token(p.user_id)) for p in people])
        rt.worker.wake()
        for _ in range(1200):  # a bound, not a speed test
            if all(line.deliveries(p.user_id) for p in people):
                break
            threading.Event().wait(0.05)
    finally:
        rt.worker.stop()
        rt.dispatcher.stop()
    assert all(len(line.deliveries(p.user_id)) == 1 for p in people)
    assert len(line.requests("/v2/bot/message/reply")) == 30 and line.requests("/v2/bot/message/push") == []
    with rt.db.transaction() as session:
        assert set(session.scalars(select(OutboxMessage.status))) == {"sent"}


def test_a_batch_reads_its_citizens_in_one_query(chat, rt):
    """Handlers of a batch find their citizen without a query each (services.citizens.preload)."""
    from sqlalchemy import event

    from services import citizens

    people = [chat(f"คนที่ {n}") for n in range(3)]
    for person in people:
        person.follow()
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    with rt.db.transaction() as session:
        citizens.preload(session, [p.user_id for p in people])
        event.listen(rt.db.engine, "before_cursor_execute", record)
        try:
            found = [citizens.get(session, p.user_id) for p in people]
            missing = citizens.get(session, "U" + "0" * 32)
        finally:
            event.remove(rt.db.engine, "before_cursor_execute", record)
    assert [c.line_user_id for c in found] == [p.user_id for p in people] and missing is None
    assert len(statements) == 1  # only the one for the person nobody has met
