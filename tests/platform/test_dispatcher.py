"""The outbox dispatcher against the LINE emulator: batching, retry keys, faults, dead letters, reply fallback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models.outbox import enqueue
from models.platform import OutboxMessage
from services import notify


def _hello(n: int = 0) -> dict:
    return {"type": "text", "text": f"ข่าวโครงการ #{n}"}


def _drain(rt, clock, rounds: int = 60) -> None:
    """Sends until nothing is pending, moving the clock past each backoff."""
    for _ in range(rounds):
        rt.dispatcher.run_until_idle()
        with rt.db.transaction() as session:
            pending = session.scalars(select(OutboxMessage).where(OutboxMessage.status.in_(("pending", "sending")))).all()
        if not pending:
            return
        clock.advance(seconds=400)
    raise AssertionError("outbox did not drain")


def test_501_recipients_make_two_multicasts(rt, clock, line):
    ids = [f"U{i:032x}" for i in range(501)]
    with rt.db.transaction() as session:
        notify.multicast(session, ids, [_hello()], clock(), source="test")
    _drain(rt, clock)
    multicasts = line.requests("/v2/bot/message/multicast")
    assert sorted(len(r.body["to"]) for r in multicasts) == [1, 500]
    assert {d.user_id for d in line.deliveries()} == set(ids)


def test_every_message_is_delivered_exactly_once_under_500s_429s_and_timeouts(rt, clock, line):
    users = [line.add_user(f"คนที่ {i}")["userId"] for i in range(12)]
    for uid in users:
        line.set_following(uid, True)
    with rt.db.transaction() as session:
        for n, uid in enumerate(users):
            notify.push(session, uid, [_hello(n)], clock())
        notify.multicast(session, users, [_hello(99)], clock())
    line.inject_fault("/v2/bot/message/push", status=500, times=4)
    line.inject_fault("/v2/bot/message/push", status=429, times=2)
    # Accepted by LINE but the answer comes too late: the retry must not deliver twice (409 = already sent).
    line.inject_fault("/v2/bot/message/push", status=None, accept=True, delay=2.5, times=2)
    line.inject_fault("/v2/bot/message/multicast", status=503, times=1)
    line.inject_fault("/v2/bot/message/multicast", status=None, accept=True, delay=2.5, times=1)
    _drain(rt, clock)
    for n, uid in enumerate(users):
        texts = [m["text"] for d in line.deliveries(uid) for m in d.messages]
        assert sorted(texts) == sorted([f"ข่าวโครงการ #{n}", "ข่าวโครงการ #99"]), uid
    with rt.db.transaction() as session:
        statuses = {row.status for row in session.scalars(select(OutboxMessage))}
    assert statuses == {"sent"}
    assert any(r.status == 409 for r in line.requests("/v2/bot/message/*"))


def test_each_row_keeps_one_retry_key_across_attempts(rt, clock, line):
    uid = line.add_user("สมพร")["userId"]
    with rt.db.transaction() as session:
        row = notify.push(session, uid, [_hello()], clock())
    line.inject_fault("/v2/bot/message/push", status=500, times=3)
    _drain(rt, clock)
    keys = {r.headers.get("x-line-retry-key") for r in line.requests("/v2/bot/message/push")}
    assert keys == {row.retry_key}
    assert len(line.deliveries(uid)) == 1


def test_409_with_accepted_request_id_counts_as_sent(rt, clock, line):
    uid = line.add_user("สมบัติ")["userId"]
    with rt.db.transaction() as session:
        row = notify.push(session, uid, [_hello()], clock())
    rt.dispatcher.run_until_idle()
    first_request_id = line.requests("/v2/bot/message/push")[0].headers  # noqa: F841 - request headers, not needed
    with rt.db.transaction() as session:  # pretend we never saw the answer and send again
        stored = session.get(OutboxMessage, row.id)
        stored.status = "pending"
    rt.dispatcher.run_until_idle()
    with rt.db.transaction() as session:
        stored = session.get(OutboxMessage, row.id)
        assert stored.status == "sent" and stored.last_status == 409 and stored.line_request_id
    assert len(line.deliveries(uid)) == 1


@pytest.mark.line_errors_expected
def test_other_4xx_becomes_a_dead_letter_with_lines_details(rt, clock, line):
    uid = line.add_user("สมศักดิ์")["userId"]
    with rt.db.transaction() as session:
        enqueue(session, "push", [{"type": "text", "text": "x" * 5001}], now=clock(), recipients=[uid])
    rt.dispatcher.run_until_idle()
    with rt.db.transaction() as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert row.status == "dead" and row.last_status == 400
    assert row.last_error["details"]
    assert row.attempts == 0  # not retried: it would fail the same way


def test_persistent_5xx_ends_as_a_dead_letter_after_bounded_attempts(rt, clock, line):
    uid = line.add_user("สมทรง")["userId"]
    with rt.db.transaction() as session:
        notify.push(session, uid, [_hello()], clock())
    line.inject_fault("/v2/bot/message/push", status=500, times=rt.settings.OUTBOX_MAX_ATTEMPTS)
    for _ in range(rt.settings.OUTBOX_MAX_ATTEMPTS + 1):
        rt.dispatcher.run_until_idle()
        clock.advance(seconds=400)
    with rt.db.transaction() as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert row.status == "dead" and row.attempts == rt.settings.OUTBOX_MAX_ATTEMPTS


def test_reply_with_an_unusable_token_is_sent_as_a_push(rt, clock, line):
    uid = line.add_user("สมนึก")["userId"]
    with rt.db.transaction() as session:
        enqueue(session, "reply", [_hello()], now=clock(), recipients=[uid], reply_token="expired-token")
    _drain(rt, clock)
    deliveries = line.deliveries(uid)
    assert [d.via for d in deliveries] == ["push"]
    with rt.db.transaction() as session:
        kinds = {(r.kind, r.status) for r in session.scalars(select(OutboxMessage))}
    assert kinds == {("reply", "replaced"), ("push", "sent")}


def test_reply_too_old_to_use_goes_straight_to_push(rt, clock, line):
    uid = line.add_user("สมควร")["userId"]
    token = line.issue_reply_token(uid)
    with rt.db.transaction() as session:
        enqueue(session, "reply", [_hello()], now=clock(), recipients=[uid], reply_token=token)
    clock.advance(timedelta(minutes=2))
    _drain(rt, clock)
    assert [d.via for d in line.deliveries(uid)] == ["push"]
    assert line.requests("/v2/bot/message/reply") == []


def test_push_to_someone_who_unfollowed_is_not_sent(chat, rt, clock, line):
    somchai = chat("สมชาย")
    somchai.follow()
    somchai.unfollow()
    with rt.db.transaction() as session:
        assert notify.push(session, somchai.user_id, [_hello()], clock()) is None
        assert notify.multicast(session, [somchai.user_id], [_hello()], clock()) == []


@pytest.mark.line_errors_expected
def test_a_reply_refused_for_its_body_is_a_dead_letter_not_a_push(rt, clock, line):
    uid = line.add_user("สมใจ")["userId"]
    token = line.issue_reply_token(uid)
    with rt.db.transaction() as session:
        enqueue(session, "reply", [{"type": "text", "text": "x" * 5001}], now=clock(), recipients=[uid], reply_token=token)
    _drain(rt, clock)
    with rt.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage)).all()
    assert [(r.kind, r.status) for r in rows] == [("reply", "dead")]


def test_multicast_to_more_people_than_one_query_can_name_is_filtered_in_chunks(rt, clock, chat):
    somchai = chat("สมชาย")
    somchai.follow()
    somchai.unfollow()
    ids = [f"U{i:032x}" for i in range(70_000)] + [somchai.user_id]
    with rt.db.transaction() as session:
        rows = notify.multicast(session, ids, [_hello()], clock())
    assert sum(len(r.recipients) for r in rows) == 70_000 and len(rows) == 140
    assert all(somchai.user_id not in r.recipients for r in rows)


def test_senders_wait_for_line_side_by_side_not_one_after_another(rt, clock):
    """At 100 ms a call LINE's 2,000 requests/s need a hundred requests in flight, not a thread count's worth."""
    import threading

    from bot.dispatcher import Dispatcher
    from bot.line_client import SendResult

    in_flight = 40
    all_waiting = threading.Barrier(in_flight, timeout=20)

    class SlowLine:
        def send(self, kind: str, body: dict, retry_key: str | None = None) -> SendResult:
            all_waiting.wait()  # returns only once `in_flight` requests are waiting for LINE at the same time
            return SendResult(status=200, request_id="req")

    with rt.db.transaction() as session:
        for n in range(in_flight):
            enqueue(session, "push", [_hello(n)], now=clock(), recipients=[f"U{n:032x}"])
    dispatcher = Dispatcher(rt.db, SlowLine(), clock, threads=64, batch=16)
    dispatcher.start()
    try:
        for _ in range(300):
            with rt.db.transaction() as session:
                statuses = session.scalars(select(OutboxMessage.status)).all()
            if set(statuses) == {"sent"}:
                break
            threading.Event().wait(0.05)
    finally:
        dispatcher.stop()
    assert not all_waiting.broken
    assert statuses == ["sent"] * in_flight  # and the recorder wrote every outcome
