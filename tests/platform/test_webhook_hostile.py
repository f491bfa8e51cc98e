"""Hostile webhook bodies: any validly signed body gets a 2xx or a 4xx, never a 5xx, and every event stored from
it ends 'done' or 'invalid' (with its reason, for staff), never 'failed' after five retries.

What the webhook decided (bot/event_shape.py): 400 for a body that is not well-formed (not UTF-8 JSON, not an
object, `events` not a list, nested deeper than 64 levels, NaN); every object in `events` is stored; lone
surrogates and NUL in strings become U+FFFD; numbers beyond a float (1e400) or Python's int conversion are kept as
their text; the worker marks an event whose fields have the wrong types invalid once.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as tally
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.event_shape import MAX_DEPTH, event_problem
from line_emulator import events as ev
from models.platform import InboundEvent
from services import privacy
from tests.conftest import ADMIN_ID, SECRET
from texts import console as console_texts

USERS = ("U" + "1" * 32, "U" + "2" * 32, "U" + "3" * 32)
# Swapped just before posting for a reply token the emulator issued, and for a new webhookEventId (hypothesis likes
# to draw the same value again, and a repeated id is a redelivery: stored once).
FRESH_TOKEN = "fresh-reply-token"
FRESH_ID = "fresh-event-id"


class Raw(str):
    """JSON text put into a body as it is: nesting Python cannot build, numbers it cannot hold, escapes."""


def encode(body: Any, *, ascii_only: bool = True) -> bytes:
    """The body as LINE would send it, with each Raw value's text spliced in where it stands."""
    raws: list[str] = []

    def mark(value: Any) -> Any:
        if isinstance(value, Raw):
            raws.append(str(value))
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mark(item) for item in value]
        return value

    text = json.dumps(mark(body), ensure_ascii=ascii_only, separators=(",", ":"))
    for index, raw in enumerate(raws):
        text = text.replace(f'"@@raw{index}@@"', raw, 1)
    return text.encode("utf-8", "surrogatepass")  # a raw lone surrogate makes it invalid UTF-8: a 400 case too


def post(client, body: bytes) -> int:
    return client.post("/callback", data=body, content_type="application/json",
                       headers={"X-Line-Signature": ev.sign(body, SECRET)}).status_code


def stored(rt) -> list[InboundEvent]:
    with rt.db.transaction() as session:
        return list(session.scalars(select(InboundEvent).order_by(InboundEvent.id)))


def with_fresh_tokens(node: Any, line) -> Any:
    if isinstance(node, dict):
        return {key: with_fresh_tokens(value, line) for key, value in node.items()}
    if isinstance(node, list):
        return [with_fresh_tokens(value, line) for value in node]
    if node == FRESH_TOKEN:
        return line.issue_reply_token(USERS[0])
    if node == FRESH_ID:
        return ev.new_webhook_event_id()
    return node


# ---- strategies ---------------------------------------------------------------------------------------------------
def nested(depth: int, kind: str = "[") -> Raw:
    if kind == "[":
        return Raw("[" * depth + "]" * depth)
    return Raw('{"a":' * depth + "1" + "}" * depth)


lone_surrogates = st.sampled_from(["\ud800", "\udfff", "a\udbff", "\udc00b", "\ud83d"])
bad_strings = st.one_of(
    st.builds(lambda a, bad, b: a + bad + b, st.text(max_size=5), st.sampled_from(["\x00", "\ud800", "\udc00"]),
              st.text(max_size=5)),
    lone_surrogates,
    st.just(Raw('"\\u0000"')), st.just(Raw('"x\\ud800y"')), st.just(Raw('"\\uDFFF"')),
    st.just("ก" * 6000), st.just("x" * 400),
)
huge_numbers = st.sampled_from([10**30, -(10**30), 2**63, 2**64 + 1, 1e308, -1e308, 5e-324,
                                Raw("1e400"), Raw("-1e400"), Raw("1" + "0" * 5000), Raw("1.5e-400")])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
# Values an event can hold and still be stored (the worker then marks it invalid or handles it).
storable_values = st.one_of(
    st.sampled_from([None, True, False, 0, -1, "", "x", [], {}, [1, "a"], {"a": 1}, "U" + "0" * 32]),
    huge_numbers, bad_strings, json_values,
    st.sampled_from([nested(3), nested(MAX_DEPTH - 8), nested(MAX_DEPTH - 8, "{")]),
)
# Values that make the whole body malformed: 400.
too_deep = st.sampled_from([nested(MAX_DEPTH + 1), nested(1000), nested(1000, "{"), nested(100_000)])
hostile_values = st.one_of(storable_values, too_deep)


def mostly(common: st.SearchStrategy, rare: st.SearchStrategy, in_ten: int = 9) -> st.SearchStrategy:
    """`common` in_ten times out of ten, else `rare` (most examples should reach the worker)."""
    return st.integers(1, 10).flatmap(lambda n: common if n <= in_ten else rare)


@st.composite
def realistic_events(draw) -> dict:
    """An event as LINE sends it, of any type the bot knows (and one it does not)."""
    user = draw(st.sampled_from(USERS))
    event_id = FRESH_ID
    kind = draw(st.sampled_from(["text", "image", "sticker", "location", "postback", "follow", "unfollow", "join",
                                 "leave", "memberJoined", "beacon", "accountLink", "things", "unsend",
                                 "videoPlayComplete", "somethingNew"]))
    token = FRESH_TOKEN if user == USERS[0] else None
    if kind == "text":
        words = st.sampled_from(["ช่วยเหลือ", "ตั้งค่า", "ตลาดชุมชน", "สวัสดี 🙏", "ข่าวโครงการ"])
        text = draw(words | st.text(max_size=30))
        return ev.text_event(user, text, token, event_id=event_id, message_id=str(draw(st.integers(1, 10**18))))
    if kind == "image":
        return ev.image_event(user, str(draw(st.integers(1, 10**18))), token, event_id=event_id)
    if kind == "sticker":
        return ev.sticker_event(user, token, event_id=event_id)
    if kind == "postback":
        data = draw(st.sampled_from(["trn_s:1", "nope", "", "x:99999999999999999999"]) | st.text(max_size=20))
        params = draw(st.sampled_from([None, {"date": "2026-12-01"}, {"datetime": "2026-12-01T09:00"}]))
        return ev.postback_event(user, data, token, params=params, event_id=event_id)
    if kind == "follow":
        return ev.follow_event(user, token, event_id=event_id)
    if kind == "unfollow":
        return ev.unfollow_event(user, event_id=event_id)
    event = ev.follow_event(user, token, event_id=event_id)
    event.pop("follow")
    event["type"] = "message" if kind == "location" else kind
    event.update({
        "location": {"message": {"type": "location", "id": "325708", "title": "อบจ.ขอนแก่น",
                                 "address": "ถนนมะลิวัลย์ ขอนแก่น", "latitude": 16.44, "longitude": 102.83}},
        "join": {"source": {"type": "group", "groupId": "C" + "4" * 32}},
        "leave": {"source": {"type": "group", "groupId": "C" + "4" * 32}},
        "memberJoined": {"source": {"type": "group", "groupId": "C" + "4" * 32},
                         "joined": {"members": [{"type": "user", "userId": user}]}},
        "beacon": {"beacon": {"hwid": "d41d8cd98f", "type": "enter", "dm": "1234"}},
        "accountLink": {"link": {"result": "ok", "nonce": "xxxxxxxxxxxxxxx"}},
        "things": {"things": {"deviceId": "t2c449c9d1", "type": "link"}},
        "unsend": {"unsend": {"messageId": "325708"}},
        "videoPlayComplete": {"videoPlayComplete": {"trackingId": "track-id"}},
        "somethingNew": {"somethingNew": {"anything": [1, {"goes": True}]}},
    }.get(kind, {}))
    return event


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in an event a value could be swapped (the event itself is the empty path)."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def replace(node: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    if isinstance(node, dict):
        return {**node, path[0]: replace(node[path[0]], path[1:], value)}
    copy = list(node)
    copy[path[0]] = replace(copy[path[0]], path[1:], value)
    return copy


@st.composite
def hostile_events(draw) -> Any:
    """A realistic event with one to three values swapped for hostile ones, at any level, or a new field added."""
    event = draw(realistic_events())
    for _ in range(draw(st.integers(1, 3))):
        objects = [p for p in paths(event) if isinstance(_at(event, p), dict)]
        if draw(st.booleans()) or not objects:
            path = draw(st.sampled_from(paths(event)))
        else:  # a field LINE might add, at some level
            parent = draw(st.sampled_from(objects))
            name = draw(st.sampled_from(["extra", "emojis", "params", "mention", "message", "postback", "\ud800"]))
            path = (*parent, name)
            event = replace(event, parent, {**_at(event, parent), path[-1]: None})
        event = replace(event, path, draw(mostly(storable_values, too_deep)))
    return event


def _at(node: Any, path: tuple) -> Any:
    for key in path:
        node = node[key]
    return node


def _envelope_of(events: Any) -> dict:
    return {"destination": "U" + "f" * 32, "events": events}


well_formed_bodies = st.builds(_envelope_of, st.lists(
    mostly(hostile_events(), st.one_of(realistic_events(), storable_values), 7), min_size=1, max_size=3))
malformed_bodies = st.one_of(st.builds(_envelope_of, hostile_values), hostile_values)
bodies = mostly(well_formed_bodies, malformed_bodies, 8)


# ---- the property -------------------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(body=bodies, ascii_only=mostly(st.just(True), st.just(False), 8))
def test_any_signed_body_gets_an_answer_below_500_and_every_stored_event_ends_done_or_invalid(
        harness, rt, line, body, ascii_only):
    before = len(stored(rt))
    raw = encode(with_fresh_tokens(body, line), ascii_only=ascii_only)
    status = post(harness.client, raw)
    assert status in (200, 400), status
    rt.process_pending()
    rows = stored(rt)
    tally(f"answer {status}")  # --hypothesis-show-statistics: how many reached the worker, and how they ended
    for row in rows[before:]:
        tally(f"stored {row.status}")
    if status == 400:
        assert len(rows) == before  # nothing half-stored
    unfinished = [(row.id, row.event_type, row.status, row.last_error) for row in rows
                  if row.status not in ("done", "invalid")]
    assert not unfinished
    assert all(row.last_error for row in rows if row.status == "invalid")
    assert all(event_problem(row.payload) is None for row in rows if row.status == "done")


# ---- the cases, one by one ----------------------------------------------------------------------------------------
def _text_event(text: Any = "สวัสดี", **changes: Any) -> dict:
    event = ev.text_event(USERS[0], "สวัสดี")
    event["message"]["text"] = text
    event.update(changes)
    return event


def _envelope(*events: Any) -> dict:
    return {"destination": "U" + "f" * 32, "events": list(events)}


def _one_event_ends(harness, rt, body: bytes, status: str, reason: str | None = None) -> InboundEvent:
    assert post(harness.client, body) == 200
    rt.process_pending()
    [row] = stored(rt)
    assert (row.status, row.last_error if status == "invalid" else None) == (status, reason)
    return row


@pytest.mark.parametrize("body", [
    b'{"events":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"events":[' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"]}",
    b"[" * 100_000 + b"]" * 100_000,
    encode(_envelope(_text_event(nested(100_000)))),
    encode(_envelope(_text_event(extra=nested(MAX_DEPTH - 2)))),  # 65 levels: body, events, event, then 62
], ids=["events", "event", "body", "text", "just-over-the-limit"])
def test_deep_nesting_is_400_and_nothing_is_stored(harness, rt, body):
    assert post(harness.client, body) == 400
    assert stored(rt) == []


def test_nesting_within_the_limit_is_stored_and_handled(harness, rt):
    row = _one_event_ends(harness, rt, encode(_envelope(_text_event(extra=nested(MAX_DEPTH - 3)))), "done")  # 64
    assert row.payload["message"]["text"] == "สวัสดี"


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", b'"events"', b"null", b'{"events": "nope"}', b'{"events": {"0": {}}}', b'{"destination": 1}',
    b'{"events": [NaN]}', b'{"events": [{"timestamp": Infinity}]}', b"\xff\xfe{}", b"",
    '{"events": [{"type": "message", "x": "\ud800"}]}'.encode("utf-8", "surrogatepass"),  # not UTF-8
], ids=["not-json", "list", "string", "null", "events-string", "events-object", "no-events", "nan", "infinity",
        "not-utf8", "empty", "raw-surrogate"])
def test_a_body_that_is_not_well_formed_is_400(harness, rt, body):
    assert post(harness.client, body) == 400
    assert stored(rt) == []


def test_source_that_is_a_string_is_stored_and_marked_invalid(harness, rt):
    row = _one_event_ends(harness, rt, encode(_envelope(_text_event(source="U" + "1" * 32))), "invalid",
                          "source is not an object")
    assert row.source_key == f"e:{row.webhook_event_id}"  # a lane of its own


@pytest.mark.parametrize("text", ["ก่อน\ud800หลัง", "\udc00", "ก่อน\x00หลัง"], ids=["high", "low", "nul"])
def test_lone_surrogate_or_nul_in_text_becomes_a_replacement_character_and_is_answered(harness, rt, line, text):
    event = _text_event(text, replyToken=line.issue_reply_token(USERS[0]))
    row = _one_event_ends(harness, rt, encode(_envelope(event)), "done")
    assert row.payload["message"]["text"] == text.replace("\ud800", "\ufffd").replace("\udc00", "\ufffd").replace(
        "\x00", "\ufffd")
    assert line.deliveries(USERS[0])  # the person got an answer


def test_lone_surrogates_in_keys_and_deep_inside_are_replaced_too(harness, rt):
    event = _text_event(extra={"\ud800": ["\x00", {"k\udfff": "\ud83d"}]})
    row = _one_event_ends(harness, rt, encode(_envelope(event)), "done")
    assert row.payload["extra"] == {"\ufffd": ["\ufffd", {"k\ufffd": "\ufffd"}]}


def test_text_that_is_a_number_is_marked_invalid(harness, rt):
    _one_event_ends(harness, rt, encode(_envelope(_text_event(42))), "invalid", "message.text is not a string")


def test_postback_data_that_is_a_list_is_marked_invalid(harness, rt, line):
    event = ev.postback_event(USERS[0], "x", line.issue_reply_token(USERS[0]))
    event["postback"]["data"] = ["trn_s", 1]
    _one_event_ends(harness, rt, encode(_envelope(event)), "invalid", "postback.data is not a string")
    assert line.deliveries(USERS[0]) == []


def test_timestamp_of_ten_to_the_thirtieth_is_stored_and_marked_invalid(harness, rt):
    row = _one_event_ends(harness, rt, encode(_envelope(_text_event(timestamp=10**30))), "invalid",
                          "timestamp is out of range")
    assert row.payload["timestamp"] == 10**30


def test_user_id_that_is_a_list_is_marked_invalid(harness, rt):
    event = _text_event(source={"type": "user", "userId": [USERS[0]]})
    row = _one_event_ends(harness, rt, encode(_envelope(event)), "invalid", "source.userId is not a string")
    assert row.source_key == f"e:{row.webhook_event_id}"  # a lane of its own


def test_huge_numbers_are_stored_and_read_back(harness, rt):
    event = _text_event(extra={"int": 10**30, "float": 1e308, "tiny": 5e-324, "over": Raw("1e400"),
                               "under": Raw("-1e400"), "digits": Raw("9" * 5000)})
    row = _one_event_ends(harness, rt, encode(_envelope(event)), "done")
    extra = row.payload["extra"]
    assert float(extra.pop("float")) == 1e308  # PostgreSQL's JSONB gives it back as 1000…0, an int
    assert extra == {"int": 10**30, "tiny": 5e-324, "over": "1e400", "under": "-1e400", "digits": "9" * 5000}


def test_a_huge_number_where_a_number_is_read_is_invalid(harness, rt):
    event = _text_event()
    event["message"] = {"type": "location", "id": "1", "latitude": Raw("1e400"), "longitude": 102.8}
    _one_event_ends(harness, rt, encode(_envelope(event)), "invalid", "message.latitude is not a number")


def test_items_of_events_that_are_not_objects_are_left_out_and_the_rest_stored(harness, rt):
    good = _text_event()
    assert post(harness.client, encode(_envelope(1, "x", None, [good], good))) == 200
    assert [row.webhook_event_id for row in stored(rt)] == [good["webhookEventId"]]


def test_an_event_with_no_user_to_answer_is_invalid(harness, rt):
    _one_event_ends(harness, rt, encode(_envelope(_text_event(source={"type": "group", "groupId": "C" + "4" * 32}))),
                    "invalid", "source.userId is missing")


# ---- staff see them -----------------------------------------------------------------------------------------------
def test_staff_see_invalid_events_with_their_reason_and_no_retry_button(harness, rt, line):
    from tests.web.conftest import csrf_from, staff_login

    assert post(harness.client, encode(_envelope(_text_event(42)))) == 200
    rt.process_pending()
    [row] = stored(rt)
    client = harness.app.test_client()
    staff_login(client, ADMIN_ID)
    html = client.get("/console/failures").get_data(as_text=True)
    card = html[html.index(f'data-event-id="{row.id}"'):]
    card = card[:card.index("</li>")]
    assert console_texts.INVALID_EVENT in card and "message.text is not a string" in card
    assert console_texts.INVALID_EVENT_HINT in card and "<form" not in card and "/retry" not in card
    retry = client.post(f"/console/failures/events/{row.id}/retry", data={"csrf_token": csrf_from(html)})
    assert retry.status_code == 302
    assert stored(rt)[0].status == "invalid"  # retrying cannot make it usable


def test_erasing_a_persons_data_removes_their_invalid_events(harness, rt):
    person = harness.user("สมศรี", user_id=USERS[1])
    person.follow()
    post(harness.client, encode(_envelope({**_text_event(42), "source": {"type": "user", "userId": USERS[1]}})))
    rt.process_pending()
    assert sorted(row.status for row in stored(rt)) == ["done", "invalid"]
    with rt.db.transaction() as session:
        privacy.erase_personal_data(session, USERS[1], rt.clock())
    with rt.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 0
