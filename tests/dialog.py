"""Dialog helpers: tests read like the conversation they check.

    alice = chat("สมศรี")
    alice.follow()
    reply = alice.says("ตั้งค่า")
    reply = alice.taps("พล")
    assert "พล" in reply.body

or, as a transcript replayed step by step (Zulip's bot harness style):

    dialog(alice, [
        ("อบรม", "เหลือ 30 ที่"),
        (tap("สมัคร"), "ชื่อ-นามสกุล"),
        ("สมศรี ใจดี", ["คุณสมศรี ใจดี", "เบอร์โทร"]),
    ])

Checks read `reply.body`: what a person reads in the messages (text, Flex texts, alt text), never button labels,
so a check cannot pass because a menu or a button happens to carry the word.

Every event is signed and POSTed to /callback like LINE does; the bot's answers are read back from the LINE
emulator, which validated each request body against the official OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from line_emulator import events as ev


def walk_actions(node: Any) -> Iterator[dict]:
    """Yields every action object inside a message (quick replies, Flex buttons, template actions)."""
    if isinstance(node, dict):
        action = node.get("action")
        if isinstance(action, dict) and "type" in action:
            yield action
        for key, value in node.items():
            if key == "actions" and isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and "type" in item:
                        yield item
            elif key != "action":
                yield from walk_actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_actions(item)


def walk_texts(node: Any) -> Iterator[str]:
    """Yields every human-readable string in a message (text, Flex text, alt text, template text)."""
    if isinstance(node, dict):
        for key in ("text", "altText", "title", "label"):
            if isinstance(node.get(key), str):
                yield node[key]
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from walk_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_texts(item)


# Keys under which a message holds what a person taps, not what they read.
_TAPPABLE = ("action", "actions", "defaultAction", "quickReply")


def walk_bodies(node: Any) -> Iterator[str]:
    """Yields what a person reads in a message: a text message's text, Flex text and span texts, alt text and a
    template's title and text; never a button's or a quick reply's label, nor what a tap would send."""
    if isinstance(node, dict):
        for key in ("text", "altText", "title"):
            if isinstance(node.get(key), str):
                yield node[key]
        for key, value in node.items():
            if key not in _TAPPABLE and isinstance(value, (dict, list)):
                yield from walk_bodies(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_bodies(item)


@dataclass
class Reply:
    """What the bot sent to one user in answer to one event (possibly nothing)."""

    messages: list[dict] = field(default_factory=list)
    via: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        """Plain text messages' bodies, in order."""
        return [m["text"] for m in self.messages if m.get("type") == "text"]

    @property
    def text(self) -> str:
        """Everything readable, joined: text messages, Flex texts, alt texts and button labels. To check what the
        bot says, use `body`: a word in `text` may come from a button or the menu."""
        return "\n".join(walk_texts(self.messages))

    @property
    def body(self) -> str:
        """What the messages say, joined: text messages, Flex texts, alt texts; no button or quick-reply label."""
        return "\n".join(walk_bodies(self.messages))

    @property
    def types(self) -> list[str]:
        return [m.get("type", "") for m in self.messages]

    def actions(self) -> list[dict]:
        return list(walk_actions(self.messages))

    def labels(self) -> list[str]:
        return [a.get("label", "") for a in self.actions()]

    def quick_replies(self) -> list[str]:
        items = (self.messages[-1].get("quickReply") or {}).get("items", []) if self.messages else []
        return [i["action"].get("label", "") for i in items]

    def action(self, label: str) -> dict:
        for action in self.actions():
            if action.get("label") == label:
                return action
        raise AssertionError(f"no button labelled {label!r}; buttons: {self.labels()}")

    def __bool__(self) -> bool:
        return bool(self.messages)


class ChatUser:
    """One LINE user talking to the bot."""

    def __init__(self, harness: "ChatHarness", user_id: str, name: str) -> None:
        self.h = harness
        self.user_id = user_id
        self.name = name
        self.cursor = harness.line.last_seq()
        self.history: list[Reply] = []

    # -- what the user does ------------------------------------------------------------------------------------
    def follow(self, unblocked: bool = False) -> Reply:
        self.h.line.set_following(self.user_id, True)
        return self._send(ev.follow_event(self.user_id, self._token(), unblocked=unblocked))

    def unfollow(self) -> Reply:
        self.h.line.set_following(self.user_id, False)
        return self._send(ev.unfollow_event(self.user_id))

    def says(self, text: str) -> Reply:
        return self._send(ev.text_event(self.user_id, text, self._token()))

    def postback(self, data: str, params: dict | None = None) -> Reply:
        return self._send(ev.postback_event(self.user_id, data, self._token(), params=params))

    def sends_image(self, data: bytes, content_type: str = "image/jpeg") -> Reply:
        message_id = self.h.line.add_content(data, content_type)
        return self._send(ev.image_event(self.user_id, message_id, self._token()))

    def shares_location(self, title: str, address: str, latitude: float, longitude: float) -> Reply:
        """Shares a place from LINE's location picker (a location message)."""
        event = ev.text_event(self.user_id, "-", self._token())
        event["message"] = {"id": event["message"]["id"], "type": "location", "title": title, "address": address,
                            "latitude": latitude, "longitude": longitude}
        return self._send(event)

    def sends_sticker(self) -> Reply:
        return self._send(ev.sticker_event(self.user_id, self._token()))

    def taps(self, label: str, params: dict | None = None) -> Reply:
        """Taps a button or quick reply seen in the latest messages that have one with this label."""
        for reply in reversed(self.history):
            for action in reply.actions():
                if action.get("label") == label:
                    return self.performs(action, params)
        raise AssertionError(f"{self.name} sees no button {label!r}; last buttons: "
                             f"{self.history[-1].labels() if self.history else []}")

    def performs(self, action: dict, params: dict | None = None) -> Reply:
        kind = action.get("type")
        if kind == "message":
            return self.says(action["text"])
        if kind in ("postback", "datetimepicker"):
            return self.postback(action["data"], params)
        raise AssertionError(f"a test can't tap a {kind} action ({action})")

    # -- plumbing ----------------------------------------------------------------------------------------------
    def _token(self) -> str:
        return self.h.line.issue_reply_token(self.user_id)

    def _send(self, event: dict) -> Reply:
        self.h.post_events([event])
        return self.collect()

    def collect(self) -> Reply:
        """Processes pending work and returns what reached this user since the last look."""
        self.h.rt.process_pending()
        deliveries = self.h.line.deliveries(self.user_id, since=self.cursor)
        if deliveries:
            self.cursor = deliveries[-1].seq
        reply = Reply([m for d in deliveries for m in d.messages], [d.via for d in deliveries])
        self.history.append(reply)
        return reply

    @property
    def last(self) -> Reply:
        return self.history[-1] if self.history else Reply()


@dataclass(frozen=True)
class Do:
    """A step of a transcript that is not typed text: a tap, a photo, a place (see `tap`, `photo`, `place`)."""

    what: str
    perform: Callable[[ChatUser], Reply]

    def __str__(self) -> str:
        return self.what


def tap(label: str, params: dict | None = None) -> Do:
    """The user taps the button or quick reply labelled `label` in the latest messages that have one."""
    return Do(f"[แตะ {label}]", lambda user: user.taps(label, params))


def photo(data: bytes, content_type: str = "image/jpeg") -> Do:
    """The user sends a picture."""
    return Do("[รูปภาพ]", lambda user: user.sends_image(data, content_type))


def place(title: str, address: str, latitude: float, longitude: float) -> Do:
    """The user shares a place from LINE's location picker."""
    return Do(f"[ตำแหน่ง {title}]", lambda user: user.shares_location(title, address, latitude, longitude))


Expected = str | Sequence[str] | None


def dialog(user: ChatUser, script: Sequence[tuple[str | Do, Expected]]) -> list[Reply]:
    """Replays a conversation step by step and returns the bot's replies, one per step.

    Each step is (what the user says, or does with `tap`/`photo`/`place`; what the bot's answer must say). The
    answer is checked on its message bodies only (`Reply.body`): a string must appear in them, each of a list of
    strings must, and None means the bot stays silent. Buttons are checked apart, on the returned replies."""
    replies: list[Reply] = []
    for number, (step, expected) in enumerate(script, start=1):
        reply = step.perform(user) if isinstance(step, Do) else user.says(step)
        replies.append(reply)
        where = f"step {number}: {user.name}: {step}"
        if expected is None:
            assert not reply, f"{where}\nexpected silence, the bot said:\n{reply.body}"
            continue
        wanted = [expected] if isinstance(expected, str) else list(expected)
        missing = [w for w in wanted if w not in reply.body]
        assert not missing, (f"{where}\nexpected the bot to say {missing}\nit said:\n{reply.body or '(nothing)'}"
                             f"\nbuttons: {reply.labels()}")
    return replies


class ChatHarness:
    def __init__(self, app, line, secret: str) -> None:
        self.app = app
        self.client = app.test_client()
        self.line = line
        self.secret = secret
        self.rt = app.extensions["kk"]

    def user(self, name: str = "ผู้ใช้ทดสอบ", user_id: str | None = None) -> ChatUser:
        profile = self.line.add_user(name, user_id=user_id)
        return ChatUser(self, profile["userId"], name)

    def post_events(self, events: list[dict], expect: int = 200) -> Any:
        body = ev.encode(ev.envelope(events))
        response = self.client.post("/callback", data=body, content_type="application/json",
                                    headers={"X-Line-Signature": ev.sign(body, self.secret)})
        assert response.status_code == expect, response.get_data(as_text=True)
        return response
