"""The chat simulator's JSON API: it plays a LINE user against the bot's real, signed webhook."""

from __future__ import annotations

import io
import re
import struct
import threading
import zlib

import pytest
import requests
from flask import Flask
from flask import request as flask_request
from werkzeug.serving import make_server

from line_emulator.simulator import create_simulator_blueprint
from tests.simulator.rig import SIM_SECRET, SIM_TOKEN, build_rig, expected_signature

THAI = re.compile(r"[\u0E00-\u0E7F]")


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG of the given size (white), built without Pillow."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_page_is_served_in_thai_with_its_scripts(sim):
    for path in ("/simulator", "/simulator/"):
        response = sim.client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'lang="th"' in html and "ชุมชนดิจิทัล อบจ.ขอนแก่น" in html
        assert "/simulator/static/render.js" in html and "/simulator/static/simulator.js" in html
    for name in ("render.js", "simulator.js", "simulator.css", "oa-avatar.svg"):
        assert sim.client.get(f"/simulator/static/{name}").status_code == 200


def test_thai_font_is_served_from_the_installed_package(sim):
    response = sim.client.get("/simulator/fonts/sarabun-400.ttf")
    assert response.status_code == 200
    assert response.mimetype == "font/ttf" and len(response.data) > 10_000
    assert sim.client.get("/simulator/fonts/sarabun-100.ttf").status_code == 404


def test_new_user_is_listed_and_is_not_a_friend_yet(sim):
    response = sim.client.post("/simulator/api/users", json={"displayName": "  นางสาวสมศรี มีสุข  "})
    assert response.status_code == 201
    user = response.get_json()["user"]
    assert user["displayName"] == "นางสาวสมศรี มีสุข"
    assert re.fullmatch(r"U[0-9a-f]{32}", user["userId"])
    assert user["following"] is False
    listed = sim.client.get("/simulator/api/users").get_json()["users"]
    assert [u["displayName"] for u in listed] == ["นางสาวสมศรี มีสุข"]
    assert sim.store.get_user(user["userId"])["displayName"] == "นางสาวสมศรี มีสุข"
    assert sim.captured == []  # creating a user is not an event; adding the friend is


def test_follow_posts_a_correctly_signed_follow_event_over_http(sim):
    user_id = sim.create_user()
    response = sim.client.post(f"/simulator/api/users/{user_id}/follow")
    assert response.status_code == 200 and response.get_json()["following"] is True
    (request,) = sim.captured
    assert request.headers["x-line-signature"] == expected_signature(request.body)
    assert request.headers["content-type"].startswith("application/json")
    (event,) = request.events
    assert event["type"] == "follow"
    assert event["source"] == {"type": "user", "userId": user_id}
    assert event["follow"] == {"isUnblocked": False}
    assert event["replyToken"] and re.fullmatch(r"[0-9A-Z]{26}", event["webhookEventId"])
    assert sim.store.is_following(user_id)


def test_refollow_after_blocking_says_unblocked(sim):
    user_id = sim.friend()
    assert sim.client.post(f"/simulator/api/users/{user_id}/unfollow").status_code == 200
    assert sim.store.is_following(user_id) is False
    unfollow = sim.captured[-1].events[0]
    assert unfollow["type"] == "unfollow" and "replyToken" not in unfollow
    timeline = sim.timeline(user_id)
    assert timeline["following"] is False and timeline["blocked"] is True

    assert sim.client.post(f"/simulator/api/users/{user_id}/follow").status_code == 200
    refollow = sim.captured[-1].events[0]
    assert refollow["type"] == "follow" and refollow["follow"] == {"isUnblocked": True}
    assert sim.store.is_following(user_id)


def test_text_reaches_the_webhook_signed_and_shows_as_the_users_bubble(sim):
    user_id = sim.friend()
    response = sim.client.post(f"/simulator/api/users/{user_id}/text", json={"text": "ตั้งค่า\nบรรทัดสอง"})
    assert response.status_code == 200
    item = response.get_json()["item"]
    assert item["from"] == "user" and item["status"] == "sent"
    assert item["message"] == {"type": "text", "text": "ตั้งค่า\nบรรทัดสอง"}
    request = sim.captured[-1]
    assert request.headers["x-line-signature"] == expected_signature(request.body)
    event = request.events[0]
    assert event["type"] == "message" and event["message"]["text"] == "ตั้งค่า\nบรรทัดสอง"
    assert "ตั้งค่า".encode() in request.body  # UTF-8 on the wire, as LINE sends it


def test_timeline_merges_both_sides_in_order(sim):
    sim.bot["echo"] = True
    user_id = sim.friend()
    for text in ("หนึ่ง", "สอง"):
        assert sim.client.post(f"/simulator/api/users/{user_id}/text", json={"text": text}).status_code == 200
    timeline = sim.timeline(user_id)
    said = [(item["from"], item["message"]["text"]) for item in timeline["items"]]
    assert said == [("user", "หนึ่ง"), ("bot", "ได้รับ: หนึ่ง"), ("user", "สอง"), ("bot", "ได้รับ: สอง")]
    assert timeline["items"][1]["via"] == "reply"

    # Only what is new comes after the cursor.
    assert sim.timeline(user_id, timeline["cursor"])["items"] == []
    sim.client.post(f"/simulator/api/users/{user_id}/text", json={"text": "สาม"})
    newer = sim.timeline(user_id, timeline["cursor"])["items"]
    assert [(i["from"], i["message"]["text"]) for i in newer] == [("user", "สาม"), ("bot", "ได้รับ: สาม")]


def test_each_user_sees_only_their_own_chat(sim):
    sim.bot["echo"] = True
    somsri, somchai = sim.friend("สมศรี"), sim.friend("สมชาย")
    sim.client.post(f"/simulator/api/users/{somsri}/text", json={"text": "ของสมศรี"})
    texts = [i["message"]["text"] for i in sim.timeline(somchai)["items"]]
    assert texts == []


def test_postback_shows_display_text_and_carries_datetime_params(sim):
    user_id = sim.friend()
    response = sim.client.post(f"/simulator/api/users/{user_id}/postback",
                               json={"data": "district:mueang", "displayText": "เมืองขอนแก่น"})
    assert response.status_code == 200
    assert response.get_json()["item"]["message"] == {"type": "text", "text": "เมืองขอนแก่น"}
    event = sim.captured[-1].events[0]
    assert event["type"] == "postback" and event["postback"] == {"data": "district:mueang"}

    response = sim.client.post(f"/simulator/api/users/{user_id}/postback",
                               json={"data": "training:7:date", "params": {"date": "2026-12-05"}})
    assert response.status_code == 200 and response.get_json()["item"] is None  # nothing shown
    assert sim.captured[-1].events[0]["postback"] == {"data": "training:7:date", "params": {"date": "2026-12-05"}}
    assert [i["message"]["text"] for i in sim.timeline(user_id)["items"]] == ["เมืองขอนแก่น"]


def test_photo_becomes_message_content_and_an_image_event(sim):
    user_id = sim.friend()
    png = tiny_png()
    response = sim.client.post(f"/simulator/api/users/{user_id}/image",
                               data={"image": (io.BytesIO(png), "รูป.png", "application/octet-stream")},
                               content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    event = sim.captured[-1].events[0]
    assert event["message"]["type"] == "image" and event["message"]["contentProvider"] == {"type": "line"}
    assert sim.store.content(event["message"]["id"]) == (png, "image/png")
    shown = response.get_json()["item"]["message"]
    assert shown["type"] == "image"
    served = sim.client.get(shown["originalContentUrl"])
    assert served.status_code == 200 and served.data == png and served.mimetype == "image/png"


def test_webhook_failure_is_reported_in_thai_and_the_bubble_marked_failed(sim):
    user_id = sim.friend()
    sim.bot["status"] = 500
    response = sim.client.post(f"/simulator/api/users/{user_id}/text", json={"text": "สวัสดี"})
    assert response.status_code == 502
    body = response.get_json()
    assert body["ok"] is False and THAI.search(body["error"]) and "500" in body["error"]
    assert body["item"]["status"] == "failed"
    assert sim.timeline(user_id)["items"][0]["status"] == "failed"


def test_a_wrong_channel_secret_is_caught_by_the_webhooks_signature_check():
    rig = build_rig(secret="not-" + SIM_SECRET)
    sim = next(rig)
    try:
        user_id = sim.create_user()
        response = sim.client.post(f"/simulator/api/users/{user_id}/follow")
        assert response.status_code == 502 and "400" in response.get_json()["error"]
    finally:
        rig.close()


def test_unreachable_webhook_is_a_thai_error_not_a_crash():
    rig = build_rig(callback_url=lambda base: "http://127.0.0.1:9/callback")
    sim = next(rig)
    try:
        user_id = sim.create_user()
        response = sim.client.post(f"/simulator/api/users/{user_id}/follow")
        assert response.status_code == 502 and THAI.search(response.get_json()["error"])
    finally:
        rig.close()


def test_callback_defaults_to_the_same_servers_callback(sim):
    """With callback_url=None the simulator posts to request.host_url + "callback" of the serving app."""
    app = Flask("same-server")
    seen: list[bytes] = []

    @app.post("/callback")
    def callback() -> str:
        seen.append(flask_request.get_data())
        return "OK"

    app.register_blueprint(create_simulator_blueprint(sim.store, SIM_SECRET))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/simulator/api"
        user_id = requests.post(f"{base}/users", json={"displayName": "สมหมาย"}, timeout=10).json()["user"]["userId"]
        assert requests.post(f"{base}/users/{user_id}/follow", timeout=10).status_code == 200
        assert len(seen) == 1 and b'"follow"' in seen[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_rich_menu_of_the_user_comes_with_its_image_and_areas(sim):
    user_id = sim.friend()
    assert sim.client.get(f"/simulator/api/users/{user_id}/richmenu").get_json() == {"richMenu": None}
    auth = {"Authorization": f"Bearer {SIM_TOKEN}"}
    menu = {
        "size": {"width": 2500, "height": 843}, "selected": True, "name": "หลัก", "chatBarText": "เมนูหลัก",
        "areas": [{"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
                   "action": {"type": "message", "label": "ตั้งค่า", "text": "ตั้งค่า"}}],
    }
    menu_id = sim.emulator.post("/v2/bot/richmenu", json=menu, headers=auth).get_json()["richMenuId"]
    png = tiny_png(2500, 843)
    uploaded = sim.emulator.post(f"/v2/bot/richmenu/{menu_id}/content", data=png,
                                 headers=dict(auth, **{"Content-Type": "image/png"}))
    assert uploaded.status_code == 200, uploaded.get_json()
    assert sim.emulator.post(f"/v2/bot/user/all/richmenu/{menu_id}", headers=auth).status_code == 200

    shown = sim.client.get(f"/simulator/api/users/{user_id}/richmenu").get_json()["richMenu"]
    assert shown["richMenuId"] == menu_id and shown["chatBarText"] == "เมนูหลัก" and shown["selected"] is True
    assert shown["areas"] == menu["areas"] and shown["size"] == menu["size"]
    image = sim.client.get(shown["imageUrl"])
    assert image.status_code == 200 and image.data == png
    assert sim.timeline(user_id)["richMenuId"] == menu_id


def test_richmenuswitch_switches_the_menu_and_posts_the_postback(sim):
    user_id = sim.friend()
    auth = {"Authorization": f"Bearer {SIM_TOKEN}"}
    ids = []
    for name in ("หน้า 1", "หน้า 2"):
        menu = {"size": {"width": 2500, "height": 843}, "selected": False, "name": name, "chatBarText": name,
                "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843},
                           "action": {"type": "richmenuswitch", "richMenuAliasId": "page-2", "data": "go:2"}}]}
        ids.append(sim.emulator.post("/v2/bot/richmenu", json=menu, headers=auth).get_json()["richMenuId"])
    sim.store.set_default_rich_menu(ids[0])
    sim.store.set_rich_menu_alias("page-2", ids[1])
    response = sim.client.post(f"/simulator/api/users/{user_id}/richmenuswitch",
                               json={"richMenuAliasId": "page-2", "data": "go:2"})
    assert response.status_code == 200
    assert sim.captured[-1].events[0]["postback"] == {
        "data": "go:2", "params": {"newRichMenuAliasId": "page-2", "status": "SUCCESS"}}
    assert sim.timeline(user_id)["richMenuId"] == ids[1]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), [
    ("post", "/simulator/api/users", {"data": "not json", "content_type": "text/plain"}, 400),
    ("post", "/simulator/api/users", {"json": ["a list"]}, 400),
    ("post", "/simulator/api/users", {"json": {"displayName": "   "}}, 400),
    ("post", "/simulator/api/users", {"json": {"displayName": 42}}, 400),
    ("post", "/simulator/api/users", {"json": {"displayName": "ก" * 51}}, 400),
    ("post", "/simulator/api/users", {"json": {"displayName": "สมศรี", "pictureUrl": "javascript:alert(1)"}}, 400),
    ("post", "/simulator/api/users", {"json": {"displayName": "สมศรี", "userId": "U123"}}, 400),
    ("post", "/simulator/api/users/{uid}/text", {"json": {}}, 400),
    ("post", "/simulator/api/users/{uid}/text", {"json": {"text": "  "}}, 400),
    ("post", "/simulator/api/users/{uid}/text", {"json": {"text": "ก" * 5001}}, 400),
    ("post", "/simulator/api/users/{uid}/text", {"json": {"text": ["x"]}}, 400),
    ("post", "/simulator/api/users/{uid}/postback", {"json": {"data": "x" * 301}}, 400),
    ("post", "/simulator/api/users/{uid}/postback", {"json": {"data": 5}}, 400),
    ("post", "/simulator/api/users/{uid}/postback", {"json": {"data": "a", "displayText": ""}}, 400),
    ("post", "/simulator/api/users/{uid}/postback", {"json": {"data": "a", "params": {"date": "2026-13-01"}}}, 400),
    ("post", "/simulator/api/users/{uid}/postback", {"json": {"data": "a", "params": {"date": "2026-1-5"}}}, 400),
    ("post", "/simulator/api/users/{uid}/postback", {"json": {"data": "a", "params": {"time": "25:00"}}}, 400),
    ("post", "/simulator/api/users/{uid}/postback", {"json": {"data": "a", "params": {"when": "now"}}}, 400),
    ("post", "/simulator/api/users/{uid}/postback", {"json": {"data": "a", "params": "2026-01-01"}}, 400),
    ("post", "/simulator/api/users/{uid}/image", {"data": {}, "content_type": "multipart/form-data"}, 400),
    ("post", "/simulator/api/users/{uid}/image",
     {"data": {"image": (io.BytesIO(b"<?php echo 1; ?>"), "x.png")}, "content_type": "multipart/form-data"}, 400),
    ("post", "/simulator/api/users/{uid}/image",
     {"data": {"image": (io.BytesIO(b""), "x.png")}, "content_type": "multipart/form-data"}, 400),
    ("get", "/simulator/api/users/{uid}/timeline?cursor=abc", {}, 400),
    ("post", "/simulator/api/users/{uid}/richmenuswitch", {"json": {"data": "x"}}, 400),
    ("get", "/simulator/api/users/U00000000000000000000000000000000/timeline", {}, 404),
    ("post", "/simulator/api/users/nobody/text", {"json": {"text": "สวัสดี"}}, 404),
    ("get", "/simulator/api/uploads/p999", {}, 404),
    ("get", "/simulator/api/richmenus/nope/image", {}, 404),
])
def test_bad_input_gets_json_with_a_thai_message(sim, method, path, kwargs, status):
    user_id = sim.friend()
    response = getattr(sim.client, method)(path.replace("{uid}", user_id), **kwargs)
    assert response.status_code == status
    body = response.get_json()
    assert body["ok"] is False and THAI.search(body["error"]), body


def test_a_user_who_is_not_a_friend_cannot_send(sim):
    user_id = sim.create_user()
    response = sim.client.post(f"/simulator/api/users/{user_id}/text", json={"text": "สวัสดี"})
    assert response.status_code == 409 and "เพิ่มเพื่อน" in response.get_json()["error"]
    assert sim.client.post(f"/simulator/api/users/{user_id}/unfollow").status_code == 409
    sim.client.post(f"/simulator/api/users/{user_id}/follow")
    assert sim.client.post(f"/simulator/api/users/{user_id}/follow").status_code == 409
    assert sim.captured and all(c.events[0]["type"] == "follow" for c in sim.captured)


def test_too_big_photo_is_refused_politely(sim, monkeypatch):
    from line_emulator.simulator import routes

    monkeypatch.setattr(routes, "MAX_IMAGE_BYTES", 100)
    user_id = sim.friend()
    response = sim.client.post(f"/simulator/api/users/{user_id}/image",
                               data={"image": (io.BytesIO(tiny_png() + b"\0" * 200), "big.png")},
                               content_type="multipart/form-data")
    assert response.status_code == 413 and "10 MB" in response.get_json()["error"]
