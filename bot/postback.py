"""Typed postback data: `SignUp(training_id=7).pack()` -> "signup:7", and back, within LINE's 300-char limit.

Postback data comes from the client and is forged easily: unpacking only checks shape and types. Handlers must
still check who may do what.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, ClassVar, TypeVar, get_type_hints
from urllib.parse import quote, unquote

MAX_POSTBACK_LENGTH = 300
_SEP = ":"

T = TypeVar("T", bound="PostbackData")


class MalformedPostback(ValueError):
    """The data does not fit the declared shape (wrong field count or type, too long)."""


class PostbackData:
    """Base for dataclass postback payloads. Subclass with `prefix=` and declare int/str/bool fields."""

    prefix: ClassVar[str]
    _registry: ClassVar[dict[str, type["PostbackData"]]] = {}

    def __init_subclass__(cls, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if _SEP in prefix or not prefix:
            raise ValueError(f"bad postback prefix {prefix!r}")
        if prefix in PostbackData._registry and PostbackData._registry[prefix].__qualname__ != cls.__qualname__:
            raise ValueError(f"postback prefix {prefix!r} is already used by {PostbackData._registry[prefix]}")
        cls.prefix = prefix
        PostbackData._registry[prefix] = cls

    def pack(self) -> str:
        """Serialises to `prefix:field1:field2`; raises if the result exceeds LINE's limit."""
        parts = [self.prefix]
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, bool):
                parts.append("1" if value else "0")
            elif value is None:
                parts.append("")
            else:
                parts.append(quote(str(value), safe=""))
        data = _SEP.join(parts)
        if len(data) > MAX_POSTBACK_LENGTH:
            raise ValueError(f"postback data is {len(data)} chars; LINE allows {MAX_POSTBACK_LENGTH}")
        return data

    @classmethod
    def unpack(cls: type[T], data: str) -> T:
        """Parses data packed by this class, or raises MalformedPostback."""
        if len(data) > MAX_POSTBACK_LENGTH:
            raise MalformedPostback("too long")
        prefix, *raw = data.split(_SEP)
        if prefix != cls.prefix:
            raise MalformedPostback("wrong prefix")
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        if len(raw) != len(fields):
            raise MalformedPostback("wrong field count")
        hints = _hints(cls)
        values: dict[str, Any] = {}
        for f, text in zip(fields, raw, strict=False):
            values[f.name] = _convert(hints[f.name], unquote(text))
        return cls(**values)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # get_type_hints evaluates the annotations' strings each time: it was most of a tap's unpacking cost.
    return get_type_hints(cls)


def _convert(kind: Any, text: str) -> Any:
    optional = type(None) in getattr(kind, "__args__", ())
    if optional:
        if text == "":
            return None
        kind = next(a for a in kind.__args__ if a is not type(None))
    if kind is bool:
        if text not in ("0", "1"):
            raise MalformedPostback("bad bool")
        return text == "1"
    if kind is int:
        if not text.lstrip("-").isdigit() or len(text) > 18:
            raise MalformedPostback("bad int")
        return int(text)
    if kind is str:
        return text
    raise MalformedPostback(f"unsupported field type {kind}")


def prefix_of(data: str) -> str:
    """Returns the prefix of packed data (the part before the first colon)."""
    return data.split(_SEP, 1)[0]
