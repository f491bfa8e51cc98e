"""Validates LINE Messaging API request bodies against LINE's own OpenAPI document (messaging-api.yml).

The spec is OpenAPI 3.0, which plain JSON Schema validators misread in ways that matter here:

* Polymorphism. `Message`, `Action`, `FlexComponent`, `Template`, ... carry a `discriminator`
  (`{"propertyName": "type", "mapping": {"text": "#/components/schemas/TextMessage", ...}}`) and every
  subtype is `allOf: [{$ref: <base>}, {...own properties...}]`. A JSON Schema validator ignores
  `discriminator`, so `{"type": "bxo"}` inside a flex bubble would pass. Here each discriminated base
  gets two definitions: `<Base>` dispatches on the discriminator value to the mapped subtype (a missing
  or unknown value is an error) and is used wherever the base is referenced as a value; `<Base>~base`
  holds the base's own properties without dispatching and is what a subtype's `allOf` refers to (so the
  subtype does not dispatch back to itself). A subtype referenced directly (a carousel's `contents` are
  `FlexBubble`s) also checks that its discriminator value is its own (`"bubble"`).
* `nullable: true` widens `type` to include null; boolean `exclusiveMinimum`/`exclusiveMaximum` become
  JSON Schema numbers; `readOnly` properties are not required in requests; `example`, `externalDocs`,
  `x-*` and `description` are dropped; `format` is checked only for `uri` (absolute URI with a scheme,
  no whitespace: LINE rejects relative links), other formats (int32, int64, date-time, ...) are ignored.
* Lengths. JSON Schema `maxLength` counts code points; LINE counts UTF-16 code units, except for a few
  properties counted in grapheme clusters (rich menu `chatBarText` and `name`, action labels and the
  texts of template messages: developers.line.biz/en/docs/messaging-api/text-character-count). Thai
  vowels and tone marks are separate code points but not separate grapheme clusters, so the difference
  decides whether a Thai `chatBarText` fits. Both counts are implemented here.

Errors come back as `SchemaError(property, message)` with LINE's property paths
(`messages[0].contents.body.contents[1].text`) and messages in LINE's style.
"""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft7Validator, FormatChecker, ValidationError, validators

__all__ = [
    "MessagingApiSpec",
    "SchemaError",
    "default_spec_path",
    "format_property",
    "get_spec",
    "grapheme_len",
    "utf16_len",
]

_HERE = Path(__file__).resolve().parent
_REPO_ROOT = _HERE.parent
_VENDORED_SPEC = _HERE / "spec" / "messaging-api.yml"
_COMPONENT_PREFIX = "#/components/schemas/"
_DEF_PREFIX = "#/definitions/"
_BASE_SUFFIX = "~base"
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# Keys of an OpenAPI schema object that carry no validation meaning for us.
_DROPPED_KEYS = frozenset({
    "description", "example", "examples", "externalDocs", "default", "title", "deprecated", "xml",
    "writeOnly", "readOnly", "discriminator", "nullable",
})
# Properties LINE counts in grapheme clusters instead of UTF-16 code units (schema name -> property names).
_GRAPHEME_PROPERTIES: dict[str, tuple[str, ...]] = {
    "RichMenuRequest": ("chatBarText", "name"),
    "RichMenuResponse": ("chatBarText", "name"),
    "Action": ("label",),
    "PostbackAction": ("displayText", "fillInText", "label", "text"),
    "MessageAction": ("label", "text"),
    "ButtonsTemplate": ("text", "title"),
    "ConfirmTemplate": ("text",),
    "CarouselColumn": ("text", "title"),
}


@dataclass(frozen=True)
class SchemaError:
    """One validation problem, shaped like an item of LINE's error `details`."""

    property: str
    message: str

    def as_detail(self) -> dict[str, str]:
        """Returns the error as LINE's `{"message": ..., "property": ...}` detail object."""
        return {"message": self.message, "property": self.property}


# --- text length as LINE counts it -------------------------------------------------------------------------------

def utf16_len(text: str) -> int:
    """Returns the length of `text` in UTF-16 code units (how LINE counts most text limits)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


_ZWJ = "\u200d"
_SPACING_MARK_EXTRA = frozenset("\u0e33\u0eb3")  # THAI / LAO SARA AM join the previous cluster (UAX #29)


def _is_extend(ch: str) -> bool:
    cp = ord(ch)
    if ch == _ZWJ or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
        return True
    return unicodedata.category(ch) in ("Mn", "Me", "Mc") or ch in _SPACING_MARK_EXTRA


def _is_pictographic(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or unicodedata.category(ch) == "So"


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _joins(prev: str, ch: str, ri_run: int) -> bool:
    """True if `ch` continues the grapheme cluster that `prev` is in."""
    if prev == "\r":
        return ch == "\n"
    if prev == "\n":
        return False
    if _is_extend(ch):
        return True
    if prev == _ZWJ and _is_pictographic(ch):
        return True
    return _is_regional_indicator(ch) and ri_run % 2 == 1


def grapheme_len(text: str) -> int:
    """Returns the number of user-perceived characters (extended grapheme clusters, UAX #29).

    A compact approximation of the Unicode rules that covers what LINE users type: combining marks
    (Thai vowels above/below and tone marks), spacing marks and SARA AM, CR LF, emoji modifiers and
    ZWJ sequences, and regional-indicator flag pairs. Hangul jamo sequences and prepend marks are not
    joined (precomposed Hangul is one code point anyway).
    """
    count = 0
    prev = ""
    ri_run = 0  # regional indicators seen in a row, to pair flags
    for ch in text:
        if not prev or not _joins(prev, ch, ri_run):
            count += 1
        ri_run = ri_run + 1 if _is_regional_indicator(ch) else 0
        prev = ch
    return count


# --- property paths -----------------------------------------------------------------------------------------------

def format_property(path: Any) -> str:
    """Formats a JSON path (keys and indexes) the way LINE reports it: `messages[0].contents.body`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- spec location and caching ------------------------------------------------------------------------------------

def default_spec_path() -> Path:
    """Returns the messaging-api.yml to use: `$LINE_OPENAPI_DIR`, then `../shared/line-openapi`, then the vendored copy."""
    env_dir = os.environ.get("LINE_OPENAPI_DIR")
    if env_dir:
        return Path(env_dir) / "messaging-api.yml"
    shared = _REPO_ROOT.parent / "shared" / "line-openapi" / "messaging-api.yml"
    if shared.is_file():
        return shared
    return _VENDORED_SPEC


_SPEC_CACHE: dict[Path, MessagingApiSpec] = {}
_SPEC_LOCK = threading.Lock()


def get_spec(path: Path | str | None = None) -> MessagingApiSpec:
    """Returns the process-wide MessagingApiSpec for `path` (default: `default_spec_path()`), loading it once."""
    resolved = Path(path or default_spec_path()).resolve()
    with _SPEC_LOCK:
        spec = _SPEC_CACHE.get(resolved)
        if spec is None:
            spec = MessagingApiSpec(resolved)
            _SPEC_CACHE[resolved] = spec
        return spec


# --- OpenAPI 3.0 -> JSON Schema (draft 7) -------------------------------------------------------------------------

def _component_name(ref: str) -> str:
    if not ref.startswith(_COMPONENT_PREFIX):
        raise ValueError(f"unsupported $ref {ref!r}: only local component schemas are used by messaging-api.yml")
    return ref[len(_COMPONENT_PREFIX):]


class _Converter:
    """Turns `components.schemas` of an OpenAPI 3.0 document into draft-7 `definitions`."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components
        self.discriminated = {
            name: self._mapping(name, schema)
            for name, schema in components.items()
            if isinstance(schema, Mapping) and isinstance(schema.get("discriminator"), Mapping)
        }

    def _mapping(self, base: str, schema: Mapping[str, Any]) -> dict[str, str]:
        disc = schema["discriminator"]
        mapping = disc.get("mapping")
        if mapping:
            return {str(value): _component_name(ref) for value, ref in mapping.items()}
        # Implicit mapping (OpenAPI 3.0 §4.7.25.2): subtypes named after their schema.
        implicit = {}
        for name, candidate in self.components.items():
            for part in (candidate or {}).get("allOf", []) if isinstance(candidate, Mapping) else []:
                if isinstance(part, Mapping) and part.get("$ref") == _COMPONENT_PREFIX + base:
                    implicit[name] = name
        return implicit

    def definitions(self) -> dict[str, Any]:
        defs: dict[str, Any] = {}
        for name, schema in self.components.items():
            if name in self.discriminated:
                defs[name + _BASE_SUFFIX] = self.convert(schema)
                defs[name] = self._dispatcher(name)
            else:
                defs[name] = self.convert(schema, own_name=name)
        self._pin_discriminator_values(defs)
        self._mark_grapheme_properties(defs)
        return defs

    def _dispatcher(self, name: str) -> dict[str, Any]:
        prop = self.components[name]["discriminator"]["propertyName"]
        mapping = {value: _DEF_PREFIX + target for value, target in self.discriminated[name].items()}
        return {"type": "object", "x-discriminator": {"propertyName": prop, "mapping": mapping, "base": name}}

    def _pin_discriminator_values(self, defs: dict[str, Any]) -> None:
        """Makes a directly referenced subtype insist on its own discriminator value(s)."""
        pinned: dict[str, dict[str, list[str]]] = {}
        for base, mapping in self.discriminated.items():
            prop = self.components[base]["discriminator"]["propertyName"]
            for value, target in mapping.items():
                pinned.setdefault(target, {}).setdefault(prop, []).append(value)
        for target, props in pinned.items():
            schema = defs.get(target)
            if schema is None or target in self.discriminated:
                continue
            pins = [{"properties": {prop: {"enum": values}}} for prop, values in props.items()]
            defs[target] = {"allOf": [schema, *pins]}

    def _mark_grapheme_properties(self, defs: dict[str, Any]) -> None:
        for name, props in _GRAPHEME_PROPERTIES.items():
            for key in (name, name + _BASE_SUFFIX):
                if key in defs:
                    for prop_schema in _find_property_schemas(defs[key], props):
                        prop_schema["x-length-unit"] = "grapheme"

    def convert(self, node: Any, own_name: str | None = None, in_own_allof: bool = False) -> Any:
        """Converts one schema object; `in_own_allof` marks the top-level allOf items of a subtype."""
        if not isinstance(node, Mapping):
            return node
        if "$ref" in node:
            target = _component_name(node["$ref"])
            if target in self.discriminated and in_own_allof:
                return {"$ref": _DEF_PREFIX + target + _BASE_SUFFIX}
            return {"$ref": _DEF_PREFIX + target}
        out: dict[str, Any] = {}
        read_only: set[str] = set()
        for key, value in node.items():
            if key in _DROPPED_KEYS or key.startswith("x-"):
                continue
            if key == "properties":
                props = {}
                for prop_name, prop_schema in value.items():
                    if isinstance(prop_schema, Mapping) and prop_schema.get("readOnly"):
                        read_only.add(prop_name)
                    props[prop_name] = self.convert(prop_schema)
                out["properties"] = props
            elif key in ("items", "not", "additionalProperties"):
                out[key] = self.convert(value) if isinstance(value, Mapping) else value
            elif key == "allOf":
                out[key] = [self.convert(part, in_own_allof=own_name is not None) for part in value]
            elif key in ("oneOf", "anyOf"):
                out[key] = [self.convert(part) for part in value]
            elif key in ("exclusiveMinimum", "exclusiveMaximum"):
                if value is True:
                    bound = "minimum" if key == "exclusiveMinimum" else "maximum"
                    out[key] = node[bound]
                elif not isinstance(value, bool):
                    out[key] = value
            elif key in ("minimum", "maximum"):
                exclusive = "exclusiveMinimum" if key == "minimum" else "exclusiveMaximum"
                if node.get(exclusive) is not True:
                    out[key] = value
            elif key == "format":
                if value == "uri":
                    out[key] = value
            else:
                out[key] = value
        if read_only and "required" in out:
            # OpenAPI: readOnly properties are only required in responses; we validate requests.
            out["required"] = [name for name in out["required"] if name not in read_only]
        if node.get("nullable") is True:
            if "type" in out:
                out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        return out


def _find_property_schemas(schema: Mapping[str, Any], names: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    props = schema.get("properties")
    if isinstance(props, dict):
        for name in names:
            if isinstance(props.get(name), dict) and "$ref" not in props[name]:
                yield props[name]
    for part in schema.get("allOf", ()):
        if isinstance(part, Mapping) and "$ref" not in part:
            yield from _find_property_schemas(part, names)


# --- custom keywords ----------------------------------------------------------------------------------------------

def _length(instance: str, schema: Mapping[str, Any]) -> int:
    return grapheme_len(instance) if schema.get("x-length-unit") == "grapheme" else utf16_len(instance)


def _length_message(schema: Mapping[str, Any]) -> str:
    low = schema.get("minLength", 0)
    high = schema.get("maxLength")
    unit = " characters" if schema.get("x-length-unit") == "grapheme" else ""
    if high is None:
        return f"Length must be at least {low}{unit}"
    return f"Length must be between {low} and {high}{unit}"


def _max_length(validator: Any, limit: int, instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and _length(instance, schema) > limit:
        yield ValidationError(_length_message(schema))


def _min_length(validator: Any, limit: int, instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and _length(instance, schema) < limit:
        yield ValidationError(_length_message(schema))


def _required(validator: Any, required: list[str], instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for name in required:
        if name not in instance:
            # The path points at the missing property, the way LINE reports it (`to`, not the parent).
            yield ValidationError("must be specified", path=[name])


def _discriminator(validator: Any, disc: Mapping[str, Any], instance: Any,
                   schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return  # the sibling `"type": "object"` reports it
    prop = disc["propertyName"]
    mapping = disc["mapping"]
    if prop not in instance:
        yield ValidationError("must be specified", path=[prop])
        return
    value = instance[prop]
    target = mapping.get(value) if isinstance(value, str) else None
    if target is None:
        allowed = ", ".join(sorted(mapping))
        yield ValidationError(f"Must be one of the following values: [{allowed}]", path=[prop])
        return
    yield from validator.descend(instance, {"$ref": target})


_draft7_items = Draft7Validator.VALIDATORS["items"]


def _items(validator: Any, items: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    # Fast path for arrays of plain scalars (a multicast's 500 user ids): check the type in a loop and only
    # descend, for a precise error, into the items that fail.
    if (isinstance(items, Mapping) and items.keys() == {"type"} and isinstance(items["type"], str)
            and validator.is_type(instance, "array")):
        kind = items["type"]
        if kind == "string" and all(isinstance(item, str) for item in instance):
            return  # JSON Schema's "string" is exactly str: no need to ask the type checker 500 times
        for index, item in enumerate(instance):
            if not validator.is_type(item, kind):
                yield from validator.descend(item, items, path=index)
        return
    yield from _draft7_items(validator, items, instance, schema)


_FORMAT_CHECKER = FormatChecker(formats=())


@_FORMAT_CHECKER.checks("uri")
def _is_absolute_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not value or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if not parts.scheme:
        return False
    return bool(parts.netloc) or parts.scheme.lower() not in ("http", "https")


_LineValidator = validators.extend(
    Draft7Validator,
    {
        "items": _items,
        "maxLength": _max_length,
        "minLength": _min_length,
        "required": _required,
        "x-discriminator": _discriminator,
    },
)

_TYPE_WORDS = {
    "object": "an object", "array": "an array", "string": "a string", "integer": "an integer",
    "number": "a number", "boolean": "a boolean", "null": "null",
}


def _describe(error: ValidationError) -> str:
    """Returns a LINE-style message for a jsonschema error."""
    kind = error.validator
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if kind in ("required", "x-discriminator", "maxLength", "minLength"):
        return error.message
    if kind in ("maxItems", "minItems"):
        low = schema.get("minItems", 0)
        high = schema.get("maxItems")
        return f"Size must be between {low} and {high}" if high is not None else f"Size must be at least {low}"
    if kind == "enum":
        values = ", ".join("null" if v is None else str(v) for v in error.validator_value)
        return f"Must be one of the following values: [{values}]"
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        return "Must be " + " or ".join(_TYPE_WORDS.get(name, name) for name in names)
    if kind == "format":
        return "Invalid URI: must be an absolute URI such as https://example.com/path"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "greater than", "maximum": "at most",
                 "exclusiveMaximum": "less than"}
        return "Must be " + " and ".join(f"{word} {schema[key]}" for key, word in words.items() if key in schema)
    if kind == "pattern":
        return f"Must match the pattern {error.validator_value}"
    return error.message


_PLACEHOLDER_MESSAGE = {"type": "text", "text": "-"}
_MESSAGE_CACHE_SIZE = 256


# --- the spec -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Operation:
    method: str
    template: str
    regex: re.Pattern[str]
    schema_name: str | None  # requestBody application/json schema, if any
    body_required: bool
    params: int


class MessagingApiSpec:
    """LINE's messaging-api.yml, compiled into validators for request bodies and named schemas."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path or default_spec_path())
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with open(self.path, encoding="utf-8") as fh:
            document = yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
        components = document.get("components", {}).get("schemas", {})
        self._definitions = _Converter(components).definitions()
        self._validators: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._operations = self._index_operations(document.get("paths", {}))
        self._message_cache: OrderedDict[str, tuple[SchemaError, ...]] = OrderedDict()
        message_ref = {"$ref": _DEF_PREFIX + "Message"}
        self._message_bodies = frozenset(
            name for name, schema in self._definitions.items()
            if ((schema.get("properties") or {}).get("messages") or {}).get("items") == message_ref
        )

    @staticmethod
    def _index_operations(paths: Mapping[str, Any]) -> list[_Operation]:
        operations = []
        for template, item in paths.items():
            pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            for method, op in item.items():
                if method not in _HTTP_METHODS or not isinstance(op, Mapping):
                    continue
                body = op.get("requestBody") or {}
                json_schema = ((body.get("content") or {}).get("application/json") or {}).get("schema")
                schema_name = _component_name(json_schema["$ref"]) if json_schema and "$ref" in json_schema else None
                operations.append(_Operation(
                    method=method.upper(), template=template, regex=re.compile(pattern), schema_name=schema_name,
                    body_required=bool(body.get("required")) and schema_name is not None,
                    params=template.count("{"),
                ))
        operations.sort(key=lambda op: op.params)  # literal paths win over templated ones (`/richmenu/list`)
        return operations

    @property
    def schema_names(self) -> list[str]:
        """Names of the component schemas that `validate` accepts."""
        return sorted(name for name in self._definitions if not name.endswith(_BASE_SUFFIX))

    def operation_schema(self, method: str, path: str) -> str | None:
        """Returns the request body schema name of the operation at `method path`, or None if it takes none.

        Raises KeyError for an operation the spec does not describe.
        """
        op = self._find(method, path)
        if op is None:
            raise KeyError(f"{method.upper()} {path}")
        return op.schema_name

    def _find(self, method: str, path: str) -> _Operation | None:
        method = method.upper()
        for op in self._operations:
            if op.method == method and op.regex.match(path):
                return op
        return None

    def _validator(self, schema_name: str) -> Any:
        validator = self._validators.get(schema_name)
        if validator is None:
            if schema_name not in self._definitions or schema_name.endswith(_BASE_SUFFIX):
                raise KeyError(f"no schema named {schema_name!r} in {self.path.name}")
            root = {"$ref": _DEF_PREFIX + schema_name, "definitions": self._definitions}
            validator = _LineValidator(root, format_checker=_FORMAT_CHECKER)
            with self._lock:
                self._validators.setdefault(schema_name, validator)
        return validator

    def validate(self, schema_name: str, instance: Any) -> list[SchemaError]:
        """Validates `instance` against the component schema `schema_name` (e.g. "Message", "FlexContainer")."""
        errors: dict[tuple[str, str], SchemaError] = {}
        for error in self._validator(schema_name).iter_errors(instance):
            found = SchemaError(format_property(error.absolute_path), _describe(error))
            errors.setdefault((found.property, found.message), found)
        return sorted(errors.values(), key=lambda e: (_sort_key(e.property), e.message))

    def validate_request(self, method: str, path: str, body: Any) -> list[SchemaError]:
        """Validates the JSON body of `method path` (e.g. "POST", "/v2/bot/message/push") against the spec."""
        op = self._find(method, path)
        if op is None:
            return [SchemaError("", f"{method.upper()} {path} is not an operation of the Messaging API")]
        if op.schema_name is None:
            if body is None:
                return []
            return [SchemaError("", f"{op.method} {op.template} takes no JSON request body")]
        if body is None:
            return [SchemaError("", "The request body is required")] if op.body_required else []
        messages = body.get("messages") if isinstance(body, dict) else None
        if op.schema_name in self._message_bodies and isinstance(messages, list):
            return self._validate_message_body(op.schema_name, body, messages)
        return self.validate(op.schema_name, body)

    def _validate_message_body(self, schema_name: str, body: dict, messages: list) -> list[SchemaError]:
        """Validates a sending request, each message once per distinct content.

        A dispatcher multicasting one announcement to 100,000 users sends the same messages in 200 requests;
        validating a flex carousel takes milliseconds, so message results are memoised by content. The
        envelope is validated with placeholder messages (same count), then each message on its own.
        """
        errors = self.validate(schema_name, {**body, "messages": [_PLACEHOLDER_MESSAGE] * len(messages)})
        for index, message in enumerate(messages):
            prefix = f"messages[{index}]"
            for error in self._message_errors(message):
                suffix = error.property
                prop = prefix + (suffix if suffix.startswith("[") else f".{suffix}" if suffix else "")
                errors.append(SchemaError(prop, error.message))
        return sorted(errors, key=lambda e: (_sort_key(e.property), e.message))

    def _message_errors(self, message: Any) -> tuple[SchemaError, ...]:
        if not isinstance(message, dict):
            return tuple(self.validate("Message", message))
        key = json.dumps(message, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            cached = self._message_cache.get(key)
            if cached is not None:
                self._message_cache.move_to_end(key)
                return cached
        found = tuple(self.validate("Message", message))
        with self._lock:
            self._message_cache[key] = found
            while len(self._message_cache) > _MESSAGE_CACHE_SIZE:
                self._message_cache.popitem(last=False)
        return found


def _sort_key(prop: str) -> list[Any]:
    # messages[10] sorts after messages[2]
    return [int(part) if part.isdigit() else part for part in re.split(r"\[(\d+)\]", prop)]
