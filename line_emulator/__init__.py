"""The built-in LINE emulator: a local stand-in for the LINE Platform's Messaging API.

Used when no LINE channel is configured (the embedded default) and by the tests:

    store = EmulatorStore()
    alice = store.add_user("สมศรี")
    server = serve_emulator(store)        # or mount create_emulator_app(store) under a prefix
    ... point the bot's LINE client at server.base_url ...
    store.wait_for_deliveries(alice["userId"], 1)

`validate_outgoing` (a whole request body) and `validate_message` (one message object, e.g. what a
flex template builds) are the same check the emulator applies to what the bot sends (LINE's OpenAPI
document plus LINE's documented limits), for tests of message builders.
"""

from __future__ import annotations

from typing import Any

from line_emulator.limits import check_limits, check_message
from line_emulator.schema import MessagingApiSpec, SchemaError, default_spec_path, get_spec
from line_emulator.server import EmulatorServer, create_emulator_app, serve_emulator
from line_emulator.store import Delivery, EmulatorStore, RecordedRequest

__all__ = [
    "Delivery",
    "EmulatorServer",
    "EmulatorStore",
    "MessagingApiSpec",
    "RecordedRequest",
    "SchemaError",
    "check_limits",
    "create_emulator_app",
    "default_spec_path",
    "get_spec",
    "serve_emulator",
    "validate_message",
    "validate_outgoing",
]


def validate_outgoing(path: str, body: Any, method: str = "POST") -> list[SchemaError]:
    """Returns every problem LINE would report for `body` sent to `path` (schema errors, then limit errors)."""
    return get_spec().validate_request(method, path, body) + check_limits(path, body)


def validate_message(message: Any) -> list[SchemaError]:
    """Returns every problem LINE would report for one message object (paths relative to the message)."""
    return get_spec().validate("Message", message) + check_message(message)
