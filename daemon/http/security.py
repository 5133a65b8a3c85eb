"""Security middlewares, applied before any handler runs.

Order (outermost first): API header and error envelope; Host check (DNS rebinding); Origin check
(only the pinned extension ids; no CORS headers are ever sent); bearer token (constant-time);
JSON content type and body size for requests with a body.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, Collection

from aiohttp import web
from aiohttp.typedefs import Middleware

from moodline.daemon import API_VERSION
from moodline.daemon.http.errors import ApiError, error_response

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

API_HEADER = "X-Moodline-API"
PUBLIC_PATHS = frozenset({"/v1/health", "/v1/pair", "/v1/events"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def allowed_hosts(port: int) -> frozenset[str]:
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})


def allowed_origins(extension_ids: Collection[str]) -> frozenset[str]:
    return frozenset(f"chrome-extension://{i}" for i in extension_ids)


@web.middleware
async def api_envelope(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Stamp every response with the API version; turn errors into JSON, never a bare 500 page."""
    try:
        response = await handler(request)
    except ApiError as exc:
        response = exc.response()
    except web.HTTPRequestEntityTooLarge as exc:
        response = error_response(
            413,
            "body_too_large",
            "request body is too large",
            field="body",
            limit=getattr(exc, "max_size", None),
        )
    except web.HTTPException as exc:
        response = error_response(exc.status, exc.reason.lower().replace(" ", "_"), exc.reason)
    except Exception:
        log.exception("unexpected error handling %s %s", request.method, request.path)
        response = error_response(500, "internal_error", "the daemon hit an unexpected error")
    if not response.prepared:
        response.headers[API_HEADER] = str(API_VERSION)
    return response


def host_guard(port: int) -> Middleware:
    hosts = allowed_hosts(port)

    @web.middleware
    async def check_host(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.headers.get("Host", "").lower() not in hosts:
            raise ApiError(
                403, "bad_host", "requests must address 127.0.0.1 or localhost on this port"
            )
        return await handler(request)

    return check_host


def origin_guard(
    extension_ids: Callable[[], Collection[str]],
) -> Middleware:
    @web.middleware
    async def check_origin(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin not in allowed_origins(extension_ids()):
            raise ApiError(403, "origin_not_allowed", "this origin may not use the Moodline API")
        return await handler(request)

    return check_origin


def token_matches(expected: str, presented: str) -> bool:
    return hmac.compare_digest(expected.encode(), presented.encode())


def bearer_guard(
    token: Callable[[], str],
) -> Middleware:
    @web.middleware
    async def check_token(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path not in PUBLIC_PATHS:
            header = request.headers.get("Authorization", "")
            scheme, _, presented = header.partition(" ")
            if scheme.lower() != "bearer" or not token_matches(token(), presented.strip()):
                raise ApiError(
                    401,
                    "unauthorized",
                    "missing or wrong bearer token; pair first",
                )
        return await handler(request)

    return check_token


def body_guard(
    max_body_bytes: int,
) -> Middleware:
    @web.middleware
    async def check_body(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method in BODY_METHODS:
            if request.content_type != "application/json":
                raise ApiError(
                    415,
                    "json_required",
                    "send the body as application/json",
                    field="Content-Type",
                )
            length = request.content_length
            if length is not None and length > max_body_bytes:
                raise ApiError(
                    413,
                    "body_too_large",
                    "request body is too large",
                    field="body",
                    limit=max_body_bytes,
                )
        return await handler(request)

    return check_body
