"""Domain errors: raised by services, turned into polite Thai answers by handlers and JSON by the API."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. `message` is Thai, safe to show the user; `code` is stable for the API."""

    code = "domain_error"
    http_status = 400

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    http_status = 403


class Conflict(DomainError):
    code = "conflict"
    http_status = 409
