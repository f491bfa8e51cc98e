"""The store's bookkeeping: bounded memory, shared multicast messages, reset, faults and request records."""

from __future__ import annotations

import pytest

from line_emulator.store import EmulatorStore


def multicast(store: EmulatorStore, ids: list[str], messages: list[dict], request_id: str = "r"):
    return store.send("multicast", messages, request_id=request_id, to=ids)


def test_multicast_shares_one_message_list_between_recipients(store):
    messages = [{"type": "text", "text": "ประกาศ"}]
    ids = [f"U{i:032x}" for i in range(500)]
    result = multicast(store, ids, messages)
    assert (result.status, result.body) == (200, {})
    deliveries = store.deliveries()
    assert len(deliveries) == 500 and all(d.messages is messages for d in deliveries)
    assert [d.seq for d in deliveries] == list(range(1, 501))
    assert store.deliveries(since=498) == deliveries[-2:]
    assert store.deliveries(ids[3]) == [deliveries[3]]
    assert store.consumption() == 500


def test_deliveries_are_bounded_oldest_first(store):
    store.MAX_DELIVERIES = 1_000
    store.MAX_DELIVERIES_PER_USER = 3
    chatty = "U" + "e" * 32
    for round_ in range(5):
        multicast(store, [chatty], [{"type": "text", "text": str(round_)}], request_id=f"c{round_}")
    assert [d.messages[0]["text"] for d in store.deliveries(chatty)] == ["2", "3", "4"]
    ids = [f"U{i:032x}" for i in range(500)]
    for round_ in range(4):
        multicast(store, ids, [{"type": "text", "text": "x"}], request_id=f"m{round_}")
    everything = store.deliveries()
    assert len(everything) == 1_000 and everything[-1].seq == store.last_seq() == 2_005
    assert store.deliveries(chatty) == []  # aged out of the global window as well
    assert len(store.deliveries(ids[0])) == 2


def test_recorded_requests_are_bounded(store):
    from line_emulator.store import RecordedRequest

    store.MAX_REQUESTS = 10
    for i in range(25):
        store.record_request(RecordedRequest("POST", f"/v2/bot/message/push#{i}", {}, None, 200, {}, 0.0, 10))
    paths = [r.path for r in store.requests()]
    assert len(paths) == 10 and paths[-1].endswith("#24")
    assert [r.path for r in store.requests("/v2/bot/message/push#2?")] == [f"/v2/bot/message/push#{i}"
                                                                          for i in range(20, 25)]


def test_reset_keeps_users_and_seq(store):
    alice = store.add_user("สมศรี")["userId"]
    store.send("push", [{"type": "text", "text": "x"}], request_id="r1", to=[alice], retry_key="k")
    store.inject_fault("/v2/*")
    seq = store.last_seq()
    store.reset()
    assert store.deliveries() == [] and store.requests() == [] and store.consumption() == 0
    assert store.take_fault("/v2/bot/info") is None
    assert store.get_user(alice)["displayName"] == "สมศรี"
    assert store.last_seq() == seq
    again = store.send("push", [{"type": "text", "text": "x"}], request_id="r2", to=[alice], retry_key="k")
    assert again.status == 200  # retry keys were forgotten


def test_faults_are_consumed_in_order(store):
    store.inject_fault("/v2/bot/message/push", status=500, times=2)
    store.inject_fault("/v2/bot/message/*", status=429)
    assert [f.status for f in (store.take_fault("/v2/bot/message/push") for _ in range(3))] == [500, 500, 429]
    assert store.take_fault("/v2/bot/message/push") is None


def test_users_and_following(store):
    profile = store.add_user("สมศรี", language="en", following=False)
    assert profile["userId"].startswith("U") and len(profile["userId"]) == 33
    assert store.is_following(profile["userId"]) is False and store.followers() == []
    store.set_following(profile["userId"], True)
    assert store.followers() == [profile["userId"]]
    with pytest.raises(KeyError):
        store.set_following("U" + "0" * 32, True)


def test_blocked_users_receive_nothing_and_cost_nothing(store):
    alice = store.add_user("สมศรี")["userId"]
    store.set_following(alice, False)
    result = store.send("push", [{"type": "text", "text": "x"}], request_id="r", to=[alice])
    assert result.status == 200 and store.deliveries() == [] and store.consumption() == 0


def test_a_large_multicast_run_stays_within_memory_bounds():
    """A benchmark-sized run: 100,000 recipients in 200 requests, all recorded, one message list each."""
    store = EmulatorStore(rate_limits=False)
    messages = [{"type": "text", "text": "ประกาศจาก อบจ."}]
    for batch in range(200):
        multicast(store, [f"U{batch * 500 + i:032x}" for i in range(500)], messages, request_id=str(batch))
    assert store.last_seq() == 100_000 and store.consumption() == 100_000
    assert len(store.deliveries(since=99_990)) == 10
    assert store.deliveries(f"U{99_999:032x}")[0].messages is messages
