"""The OpenAPI validator catches the mistakes LINE rejects, and passes what LINE accepts."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from line_emulator import validate_outgoing
from line_emulator.schema import MessagingApiSpec, SchemaError, default_spec_path, get_spec, grapheme_len, utf16_len

USER = "U" + "1" * 32


def push(*messages: dict) -> dict:
    return {"to": USER, "messages": list(messages)}


def properties(errors: list[SchemaError]) -> list[str]:
    return [error.property for error in errors]


# --- realistic bodies pass ----------------------------------------------------------------------------------------

def test_realistic_messages_pass(spec, text_with_quick_reply, flex_carousel, buttons_template, image_message):
    body = push(text_with_quick_reply, flex_carousel, buttons_template, image_message)
    assert spec.validate_request("POST", "/v2/bot/message/push", body) == []
    assert validate_outgoing("/v2/bot/message/push", body) == []


def test_every_sending_endpoint_accepts_its_body(spec, text_with_quick_reply):
    message = [text_with_quick_reply]
    bodies = {
        "/v2/bot/message/reply": {"replyToken": "0" * 32, "messages": message},
        "/v2/bot/message/push": {"to": USER, "messages": message, "notificationDisabled": True},
        "/v2/bot/message/multicast": {"to": [USER, "U" + "2" * 32], "messages": message},
        "/v2/bot/message/broadcast": {"messages": message},
        "/v2/bot/message/narrowcast": {
            "messages": message,
            "recipient": {"type": "operator", "and": [{"type": "audience", "audienceGroupId": 5},
                                                      {"type": "operator", "not": {"type": "audience",
                                                                                   "audienceGroupId": 6}}]},
            "filter": {"demographic": {"type": "operator", "or": [
                {"type": "age", "gte": "age_20", "lt": "age_60"}, {"type": "area", "oneOf": ["th_01"]}]}},
            "limit": {"max": 100},
        },
    }
    for path, body in bodies.items():
        assert spec.validate_request("POST", path, body) == [], path


def test_rich_menu_object_passes(spec, rich_menu):
    assert spec.validate_request("POST", "/v2/bot/richmenu", rich_menu) == []
    assert spec.validate("RichMenuRequest", rich_menu) == []


def test_named_schemas_validate_directly(spec, flex_carousel, text_with_quick_reply):
    assert spec.validate("FlexContainer", flex_carousel["contents"]) == []
    assert spec.validate("Message", flex_carousel) == []
    assert spec.validate("QuickReply", text_with_quick_reply["quickReply"]) == []
    assert "FlexBubble" in spec.schema_names
    with pytest.raises(KeyError):
        spec.validate("NoSuchSchema", {})


# --- polymorphism: the discriminator is enforced -------------------------------------------------------------------

def test_unknown_message_type_is_rejected(spec):
    errors = spec.validate_request("POST", "/v2/bot/message/push", push({"type": "txt", "text": "hi"}))
    assert properties(errors) == ["messages[0].type"]
    assert "text" in errors[0].message and "flex" in errors[0].message


def test_flex_bubble_with_unknown_component_type_is_rejected(spec, flex_carousel):
    body = copy.deepcopy(flex_carousel)
    body["contents"]["contents"][1]["body"]["contents"][1] = {"type": "texxt", "text": "typo"}
    errors = spec.validate_request("POST", "/v2/bot/message/push", push(body))
    assert properties(errors) == ["messages[0].contents.contents[1].body.contents[1].type"]


def test_nested_component_errors_point_at_the_property(spec, flex_carousel):
    body = copy.deepcopy(flex_carousel)
    body["contents"]["contents"][0]["body"]["contents"][1]["contents"][1]["text"] = 42
    errors = spec.validate_request("POST", "/v2/bot/message/push", push(body))
    assert errors == [SchemaError("messages[0].contents.contents[0].body.contents[1].contents[1].text",
                                  "Must be a string")]


def test_button_action_without_type_is_rejected(spec, flex_carousel):
    body = copy.deepcopy(flex_carousel)
    del body["contents"]["contents"][2]["footer"]["contents"][0]["action"]["type"]
    errors = spec.validate_request("POST", "/v2/bot/message/push", push(body))
    assert errors == [SchemaError("messages[0].contents.contents[2].footer.contents[0].action.type",
                                  "must be specified")]


def test_carousel_contents_must_be_bubbles(spec):
    carousel = {"type": "carousel", "contents": [{"type": "box", "layout": "vertical", "contents": []}]}
    errors = spec.validate("FlexContainer", carousel)
    assert errors == [SchemaError("contents[0].type", "Must be one of the following values: [bubble]")]


def test_bubble_body_must_be_a_box(spec):
    bubble = {"type": "bubble", "body": {"type": "text", "text": "not a box"}}
    errors = spec.validate("FlexContainer", bubble)
    assert SchemaError("body.type", "Must be one of the following values: [box]") in errors


def test_template_and_action_types_are_dispatched(spec, buttons_template):
    body = copy.deepcopy(buttons_template)
    body["template"]["type"] = "button"
    assert properties(spec.validate("Message", body)) == ["template.type"]
    body = copy.deepcopy(buttons_template)
    body["template"]["actions"][0]["type"] = "post-back"
    assert properties(spec.validate("Message", body)) == ["template.actions[0].type"]


def test_narrowcast_recipient_and_filter_are_dispatched(spec):
    body = {"messages": [{"type": "text", "text": "x"}], "recipient": {"type": "everyone"},
            "filter": {"demographic": {"type": "age", "gte": "age_99"}}}
    errors = spec.validate_request("POST", "/v2/bot/message/narrowcast", body)
    assert properties(errors) == ["filter.demographic.gte", "recipient.type"]


# --- plain constraints ---------------------------------------------------------------------------------------------

def test_missing_required_to_is_reported_on_to(spec):
    errors = spec.validate_request("POST", "/v2/bot/message/push", {"messages": [{"type": "text", "text": "x"}]})
    assert errors == [SchemaError("to", "must be specified")]


def test_too_many_messages_is_rejected(spec):
    errors = spec.validate_request("POST", "/v2/bot/message/push", push(*[{"type": "text", "text": "x"}] * 6))
    assert errors == [SchemaError("messages", "Size must be between 1 and 5")]


def test_too_many_multicast_ids_is_rejected(spec):
    body = {"to": [f"U{i:032x}" for i in range(501)], "messages": [{"type": "text", "text": "x"}]}
    assert spec.validate_request("POST", "/v2/bot/message/multicast", body) == [
        SchemaError("to", "Size must be between 1 and 500")]
    body["to"] = []
    assert properties(spec.validate_request("POST", "/v2/bot/message/multicast", body)) == ["to"]


def test_postback_data_over_max_length_is_rejected(spec, text_with_quick_reply):
    body = copy.deepcopy(text_with_quick_reply)
    body["quickReply"]["items"][0]["action"]["data"] = "x" * 301
    errors = spec.validate("Message", body)
    assert errors == [SchemaError("quickReply.items[0].action.data", "Length must be between 0 and 300")]


def test_max_length_counts_utf16_code_units(spec):
    action = {"type": "postback", "data": "🍎" * 150}  # 150 code points, 300 UTF-16 units: fits
    assert spec.validate("Action", action) == []
    action["data"] += "a"
    assert properties(spec.validate("Action", action)) == ["data"]


def test_quick_reply_item_count_comes_from_the_spec(spec):
    item = {"type": "action", "action": {"type": "message", "label": "ก", "text": "ก"}}
    errors = spec.validate("QuickReply", {"items": [item] * 14})
    assert errors == [SchemaError("items", "Size must be between 0 and 13")]


def test_enum_violation_is_rejected(spec):
    # FlexText.size is a free string in the spec (keywords or "12px"), so use properties that are enums.
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "grid", "contents": [
        {"type": "text", "text": "x", "weight": "heavy"}]}}
    errors = spec.validate("FlexContainer", bubble)
    assert properties(errors) == ["body.contents[0].weight", "body.layout"]
    assert errors[1].message == "Must be one of the following values: [horizontal, vertical, baseline]"


def test_relative_image_url_is_rejected(spec, image_message):
    body = dict(image_message, originalContentUrl="/media/report.png")
    assert properties(spec.validate("Message", body)) == ["originalContentUrl"]
    assert spec.validate("Action", {"type": "uri", "label": "โทร", "uri": "tel:043000000"}) == []


def test_chat_bar_text_counts_grapheme_clusters(spec, rich_menu):
    thai = "ข้อมูลสำหรับผู้ใช้งาน"  # 21 code points, 14 grapheme clusters (vowels, tone marks, SARA AM join)
    assert len(thai) > 14 and grapheme_len(thai) == 14
    assert spec.validate("RichMenuRequest", dict(rich_menu, chatBarText=thai)) == []
    errors = spec.validate("RichMenuRequest", dict(rich_menu, chatBarText=thai + "ๆ"))
    assert errors == [SchemaError("chatBarText", "Length must be between 0 and 14 characters")]


def test_wrong_types_and_non_objects_are_errors_not_crashes(spec):
    for body in (None, [], "x", 3, {"to": 5, "messages": "x"}, {"to": USER, "messages": [None, 1, []]}):
        errors = spec.validate_request("POST", "/v2/bot/message/push", body)
        assert errors and all(isinstance(e, SchemaError) for e in errors)


# --- operations --------------------------------------------------------------------------------------------------

def test_operations_are_found_by_method_and_templated_path(spec, rich_menu):
    assert spec.operation_schema("POST", "/v2/bot/richmenu") == "RichMenuRequest"
    assert spec.operation_schema("GET", "/v2/bot/richmenu/list") is None
    assert spec.operation_schema("POST", "/v2/bot/user/all/richmenu/richmenu-" + "a" * 32) is None
    assert spec.validate_request("GET", "/v2/bot/profile/" + USER, None) == []
    assert spec.validate_request("POST", "/v2/bot/richmenu/validate", rich_menu) == []


def test_unknown_operation_is_one_error(spec):
    errors = spec.validate_request("POST", "/v2/bot/message/pushh", push({"type": "text", "text": "x"}))
    assert len(errors) == 1 and "not an operation" in errors[0].message
    assert len(spec.validate_request("DELETE", "/v2/bot/message/push", None)) == 1


def test_required_body_missing_is_an_error(spec):
    assert spec.validate_request("POST", "/v2/bot/message/push", None) == [
        SchemaError("", "The request body is required")]


# --- loading and conversion details -------------------------------------------------------------------------------

def test_spec_is_cached_per_process():
    assert get_spec() is get_spec()
    assert get_spec(default_spec_path()) is get_spec()


def test_spec_location_honours_env_then_shared_then_vendored(monkeypatch, tmp_path):
    monkeypatch.setenv("LINE_OPENAPI_DIR", str(tmp_path))
    assert default_spec_path() == tmp_path / "messaging-api.yml"
    monkeypatch.delenv("LINE_OPENAPI_DIR")
    vendored = Path(__file__).resolve().parents[2] / "line_emulator" / "spec" / "messaging-api.yml"
    assert vendored.is_file()
    assert default_spec_path().is_file()


def test_vendored_spec_is_the_same_document(spec):
    vendored = Path(__file__).resolve().parents[2] / "line_emulator" / "spec" / "messaging-api.yml"
    if spec.path.resolve() != vendored.resolve():
        assert spec.path.read_bytes() == vendored.read_bytes(), "re-vendor line_emulator/spec/messaging-api.yml"


def test_openapi_specifics_are_converted(tmp_path):
    (tmp_path / "messaging-api.yml").write_text("""
openapi: 3.0.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [id, count]
      properties:
        id: {type: string, readOnly: true}
        count: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}
        note: {type: string, nullable: true}
        kind: {type: string, enum: [a, b], nullable: true}
        oneOf: {type: array, items: {type: string}}
""", encoding="utf-8")
    spec = MessagingApiSpec(tmp_path / "messaging-api.yml")
    assert spec.validate("Thing", {"count": 5, "note": None, "kind": None, "oneOf": ["x"]}) == []
    assert properties(spec.validate("Thing", {"count": 0})) == ["count"]
    assert properties(spec.validate("Thing", {"count": 10})) == ["count"]
    assert properties(spec.validate("Thing", {"count": 1, "kind": "c", "oneOf": "x"})) == ["kind", "oneOf"]


def test_text_length_helpers():
    assert utf16_len("🍎") == 2 and utf16_len("ข้าว") == 4
    assert grapheme_len("ข้าว") == 3
    assert grapheme_len("กำ") == 1  # SARA AM joins its consonant
    assert grapheme_len("👍🏽") == 1 and grapheme_len("🇹🇭🇯🇵") == 2 and grapheme_len("👨\u200d👩\u200d👧") == 1
    assert grapheme_len("a\r\nb") == 3
