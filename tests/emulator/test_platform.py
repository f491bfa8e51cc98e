"""Profiles, content, loading animation, rich menus and error handling, through the real SDK over HTTP."""

from __future__ import annotations

import json

import pytest
import requests
from linebot.v3.messaging import (
    ApiException,
    PushMessageRequest,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    ShowLoadingAnimationRequest,
    TextMessage,
    URIAction,
)
from linebot.v3.messaging.exceptions import NotFoundException
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client
from werkzeug.wrappers import Response

from line_emulator.server import create_emulator_app

TIMEOUT = 5.0
pytestmark = pytest.mark.timeout(30)


# --- users, bot, content ----------------------------------------------------------------------------------------

def test_profile_of_a_follower(api, store):
    alice = store.add_user("สมศรี ใจดี", picture_url="https://profile.example/a.jpg")["userId"]
    profile = api.get_profile(alice, _request_timeout=TIMEOUT)
    assert (profile.user_id, profile.display_name, profile.language) == (alice, "สมศรี ใจดี", "th")
    assert profile.picture_url == "https://profile.example/a.jpg"


def test_profile_of_unknown_or_blocked_user_is_404(api, store):
    with pytest.raises(NotFoundException) as caught:
        api.get_profile("U" + "9" * 32, _request_timeout=TIMEOUT)
    assert json.loads(caught.value.body) == {"message": "Not found"}
    bob = store.add_user("สมชาย")["userId"]
    store.set_following(bob, False)
    with pytest.raises(NotFoundException):
        api.get_profile(bob, _request_timeout=TIMEOUT)
    assert store.list_users() == [{"userId": bob, "displayName": "สมชาย", "language": "th", "following": False}]


def test_bot_info_and_follower_ids(api, store):
    info = api.get_bot_info(_request_timeout=TIMEOUT)
    assert (info.basic_id, info.display_name, info.chat_mode) == ("@kkpao", "อบจ.ขอนแก่น", "bot")
    users = [store.add_user(f"ผู้ใช้ {i}")["userId"] for i in range(3)]
    first = api.get_followers(limit=2, _request_timeout=TIMEOUT)
    rest = api.get_followers(start=first.next, _request_timeout=TIMEOUT)
    assert first.user_ids + rest.user_ids == users and rest.next is None


def test_message_content_download(blob, store):
    message_id = store.add_content(b"\x89PNG fake bytes", "image/png")
    assert bytes(blob.get_message_content(message_id, _request_timeout=TIMEOUT)) == b"\x89PNG fake bytes"
    response = blob.get_message_content_with_http_info(message_id, _request_timeout=TIMEOUT)
    assert response.headers["Content-Type"] == "image/png"
    with pytest.raises(NotFoundException):
        blob.get_message_content("1" * 18, _request_timeout=TIMEOUT)


def test_loading_animation_shows_until_a_message_arrives(api, store, ticks):
    alice = store.add_user("สมศรี")["userId"]
    response = api.show_loading_animation_with_http_info(
        ShowLoadingAnimationRequest(chat_id=alice, loading_seconds=20), _request_timeout=TIMEOUT)
    assert response.status_code == 202
    assert store.loading_until(alice) == ticks.now + 20
    api.push_message(PushMessageRequest(to=alice, messages=[TextMessage(text="เสร็จแล้ว")]), _request_timeout=TIMEOUT)
    assert store.loading_until(alice) is None


def test_loading_animation_is_validated(server, store, auth):
    alice = store.add_user("สมศรี")["userId"]
    url = f"{server.base_url}/v2/bot/chat/loading/start"
    odd = requests.post(url, json={"chatId": alice, "loadingSeconds": 7}, headers=auth, timeout=TIMEOUT)
    assert odd.status_code == 400 and odd.json()["details"][0]["property"] == "loadingSeconds"
    long = requests.post(url, json={"chatId": alice, "loadingSeconds": 65}, headers=auth, timeout=TIMEOUT)
    assert long.status_code == 400
    missing = requests.post(url, json={}, headers=auth, timeout=TIMEOUT)
    assert missing.json()["details"] == [{"message": "must be specified", "property": "chatId"}]


# --- rich menus ---------------------------------------------------------------------------------------------------

def test_rich_menu_create_upload_default_and_link(api, blob, store, rich_menu, make_image):
    alice = store.add_user("สมศรี")["userId"]
    created = api.create_rich_menu(RichMenuRequest.from_dict(rich_menu), _request_timeout=TIMEOUT)
    menu_id = created.rich_menu_id
    assert menu_id.startswith("richmenu-") and len(menu_id) == len("richmenu-") + 32
    assert api.get_rich_menu(menu_id, _request_timeout=TIMEOUT).chat_bar_text == "เมนูหลัก"
    assert [m.rich_menu_id for m in api.get_rich_menu_list(_request_timeout=TIMEOUT).richmenus] == [menu_id]

    # LINE refuses to apply a menu that has no image yet.
    with pytest.raises(ApiException) as caught:
        api.set_default_rich_menu(menu_id, _request_timeout=TIMEOUT)
    assert caught.value.status == 400

    image = make_image(2500, 1686, "JPEG")
    blob.set_rich_menu_image(menu_id, image, _headers={"Content-Type": "image/jpeg"}, _request_timeout=TIMEOUT)
    assert store.rich_menu_image(menu_id) == (image, "image/jpeg")
    assert bytes(blob.get_rich_menu_image(menu_id, _request_timeout=TIMEOUT)) == image

    api.set_default_rich_menu(menu_id, _request_timeout=TIMEOUT)
    assert api.get_default_rich_menu_id(_request_timeout=TIMEOUT).rich_menu_id == menu_id
    assert store.default_rich_menu_id == menu_id
    assert store.effective_rich_menu(alice) == menu_id and store.user_rich_menu(alice) is None

    api.link_rich_menu_id_to_user(alice, menu_id, _request_timeout=TIMEOUT)
    assert api.get_rich_menu_id_of_user(alice, _request_timeout=TIMEOUT).rich_menu_id == menu_id
    api.unlink_rich_menu_id_from_user(alice, _request_timeout=TIMEOUT)
    with pytest.raises(NotFoundException):
        api.get_rich_menu_id_of_user(alice, _request_timeout=TIMEOUT)

    api.delete_rich_menu(menu_id, _request_timeout=TIMEOUT)
    assert store.rich_menus() == {} and store.default_rich_menu_id is None
    with pytest.raises(NotFoundException):
        api.get_default_rich_menu_id(_request_timeout=TIMEOUT)


def test_rich_menu_image_must_match_the_menu(api, blob, store, make_image):
    menu = RichMenuRequest(size=RichMenuSize(width=800, height=270), selected=False, name="เล็ก",
                           chat_bar_text="เมนู", areas=[RichMenuArea(
                               bounds=RichMenuBounds(x=0, y=0, width=800, height=270),
                               action=URIAction(label="เว็บไซต์", uri="https://kk.example/"))])
    menu_id = api.create_rich_menu(menu, _request_timeout=TIMEOUT).rich_menu_id
    for body, content_type in [(make_image(800, 271), "image/png"), (make_image(800, 270), "image/gif"),
                               (make_image(800, 270, "JPEG"), "image/png"), (b"not an image", "image/png"),
                               (b"\0" * (1024 * 1024 + 1), "image/png")]:
        with pytest.raises(ApiException) as caught:
            blob.set_rich_menu_image(menu_id, body, _headers={"Content-Type": content_type}, _request_timeout=TIMEOUT)
        assert caught.value.status == 400, content_type
    blob.set_rich_menu_image(menu_id, make_image(800, 270), _headers={"Content-Type": "image/png"},
                             _request_timeout=TIMEOUT)
    with pytest.raises(ApiException) as again:
        blob.set_rich_menu_image(menu_id, make_image(800, 270), _headers={"Content-Type": "image/png"},
                                 _request_timeout=TIMEOUT)
    assert again.value.status == 400  # an image cannot be replaced


def test_invalid_rich_menu_is_rejected(server, auth, rich_menu, store):
    for bad in (dict(rich_menu, size={"width": 2500, "height": 1600}), dict(rich_menu, chatBarText="x" * 15),
                {k: v for k, v in rich_menu.items() if k != "areas"}):
        for path in ("/v2/bot/richmenu", "/v2/bot/richmenu/validate"):
            response = requests.post(server.base_url + path, json=bad, headers=auth, timeout=TIMEOUT)
            assert response.status_code == 400 and response.json()["details"], path
    ok = requests.post(server.base_url + "/v2/bot/richmenu/validate", json=rich_menu, headers=auth, timeout=TIMEOUT)
    assert ok.status_code == 200
    assert store.rich_menus() == {}


def test_unknown_rich_menu_ids_are_404(api, blob, store):
    unknown = "richmenu-" + "0" * 32
    alice = store.add_user("สมศรี")["userId"]
    for call in (lambda: api.get_rich_menu(unknown, _request_timeout=TIMEOUT),
                 lambda: api.delete_rich_menu(unknown, _request_timeout=TIMEOUT),
                 lambda: api.set_default_rich_menu(unknown, _request_timeout=TIMEOUT),
                 lambda: api.link_rich_menu_id_to_user(alice, unknown, _request_timeout=TIMEOUT),
                 lambda: blob.get_rich_menu_image(unknown, _request_timeout=TIMEOUT),
                 lambda: blob.set_rich_menu_image(unknown, b"x", _headers={"Content-Type": "image/png"},
                                                  _request_timeout=TIMEOUT)):
        with pytest.raises(NotFoundException):
            call()


def test_rich_menu_aliases(server, auth, api, rich_menu, store):
    menu_id = api.create_rich_menu(RichMenuRequest.from_dict(rich_menu), _request_timeout=TIMEOUT).rich_menu_id
    url = f"{server.base_url}/v2/bot/richmenu/alias"
    created = requests.post(url, json={"richMenuAliasId": "main", "richMenuId": menu_id}, headers=auth,
                            timeout=TIMEOUT)
    assert created.status_code == 200
    assert api.get_rich_menu_alias("main", _request_timeout=TIMEOUT).rich_menu_id == menu_id
    api.delete_rich_menu(menu_id, _request_timeout=TIMEOUT)
    assert store.rich_menu_aliases() == {}


# --- errors: JSON, never a 500 ----------------------------------------------------------------------------------

def test_unknown_path_and_method_answer_json(server, auth):
    missing = requests.get(f"{server.base_url}/v2/bot/nothing-here", headers=auth, timeout=TIMEOUT)
    assert missing.status_code == 404 and missing.json() == {"message": "Not found"}
    assert missing.headers["x-line-request-id"]
    wrong = requests.get(f"{server.base_url}/v2/bot/message/push", headers=auth, timeout=TIMEOUT)
    assert wrong.status_code == 405 and "message" in wrong.json()


def test_malformed_json_is_400(server, auth, store):
    response = requests.post(f"{server.base_url}/v2/bot/message/push", data=b'{"to": "U', headers=auth,
                             timeout=TIMEOUT)
    assert response.status_code == 400 and "JSON" in response.json()["message"]
    plain = requests.post(f"{server.base_url}/v2/bot/message/push", data=b"{}", timeout=TIMEOUT,
                          headers={"Authorization": auth["Authorization"], "Content-Type": "text/plain"})
    assert plain.status_code == 415
    assert [r.status for r in store.requests("/v2/bot/message/push")] == [400, 415]


ENDPOINTS = [
    ("POST", "/v2/bot/message/reply"), ("POST", "/v2/bot/message/push"), ("POST", "/v2/bot/message/multicast"),
    ("POST", "/v2/bot/message/broadcast"), ("POST", "/v2/bot/message/narrowcast"),
    ("POST", "/v2/bot/message/validate/push"), ("POST", "/v2/bot/chat/loading/start"),
    ("POST", "/v2/bot/richmenu"), ("POST", "/v2/bot/richmenu/validate"), ("POST", "/v2/bot/richmenu/bulk/link"),
    ("POST", "/v2/bot/richmenu/bulk/unlink"), ("POST", "/v2/bot/richmenu/alias"),
    ("POST", "/v2/bot/richmenu/alias/main"), ("GET", "/v2/bot/message/progress/narrowcast"),
    ("GET", "/v2/bot/followers/ids?limit=abc"), ("GET", "/v2/bot/user/not-a-user/richmenu"),
]
JUNK = [b"", b"null", b"[]", b"{}", b'"text"', b"12", b"{bad json", b'{"messages": "x", "to": 5}',
        b'{"messages": [null, 1, {"type": null}], "replyToken": 7, "to": [1]}',
        b'{"messages": [{"type": "flex", "altText": "x", "contents": {"type": "carousel", "contents": 5}}]}',
        b'{"size": {"width": "x"}, "areas": [{"bounds": null}], "richMenuId": 1, "userIds": [3]}',
        '{"chatId": "ผู้ใช้", "loadingSeconds": 5.5, "richMenuAliasId": "ก"}'.encode()]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_junk_never_causes_a_500(server, auth, store, method, path):
    store.issue_reply_token(store.add_user("สมศรี")["userId"])
    for body in JUNK:
        response = requests.request(method, server.base_url + path, data=body, headers=auth, timeout=TIMEOUT)
        assert 400 <= response.status_code < 500, (path, body, response.text)
        assert "message" in response.json()


# --- mounting under a prefix --------------------------------------------------------------------------------------

def test_app_works_mounted_under_a_prefix(store):
    alice = store.add_user("สมศรี")["userId"]
    outer = DispatcherMiddleware(lambda environ, start: Response("main app")(environ, start),
                                 {"/_emulator/line": create_emulator_app(store)})
    client = Client(outer)
    response = client.post("/_emulator/line/v2/bot/message/push", json={
        "to": alice, "messages": [{"type": "text", "text": "ผ่าน prefix"}]},
        headers={"Authorization": f"Bearer {store.channel_access_token}"})
    assert response.status_code == 200
    assert store.deliveries(alice)[0].messages == [{"type": "text", "text": "ผ่าน prefix"}]
    assert store.requests()[-1].path == "/v2/bot/message/push"
