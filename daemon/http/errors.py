"""JSON error responses: every failure names a machine-readable code and, where known, the field."""

from __future__ import annotations

from typing import Any

from aiohttp import web


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    **extra: Any,
) -> web.Response:
    body: dict[str, Any] = {"error": code, "message": message}
    if field is not None:
        body["field"] = field
    body.update(extra)
    return web.json_response(body, status=status)


class ApiError(Exception):
    """Raised by handlers; turned into an `error_response` by the error middleware."""

    def __init__(
        self, status: int, code: str, message: str, field: str | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra

    def response(self) -> web.Response:
        return error_response(self.status, self.code, self.message, self.field, **self.extra)
