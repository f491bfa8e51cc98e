"""LINE's limits that the OpenAPI document does not encode."""

from __future__ import annotations

import copy

import pytest

from line_emulator import validate_message, validate_outgoing
from line_emulator.limits import FLEX_BUBBLE_MAX_BYTES, FLEX_CAROUSEL_MAX_BYTES, check_limits, json_size
from line_emulator.schema import SchemaError

PUSH = "/v2/bot/message/push"
USER = "U" + "1" * 32


def push(*messages: dict) -> dict:
    return {"to": USER, "messages": list(messages)}


def properties(errors: list[SchemaError]) -> list[str]:
    return [error.property for error in errors]


def test_realistic_bodies_are_within_limits(text_with_quick_reply, flex_carousel, buttons_template, image_message,
                                            rich_menu):
    assert check_limits(PUSH, push(text_with_quick_reply, flex_carousel, buttons_template, image_message)) == []
    assert check_limits("/v2/bot/richmenu", rich_menu) == []


def test_text_is_limited_to_5000_utf16_code_units():
    assert check_limits(PUSH, push({"type": "text", "text": "ก" * 5000})) == []
    assert check_limits(PUSH, push({"type": "text", "text": "🍎" * 2500})) == []  # 2 units each
    errors = check_limits(PUSH, push({"type": "text", "text": "x"}, {"type": "text", "text": "🍎" * 2500 + "x"}))
    assert errors == [SchemaError("messages[1].text", "Length must be between 1 and 5000")]
    assert properties(check_limits(PUSH, push({"type": "text", "text": ""}))) == ["messages[0].text"]


def test_text_over_limit_is_rejected_by_the_combined_check():
    errors = validate_outgoing(PUSH, push({"type": "text", "text": "ก" * 5001}))
    assert properties(errors) == ["messages[0].text"]


def test_flex_alt_text_is_limited_to_1500(flex_carousel):
    message = dict(flex_carousel, altText="ข" * 1501)
    assert properties(check_limits(PUSH, push(message))) == ["messages[0].altText"]


def test_flex_bubble_over_30kb_is_rejected():
    filler = [{"type": "text", "text": "ข้อความยาว" * 10, "wrap": True}] * 120
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": filler}}
    assert json_size(bubble) > FLEX_BUBBLE_MAX_BYTES
    errors = check_limits(PUSH, push({"type": "flex", "altText": "x", "contents": bubble}))
    assert properties(errors) == ["messages[0].contents"]
    assert "30,000" in errors[0].message


def test_flex_carousel_over_50kb_or_12_bubbles_is_rejected():
    text = [{"type": "text", "text": "ข้อความ" * 20, "wrap": True}] * 30
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": text}}
    assert json_size(bubble) < FLEX_BUBBLE_MAX_BYTES
    carousel = {"type": "carousel", "contents": [bubble] * 5}
    assert json_size(carousel) > FLEX_CAROUSEL_MAX_BYTES
    errors = check_limits(PUSH, push({"type": "flex", "altText": "x", "contents": carousel}))
    assert properties(errors) == ["messages[0].contents"]

    small = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text",
                                                                                         "text": "x"}]}}
    errors = check_limits(PUSH, push({"type": "flex", "altText": "x",
                                      "contents": {"type": "carousel", "contents": [small] * 13}}))
    assert errors == [SchemaError("messages[0].contents.contents", "Size must be between 1 and 12")]


def test_postback_data_over_300_is_rejected_everywhere(text_with_quick_reply, flex_carousel, buttons_template,
                                                       rich_menu):
    long_data = "x" * 301
    quick = copy.deepcopy(text_with_quick_reply)
    quick["quickReply"]["items"][0]["action"]["data"] = long_data
    flex = copy.deepcopy(flex_carousel)
    flex["contents"]["contents"][0]["footer"]["contents"][0]["action"]["data"] = long_data
    template = copy.deepcopy(buttons_template)
    template["template"]["actions"][0]["data"] = long_data
    assert properties(validate_outgoing(PUSH, push(quick, flex, template))) == [
        "messages[0].quickReply.items[0].action.data",
        "messages[1].contents.contents[0].footer.contents[0].action.data",
        "messages[2].template.actions[0].data",
    ]
    menu = copy.deepcopy(rich_menu)
    menu["areas"][2]["action"]["data"] = long_data
    assert properties(validate_outgoing("/v2/bot/richmenu", menu)) == ["areas[2].action.data"]


def test_quick_reply_over_13_items_is_rejected(text_with_quick_reply):
    message = copy.deepcopy(text_with_quick_reply)
    message["quickReply"]["items"] = message["quickReply"]["items"][:1] * 14
    assert properties(validate_outgoing(PUSH, push(message))) == ["messages[0].quickReply.items"]


@pytest.mark.parametrize(("where", "limit"), [("quick_reply", 20), ("template", 20), ("flex_button", 40)])
def test_action_labels_are_limited_in_grapheme_clusters(where, limit, text_with_quick_reply, buttons_template,
                                                        flex_carousel):
    if where == "quick_reply":
        message = copy.deepcopy(text_with_quick_reply)
        action = message["quickReply"]["items"][0]["action"]
        prop = "messages[0].quickReply.items[0].action.label"
    elif where == "template":
        message = copy.deepcopy(buttons_template)
        action = message["template"]["actions"][0]
        prop = "messages[0].template.actions[0].label"
    else:
        message = copy.deepcopy(flex_carousel)
        action = message["contents"]["contents"][0]["footer"]["contents"][0]["action"]
        prop = "messages[0].contents.contents[0].footer.contents[0].action.label"
    action["label"] = "ที่" * limit  # each is one cluster of two code points
    assert check_limits(PUSH, push(message)) == []
    action["label"] += "ก"
    assert properties(check_limits(PUSH, push(message))) == [prop]
    del action["label"]
    assert check_limits(PUSH, push(message)) == [SchemaError(prop, "must be specified")]


def test_template_shapes_are_limited(buttons_template):
    message = copy.deepcopy(buttons_template)
    message["template"]["text"] = "ก" * 61  # 60 with an image or a title
    message["template"]["actions"] *= 2
    assert properties(check_limits(PUSH, push(message))) == ["messages[0].template.text",
                                                           "messages[0].template.actions"]
    confirm = {"type": "template", "altText": "ยืนยัน", "template": {"type": "confirm", "text": "ยืนยัน?", "actions": [
        {"type": "message", "label": "ใช่", "text": "ใช่"}]}}
    assert properties(check_limits(PUSH, push(confirm))) == ["messages[0].template.actions"]


def test_richmenuswitch_only_in_rich_menus(text_with_quick_reply, rich_menu):
    switch = {"type": "richmenuswitch", "label": "หน้า 2", "richMenuAliasId": "page-2", "data": "page:2"}
    message = copy.deepcopy(text_with_quick_reply)
    message["quickReply"]["items"][0]["action"] = switch
    assert properties(check_limits(PUSH, push(message))) == ["messages[0].quickReply.items[0].action.type"]
    menu = copy.deepcopy(rich_menu)
    menu["areas"][0]["action"] = switch
    assert check_limits("/v2/bot/richmenu", menu) == []


def test_uri_action_scheme_is_limited(buttons_template):
    message = copy.deepcopy(buttons_template)
    message["template"]["actions"][2]["uri"] = "ftp://kk.example/file"
    assert properties(check_limits(PUSH, push(message))) == ["messages[0].template.actions[2].uri"]


def test_rich_menu_size_areas_and_required_fields(rich_menu):
    assert check_limits("/v2/bot/richmenu", dict(rich_menu, size={"width": 2500, "height": 1000})) == [
        SchemaError("size", "Must be one of the following sizes: "
                            "[2500x1686, 2500x843, 1200x810, 1200x405, 800x540, 800x270]")]
    many = dict(rich_menu, areas=rich_menu["areas"][:1] * 21)
    assert properties(check_limits("/v2/bot/richmenu", many)) == ["areas"]
    outside = copy.deepcopy(rich_menu)
    outside["areas"][5]["bounds"]["width"] = 900
    assert properties(check_limits("/v2/bot/richmenu", outside)) == ["areas[5].bounds"]
    assert properties(check_limits("/v2/bot/richmenu", {"size": {"width": 800, "height": 270}})) == [
        "selected", "name", "chatBarText", "areas"]


def test_chat_bar_text_limit_comes_from_the_spec(rich_menu):
    assert properties(validate_outgoing("/v2/bot/richmenu", dict(rich_menu, chatBarText="x" * 15))) == [
        "chatBarText"]


def test_loading_seconds_must_be_a_multiple_of_five():
    assert check_limits("/v2/bot/chat/loading/start", {"chatId": USER, "loadingSeconds": 10}) == []
    assert properties(check_limits("/v2/bot/chat/loading/start", {"chatId": USER, "loadingSeconds": 7})) == [
        "loadingSeconds"]


def test_garbage_never_crashes_the_limit_checks():
    garbage = [None, 1, "x", [], {"messages": "x"}, {"messages": [None, 1, {"type": "flex", "contents": []}]},
               {"messages": [{"type": "template", "template": {"type": "carousel", "columns": [None, {}]}}]},
               {"messages": [{"type": "text", "text": 5, "quickReply": {"items": [None, {"action": 3}]}}]},
               {"size": "big", "areas": [None, {"bounds": "x"}]}]
    for body in garbage:
        for path in (PUSH, "/v2/bot/richmenu", "/v2/bot/chat/loading/start", "/v2/bot/info"):
            assert isinstance(check_limits(path, body), list)


def test_validate_message_checks_one_message_against_schema_and_limits(flex_carousel):
    assert validate_message(flex_carousel) == []
    broken = copy.deepcopy(flex_carousel)
    broken["altText"] = "x" * 1501
    broken["contents"]["contents"][0]["body"]["layout"] = "grid"
    assert properties(validate_message(broken)) == ["contents.contents[0].body.layout", "altText"]
