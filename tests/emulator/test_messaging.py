"""Sending messages through the emulator with the real line-bot-sdk v3 client over HTTP."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
import requests
import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    BroadcastRequest,
    Configuration,
    FlexMessage,
    MessagingApi,
    MulticastRequest,
    NarrowcastRequest,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import UnauthorizedException

TIMEOUT = 5.0  # the sync SDK has no default timeout: always pass one

pytestmark = pytest.mark.timeout(30)


def text(value: str = "สวัสดีค่ะ") -> TextMessage:
    return TextMessage(text=value)


def test_push_text_with_quick_reply_is_delivered(api, store):
    alice = store.add_user("สมศรี")["userId"]
    message = TextMessage(text="เลือกเรื่องที่สนใจ", quick_reply=QuickReply(items=[
        QuickReplyItem(action=PostbackAction(label="ข่าวโครงการ", data="topic:news", display_text="ข่าวโครงการ")),
    ]))
    response = api.push_message(PushMessageRequest(to=alice, messages=[message]), _request_timeout=TIMEOUT)
    assert len(response.sent_messages) == 1 and response.sent_messages[0].id.isdigit()
    assert response.sent_messages[0].quote_token  # text messages can be quoted
    [delivery] = store.deliveries(alice)
    assert delivery.via == "push"
    assert delivery.messages[0]["quickReply"]["items"][0]["action"]["data"] == "topic:news"
    assert delivery.messages[0]["text"] == "เลือกเรื่องที่สนใจ"


def test_flex_carousel_from_dict_is_delivered_as_sent(api, store, flex_carousel):
    alice = store.add_user("สมศรี")["userId"]
    api.push_message(PushMessageRequest(to=alice, messages=[FlexMessage.from_dict(flex_carousel)]),
                     _request_timeout=TIMEOUT)
    [delivery] = store.deliveries(alice)
    sent = delivery.messages[0]
    assert sent["contents"]["type"] == "carousel" and len(sent["contents"]["contents"]) == 3
    assert sent["contents"]["contents"][0]["footer"]["contents"][0]["action"]["data"] == "order:0"
    request = store.requests("/v2/bot/message/push")[-1]
    assert request.status == 200 and request.body["to"] == alice
    assert request.headers["authorization"].startswith("Bearer ")


def test_invalid_flex_is_rejected_with_line_details(server, store, auth, flex_carousel):
    alice = store.add_user("สมศรี")["userId"]
    flex_carousel["contents"]["contents"][0]["body"]["contents"][0]["type"] = "txet"
    body = {"to": alice, "messages": [flex_carousel]}
    response = requests.post(f"{server.base_url}/v2/bot/message/push", json=body, headers=auth, timeout=TIMEOUT)
    assert response.status_code == 400
    assert response.json() == {"message": "The request body has 1 error(s)", "details": [{
        "message": "Must be one of the following values: [box, button, filler, icon, image, separator, span, text, "
                   "video]",
        "property": "messages[0].contents.contents[0].body.contents[0].type"}]}
    assert response.headers["x-line-request-id"]
    assert store.deliveries() == []


def test_multicast_500_ids_is_accepted_and_501_rejected(server, store, auth):
    ids = [f"U{i:032x}" for i in range(501)]
    blocked = store.add_user("บล็อกแล้ว", user_id=ids[7], following=False)["userId"]
    url = f"{server.base_url}/v2/bot/message/multicast"
    message = [{"type": "text", "text": "ประกาศ"}]
    response = requests.post(url, json={"to": ids[:500], "messages": message}, headers=auth, timeout=TIMEOUT)
    assert response.status_code == 200 and response.json() == {}
    deliveries = store.deliveries()
    assert len(deliveries) == 499  # the blocked user receives nothing
    assert blocked not in {d.user_id for d in deliveries}
    assert deliveries[0].messages is deliveries[-1].messages  # one shared list, not a copy per recipient
    response = requests.post(url, json={"to": ids, "messages": message}, headers=auth, timeout=TIMEOUT)
    assert response.status_code == 400
    assert response.json()["details"] == [{"message": "Size must be between 1 and 500", "property": "to"}]
    assert len(store.deliveries()) == 499


def test_multicast_through_the_sdk_and_malformed_ids(api, store, server, auth):
    users = [store.add_user(f"ผู้ใช้ {i}")["userId"] for i in range(3)]
    api.multicast(MulticastRequest(to=users, messages=[text()]), _request_timeout=TIMEOUT)
    assert [d.user_id for d in store.deliveries()] == users
    response = requests.post(f"{server.base_url}/v2/bot/message/multicast", headers=auth, timeout=TIMEOUT,
                             json={"to": [users[0], "42"], "messages": [{"type": "text", "text": "x"}]})
    assert response.status_code == 400 and response.json()["details"][0]["property"] == "to[1]"


def test_push_to_something_that_is_not_a_line_id_is_rejected(api, store):
    with pytest.raises(ApiException) as caught:
        api.push_message(PushMessageRequest(to="citizen-42", messages=[text()]), _request_timeout=TIMEOUT)
    assert caught.value.status == 400
    assert "'to'" in json.loads(caught.value.body)["message"]
    custom = store.add_user("ทดสอบ", user_id="U-custom")["userId"]  # ids added to the store are always valid
    api.push_message(PushMessageRequest(to=custom, messages=[text()]), _request_timeout=TIMEOUT)
    assert len(store.deliveries(custom)) == 1


def test_reply_uses_a_single_use_token_bound_to_the_user(api, store):
    alice = store.add_user("สมศรี")["userId"]
    token = store.issue_reply_token(alice)
    response = api.reply_message(ReplyMessageRequest(reply_token=token, messages=[text(), text("อีกข้อความ")]),
                                 _request_timeout=TIMEOUT)
    assert len(response.sent_messages) == 2
    assert [d.via for d in store.deliveries(alice)] == ["reply"]
    with pytest.raises(ApiException) as used:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[text()]), _request_timeout=TIMEOUT)
    assert used.value.status == 400 and json.loads(used.value.body) == {"message": "Invalid reply token"}


def test_unknown_and_expired_reply_tokens_are_invalid(api, store, ticks):
    alice = store.add_user("สมศรี")["userId"]
    with pytest.raises(ApiException) as unknown:
        api.reply_message(ReplyMessageRequest(reply_token="f" * 32, messages=[text()]), _request_timeout=TIMEOUT)
    assert unknown.value.status == 400
    token = store.issue_reply_token(alice)
    ticks.advance(60.5)
    with pytest.raises(ApiException) as expired:
        api.reply_message(ReplyMessageRequest(reply_token=token, messages=[text()]), _request_timeout=TIMEOUT)
    assert json.loads(expired.value.body) == {"message": "Invalid reply token"}
    assert store.deliveries() == []


def test_invalid_reply_does_not_burn_the_token(api, store, server, auth):
    alice = store.add_user("สมศรี")["userId"]
    token = store.issue_reply_token(alice)
    bad = requests.post(f"{server.base_url}/v2/bot/message/reply", headers=auth, timeout=TIMEOUT,
                        json={"replyToken": token, "messages": [{"type": "text", "text": ""}]})
    assert bad.status_code == 400
    api.reply_message(ReplyMessageRequest(reply_token=token, messages=[text()]), _request_timeout=TIMEOUT)
    assert len(store.deliveries(alice)) == 1


def test_reply_rejects_a_retry_key(server, store, auth):
    token = store.issue_reply_token(store.add_user("สมศรี")["userId"])
    response = requests.post(f"{server.base_url}/v2/bot/message/reply", timeout=TIMEOUT,
                             headers={**auth, "X-Line-Retry-Key": str(uuid.uuid4())},
                             json={"replyToken": token, "messages": [{"type": "text", "text": "x"}]})
    assert response.status_code == 400


def test_retry_key_must_be_a_uuid(api, store):
    alice = store.add_user("สมศรี")["userId"]
    with pytest.raises(ApiException) as caught:
        api.push_message(PushMessageRequest(to=alice, messages=[text()]), x_line_retry_key="outbox-17",
                         _request_timeout=TIMEOUT)
    assert caught.value.status == 400
    assert store.deliveries() == []


def test_repeated_retry_key_answers_409_with_the_accepted_request_id(api, store):
    alice = store.add_user("สมศรี")["userId"]
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=alice, messages=[text()])
    first = api.push_message_with_http_info(request, x_line_retry_key=key, _request_timeout=TIMEOUT)
    first_id = first.headers["x-line-request-id"]
    with pytest.raises(ApiException) as caught:
        api.push_message(request, x_line_retry_key=key, _request_timeout=TIMEOUT)
    error = caught.value
    assert error.status == 409
    assert error.headers["x-line-accepted-request-id"] == first_id
    assert error.headers["x-line-request-id"] != first_id
    body = json.loads(error.body)
    assert body["message"] == "The retry key is already accepted"
    assert body["sentMessages"] == [m.to_dict() for m in first.data.sent_messages]
    assert len(store.deliveries(alice)) == 1


def test_retry_keys_are_per_endpoint_and_expire_after_24_hours(api, store, ticks):
    alice = store.add_user("สมศรี")["userId"]
    key = str(uuid.uuid4())
    api.push_message(PushMessageRequest(to=alice, messages=[text()]), x_line_retry_key=key, _request_timeout=TIMEOUT)
    api.multicast(MulticastRequest(to=[alice], messages=[text()]), x_line_retry_key=key, _request_timeout=TIMEOUT)
    ticks.advance(24 * 3600 + 1)
    api.push_message(PushMessageRequest(to=alice, messages=[text()]), x_line_retry_key=key, _request_timeout=TIMEOUT)
    assert [d.via for d in store.deliveries(alice)] == ["push", "multicast", "push"]


def test_timeout_after_acceptance_then_retry_delivers_exactly_once(api, store):
    """LINE accepted the push but the client timed out; the retry with the same key gets 409, which is success."""
    alice = store.add_user("สมศรี")["userId"]
    key = str(uuid.uuid4())
    store.inject_fault("/v2/bot/message/push", status=None, accept=True, delay=1.5)
    request = PushMessageRequest(to=alice, messages=[text("แจ้งเตือนการอบรม")])
    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        api.push_message(request, x_line_retry_key=key, _request_timeout=0.5)
    with pytest.raises(ApiException) as caught:
        api.push_message(request, x_line_retry_key=key, _request_timeout=TIMEOUT)
    assert caught.value.status == 409
    accepted_id = caught.value.headers["x-line-accepted-request-id"]
    deliveries = store.deliveries(alice)
    assert len(deliveries) == 1 and deliveries[0].request_id == accepted_id


def test_5xx_before_acceptance_then_retry_delivers_once(api, store):
    alice = store.add_user("สมศรี")["userId"]
    key = str(uuid.uuid4())
    store.inject_fault("/v2/bot/message/*", status=503, times=2)
    request = PushMessageRequest(to=alice, messages=[text()])
    for _ in range(2):
        with pytest.raises(ApiException) as caught:
            api.push_message(request, x_line_retry_key=key, _request_timeout=TIMEOUT)
        assert caught.value.status == 503
    assert store.deliveries() == []
    api.push_message(request, x_line_retry_key=key, _request_timeout=TIMEOUT)
    assert len(store.deliveries(alice)) == 1
    assert [r.status for r in store.requests("/v2/bot/message/push")] == [503, 503, 200]


def test_injected_429_carries_line_body_and_headers(api, store):
    alice = store.add_user("สมศรี")["userId"]
    store.inject_fault("/v2/bot/message/push", status=429, headers={"Retry-After": "1"})
    with pytest.raises(ApiException) as caught:
        api.push_message(PushMessageRequest(to=alice, messages=[text()]), _request_timeout=TIMEOUT)
    assert caught.value.status == 429
    assert json.loads(caught.value.body) == {"message": "Too Many Requests"}
    assert caught.value.headers["Retry-After"] == "1"
    assert caught.value.headers["x-line-request-id"]


def test_accepted_request_answered_with_a_fault_is_still_delivered(api, store):
    alice = store.add_user("สมศรี")["userId"]
    store.inject_fault("/v2/bot/message/push", status=500, accept=True)
    with pytest.raises(ApiException) as caught:
        api.push_message(PushMessageRequest(to=alice, messages=[text()]), _request_timeout=TIMEOUT)
    assert caught.value.status == 500
    assert len(store.deliveries(alice)) == 1


def test_rate_limit_answers_429(api, store, ticks):
    alice = store.add_user("สมศรี")["userId"]
    store.set_rate_limit("push", 2, 1.0)
    for _ in range(2):
        api.push_message(PushMessageRequest(to=alice, messages=[text()]), _request_timeout=TIMEOUT)
    with pytest.raises(ApiException) as caught:
        api.push_message(PushMessageRequest(to=alice, messages=[text()]), _request_timeout=TIMEOUT)
    assert caught.value.status == 429 and json.loads(caught.value.body) == {"message": "Too Many Requests"}
    ticks.advance(1.0)
    api.push_message(PushMessageRequest(to=alice, messages=[text()]), _request_timeout=TIMEOUT)
    assert len(store.deliveries(alice)) == 3


def test_default_broadcast_rate_limit_is_60_per_hour(store):
    assert all(store.allow("broadcast") for _ in range(60))
    assert not store.allow("broadcast")
    assert store.allow("push")


def test_broadcast_reaches_followers_only(api, store):
    alice = store.add_user("สมศรี")["userId"]
    bob = store.add_user("สมชาย")["userId"]
    store.set_following(bob, False)
    api.broadcast(BroadcastRequest(messages=[text("ข่าวประชาสัมพันธ์")]), _request_timeout=TIMEOUT)
    assert [d.user_id for d in store.deliveries()] == [alice]
    assert store.deliveries(alice)[0].via == "broadcast"


def test_narrowcast_is_accepted_and_its_progress_succeeds(api, store):
    users = [store.add_user(f"ผู้ใช้ {i}")["userId"] for i in range(2)]
    response = api.narrowcast_with_http_info(NarrowcastRequest(messages=[text()]), _request_timeout=TIMEOUT)
    assert response.status_code == 202
    progress = api.get_narrowcast_progress(response.headers["x-line-request-id"], _request_timeout=TIMEOUT)
    assert progress.phase == "succeeded" and progress.success_count == 2
    assert sorted(d.user_id for d in store.deliveries()) == sorted(users)


def test_quota_counts_recipients_and_not_replies(api, store):
    alice = store.add_user("สมศรี")["userId"]
    bob = store.add_user("สมชาย")["userId"]
    assert api.get_message_quota(_request_timeout=TIMEOUT).type == "none"
    api.push_message(PushMessageRequest(to=alice, messages=[text(), text()]), _request_timeout=TIMEOUT)
    api.multicast(MulticastRequest(to=[alice, bob, "U" + "c" * 32], messages=[text()]), _request_timeout=TIMEOUT)
    api.broadcast(BroadcastRequest(messages=[text()]), _request_timeout=TIMEOUT)
    api.reply_message(ReplyMessageRequest(reply_token=store.issue_reply_token(alice), messages=[text()]),
                      _request_timeout=TIMEOUT)
    assert api.get_message_quota_consumption(_request_timeout=TIMEOUT).total_usage == 1 + 3 + 2
    assert store.consumption() == 6


def test_monthly_quota_exhausted_answers_429(api, store):
    store.quota_limit = 2
    users = [store.add_user(f"ผู้ใช้ {i}")["userId"] for i in range(3)]
    quota = api.get_message_quota(_request_timeout=TIMEOUT)
    assert (quota.type, quota.value) == ("limited", 2)
    with pytest.raises(ApiException) as caught:
        api.multicast(MulticastRequest(to=users, messages=[text()]), _request_timeout=TIMEOUT)
    assert caught.value.status == 429
    assert store.deliveries() == []


def test_wrong_or_missing_token_is_401(server, store):
    alice = store.add_user("สมศรี")["userId"]
    body = {"to": alice, "messages": [{"type": "text", "text": "x"}]}
    response = requests.post(f"{server.base_url}/v2/bot/message/push", json=body, timeout=TIMEOUT)
    assert response.status_code == 401
    assert response.json() == {"message": "Authentication failed. Confirm that the access token in the "
                                          "authorization header is valid."}
    with (ApiClient(Configuration(host=server.base_url, access_token="wrong")) as client,
          pytest.raises(UnauthorizedException)):
        MessagingApi(client).push_message(PushMessageRequest(to=alice, messages=[text()]), _request_timeout=TIMEOUT)
    assert store.deliveries() == []


def test_wait_for_deliveries_blocks_until_they_arrive(api, store):
    alice = store.add_user("สมศรี")["userId"]
    since = store.last_seq()
    sender = threading.Timer(0.05, lambda: api.push_message(
        PushMessageRequest(to=alice, messages=[text()]), _request_timeout=TIMEOUT))
    sender.start()
    got = store.wait_for_deliveries(alice, 1, since=since, timeout=TIMEOUT)
    sender.join()
    assert len(got) == 1 and got[0].seq > since
    assert store.wait_for_deliveries(alice, 2, since=since, timeout=0.01) == got  # gives up, returns what it has


def test_validate_endpoints_check_without_sending(server, store, auth):
    url = f"{server.base_url}/v2/bot/message/validate/push"
    ok = requests.post(url, json={"messages": [{"type": "text", "text": "x"}]}, headers=auth, timeout=TIMEOUT)
    assert ok.status_code == 200
    bad = requests.post(url, json={"messages": [{"type": "text", "text": "x" * 5001}]}, headers=auth,
                        timeout=TIMEOUT)
    assert bad.status_code == 400 and bad.json()["details"][0]["property"] == "messages[0].text"
    assert store.deliveries() == []
