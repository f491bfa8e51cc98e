"""Test rig for the chat simulator's backend: a real emulator store, a live server with a tiny fake /callback
that records what it receives (and can answer through the emulator), and a Flask test client."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, request
from werkzeug.serving import make_server

from line_emulator.server import create_emulator_app
from line_emulator.simulator import create_simulator_blueprint
from line_emulator.store import EmulatorStore

SIM_SECRET = "simulator-test-secret"
SIM_TOKEN = "simulator-test-token"


@dataclass
class Captured:
    """One request the fake webhook received."""

    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def events(self) -> list[dict]:
        return self.json["events"]


@dataclass
class SimulatorRig:
    """The simulator under test and what stands around it."""

    client: Any
    store: EmulatorStore
    captured: list[Captured]
    emulator: Any  # test client of the emulator app: the "bot" answers through it
    base_url: str
    bot: dict[str, Any] = field(default_factory=dict)  # knobs for the fake bot: status, echo

    def create_user(self, name: str = "สมศรี ใจดี") -> str:
        response = self.client.post("/simulator/api/users", json={"displayName": name})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["user"]["userId"]

    def friend(self, name: str = "สมศรี ใจดี") -> str:
        user_id = self.create_user(name)
        assert self.client.post(f"/simulator/api/users/{user_id}/follow").status_code == 200
        return user_id

    def timeline(self, user_id: str, cursor: str = "0-0") -> dict:
        response = self.client.get(f"/simulator/api/users/{user_id}/timeline?cursor={cursor}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()


def expected_signature(body: bytes, secret: str = SIM_SECRET) -> str:
    """x-line-signature computed independently of line_emulator.events.sign."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _fake_bot_app(store: EmulatorStore, captured: list[Captured], knobs: dict[str, Any],
                  emulator: Any) -> Flask:
    app = Flask("fake-bot")

    @app.post("/callback")
    def callback():
        body = request.get_data()
        captured.append(Captured(body, {k.lower(): v for k, v in request.headers.items()}))
        if request.headers.get("x-line-signature") != expected_signature(body):
            return "bad signature", 400
        if knobs.get("status"):
            return "boom", knobs["status"]
        if knobs.get("echo"):  # answer text synchronously, so tests need no waiting
            for event in json.loads(body)["events"]:
                if event["type"] == "message" and event["message"]["type"] == "text":
                    reply = {"replyToken": event["replyToken"],
                             "messages": [{"type": "text", "text": "ได้รับ: " + event["message"]["text"]}]}
                    answer = emulator.post("/v2/bot/message/reply", json=reply,
                                           headers={"Authorization": f"Bearer {SIM_TOKEN}"})
                    assert answer.status_code == 200, answer.get_json()
        return "OK"

    return app


def build_rig(secret: str = SIM_SECRET, callback_url: Callable[[str], str | None] | None = None, *,
              archive_path: Any = None, **simulator_options: Any) -> Iterator[SimulatorRig]:
    """`archive_path`: keep users and chats in that file (as the embedded default does under instance/);
    `simulator_options` go to create_simulator_blueprint (make_admin, staff_roles)."""
    from line_emulator.archive import ChatArchive

    archive = ChatArchive(archive_path) if archive_path is not None else None
    store = EmulatorStore(SIM_TOKEN, archive=archive)
    captured: list[Captured] = []
    knobs: dict[str, Any] = {}
    emulator = create_emulator_app(store).test_client()
    app = _fake_bot_app(store, captured, knobs, emulator)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    url = callback_url(base_url) if callback_url else f"{base_url}/callback"
    app.register_blueprint(create_simulator_blueprint(store, secret, callback_url=url, archive=archive,
                                                      **simulator_options))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield SimulatorRig(app.test_client(), store, captured, emulator, base_url, knobs)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        store.close()
