"""The simulator shows each user's LINE user id, offers "ทำให้เป็นผู้ดูแล" (through what app wiring hands in), shares
a location as LINE's location message, and keeps users and both sides of their chats across a restart."""

from __future__ import annotations

import io
import sqlite3

from line_emulator.simulator import PLACES, TEXTS
from tests.simulator.rig import build_rig


def _rig(**options):
    gen = build_rig(**options)
    return gen, next(gen)


def _stop(gen) -> None:
    for _ in gen:
        pass


# ---- user ids and "ทำให้เป็นผู้ดูแล" --------------------------------------------------------------------------------
def test_users_are_listed_with_their_line_user_id_and_staff_role():
    roles = {}
    gen, sim = _rig(staff_roles=lambda ids: {uid: roles[uid] for uid in ids if uid in roles})
    try:
        somsri, somchai = sim.create_user("สมศรี"), sim.create_user("สมชาย")
        roles[somchai] = "staff"
        users = {u["displayName"]: u for u in sim.client.get("/simulator/api/users").get_json()["users"]}
        assert users["สมศรี"]["userId"] == somsri and users["สมศรี"]["role"] is None
        assert users["สมชาย"]["userId"] == somchai and users["สมชาย"]["role"] == "staff"
        page = sim.client.get("/simulator").get_data(as_text=True)
        assert 'data-can-make-admin=""' in page  # no make_admin handed in: the page offers no button
    finally:
        _stop(gen)


def test_make_admin_asks_the_app_and_answers_in_thai():
    made = []

    def make_admin(user_id: str, name: str) -> bool:
        if user_id in made:
            return False
        made.append(user_id)
        return True

    gen, sim = _rig(make_admin=make_admin, staff_roles=lambda ids: {uid: "admin" for uid in ids if uid in made})
    try:
        somsri = sim.create_user("สมศรี ใจดี")
        assert 'data-can-make-admin="1"' in sim.client.get("/simulator").get_data(as_text=True)
        answer = sim.client.post(f"/simulator/api/users/{somsri}/make-admin")
        assert answer.status_code == 200
        body = answer.get_json()
        assert body["made"] is True and body["user"]["role"] == "admin"
        assert body["message"] == TEXTS["admin_done"].format(name="สมศรี ใจดี")
        assert "เข้าระบบเจ้าหน้าที่" in body["message"]
        again = sim.client.post(f"/simulator/api/users/{somsri}/make-admin").get_json()
        assert again["made"] is False and "เป็นผู้ดูแลระบบอยู่แล้ว" in again["message"]
        assert made == [somsri]
    finally:
        _stop(gen)


def test_make_admin_refuses_unknown_users_and_without_emulator_mode():
    def refuse(user_id: str, name: str) -> bool:
        raise PermissionError("ใช้ได้เฉพาะโหมดจำลอง")

    gen, sim = _rig(make_admin=refuse)
    try:
        unknown = sim.client.post("/simulator/api/users/U" + "0" * 32 + "/make-admin")
        assert unknown.status_code == 404 and unknown.get_json()["error"] == TEXTS["no_user"]
        somsri = sim.create_user("สมศรี")
        refused = sim.client.post(f"/simulator/api/users/{somsri}/make-admin")
        assert refused.status_code == 403 and refused.get_json()["error"] == "ใช้ได้เฉพาะโหมดจำลอง"
    finally:
        _stop(gen)
    gen, sim = _rig()  # no make_admin handed in (not emulator mode): the route refuses
    try:
        somsri = sim.create_user("สมศรี")
        refused = sim.client.post(f"/simulator/api/users/{somsri}/make-admin")
        assert refused.status_code == 403 and refused.get_json()["error"] == TEXTS["admin_unavailable"]
    finally:
        _stop(gen)


# ---- location --------------------------------------------------------------------------------------------------
def test_a_shared_place_reaches_the_bot_as_a_location_message(sim):
    somsri = sim.friend("สมศรี")
    place = PLACES[0]
    answer = sim.client.post(f"/simulator/api/users/{somsri}/location", json=place)
    assert answer.status_code == 200, answer.get_json()
    event = sim.captured[-1].events[0]
    assert event["type"] == "message" and event["source"]["userId"] == somsri and event["replyToken"]
    message = event["message"]
    assert message["type"] == "location" and message["id"].isdigit()
    assert (message["title"], message["address"]) == (place["title"], place["address"])
    assert (message["latitude"], message["longitude"]) == (place["latitude"], place["longitude"])
    assert "quoteToken" not in message  # LINE sends none with a location
    shown = [i for i in sim.timeline(somsri)["items"] if i["from"] == "user"][-1]
    assert shown["message"] == {"type": "location", "title": place["title"], "address": place["address"],
                                "latitude": place["latitude"], "longitude": place["longitude"]}
    assert shown["status"] == "sent"


def test_a_bad_location_gets_a_thai_answer_and_sends_nothing(sim):
    somsri = sim.friend("สมศรี")
    before = len(sim.captured)
    for body, key in (({"latitude": 95, "longitude": 102.8}, "location_bad"),
                      ({"latitude": "16.4", "longitude": 102.8}, "location_bad"),
                      ({"latitude": True, "longitude": 102.8}, "location_bad"),
                      ({"latitude": 16.4}, "location_bad"),
                      ({"latitude": 16.4, "longitude": 102.8, "title": "ก" * 101}, "location_text_bad")):
        answer = sim.client.post(f"/simulator/api/users/{somsri}/location", json=body)
        assert answer.status_code == 400 and answer.get_json()["error"] == TEXTS[key], body
    stranger = sim.create_user("ยังไม่เป็นเพื่อน")
    answer = sim.client.post(f"/simulator/api/users/{stranger}/location", json=PLACES[1])
    assert answer.status_code == 409 and answer.get_json()["error"] == TEXTS["not_friend"]
    assert len(sim.captured) == before


# ---- persistence -----------------------------------------------------------------------------------------------
def test_users_and_both_sides_of_their_chats_survive_a_restart(tmp_path):
    path = tmp_path / "instance" / "simulator.sqlite3"
    gen, sim = _rig(archive_path=path)
    try:
        sim.bot["echo"] = True
        somsri = sim.friend("สมศรี ใจดี")
        somchai = sim.create_user("สมชาย")
        blocked = sim.friend("บล็อกแล้ว")
        assert sim.client.post(f"/simulator/api/users/{blocked}/unfollow").status_code == 200
        assert sim.client.post(f"/simulator/api/users/{somsri}/text", json={"text": "สวัสดีค่ะ"}).status_code == 200
        photo = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
        upload = sim.client.post(f"/simulator/api/users/{somsri}/image", data={"image": (io.BytesIO(photo), "a.png")},
                                 content_type="multipart/form-data")
        photo_url = upload.get_json()["item"]["message"]["originalContentUrl"]
        before = sim.timeline(somsri)
    finally:
        _stop(gen)

    gen, sim = _rig(archive_path=path)  # a new store and simulator: what the app has after a restart
    try:
        users = {u["userId"]: u for u in sim.client.get("/simulator/api/users").get_json()["users"]}
        assert [u["displayName"] for u in users.values()] == ["สมศรี ใจดี", "สมชาย", "บล็อกแล้ว"]
        assert users[somsri]["following"] is True and users[somchai]["following"] is False
        assert users[blocked]["blocked"] is True and users[blocked]["following"] is False
        after = sim.timeline(somsri)
        assert after["items"] == before["items"]
        texts = [i["message"].get("text") for i in after["items"]]
        assert "สวัสดีค่ะ" in texts and "ได้รับ: สวัสดีค่ะ" in texts
        assert sim.client.get(photo_url).data == photo
        # The chat goes on after the restart, after what was there.
        sim.bot["echo"] = True
        assert sim.client.post(f"/simulator/api/users/{somsri}/text", json={"text": "กลับมาแล้ว"}).status_code == 200
        more = sim.timeline(somsri, after["cursor"])["items"]
        assert [i["message"]["text"] for i in more] == ["กลับมาแล้ว", "ได้รับ: กลับมาแล้ว"]
        assert all(i["key"] > before["items"][-1]["key"] for i in more)
    finally:
        _stop(gen)


def test_the_archive_keeps_a_bounded_history(tmp_path):
    from line_emulator.archive import ChatArchive
    from line_emulator.store import EmulatorStore

    path = tmp_path / "simulator.sqlite3"
    store = EmulatorStore("t", archive=ChatArchive(path, deliveries_per_user=20))
    somsri = store.add_user("สมศรี")["userId"]
    for i in range(100):
        store.send("push", [{"type": "text", "text": f"ข้อความ {i}"}], request_id=str(i), to=[somsri, "U" + "f" * 32])
    store.close()
    again = EmulatorStore("t", archive=ChatArchive(path, deliveries_per_user=20))
    kept = again.deliveries(somsri)
    assert [d.messages[0]["text"] for d in kept] == [f"ข้อความ {i}" for i in range(80, 100)]
    assert again.deliveries("U" + "f" * 32) == []  # ids that are no simulated user are not kept
    again.send("push", [{"type": "text", "text": "ใหม่"}], request_id="new", to=[somsri])
    assert again.deliveries(somsri)[-1].seq > kept[-1].seq  # numbering goes on after the restart
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] <= 20 + 10
    again.close()
