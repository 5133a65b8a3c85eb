"""HTTP and WebSocket handlers of API v1: decode, call the control or service, publish, encode."""

from __future__ import annotations

import json
import time

from aiohttp import web

from moodline.daemon import API_VERSION
from moodline.daemon.api_models import (
    CorrectionRequest,
    FocusRequest,
    MessagesRequest,
    PairRequest,
    PauseRequest,
)
from moodline.daemon.control import HeadError
from moodline.daemon.events import PairedEvent, after_close, after_correction, after_ingest
from moodline.daemon.export import EXPORT_FORMATS
from moodline.daemon.http import wire
from moodline.daemon.http.decoding import decode, read_json
from moodline.daemon.http.errors import ApiError
from moodline.daemon.http.keys import (
    ACTIVITY,
    BATCHER,
    CONTROL,
    HUB,
    PAIRING,
    READINESS,
    READING,
    RUNNER,
    SETTINGS,
    TOKEN,
    require_service,
)
from moodline.daemon.http.security import API_HEADER, token_matches
from moodline.daemon.levels import Level
from moodline.daemon.pairing import PairingError
from moodline.daemon.service import NotFoundError
from moodline.daemon.settings import SettingsError
from moodline.daemon.store.filters import STATUSES

routes = web.RouteTableDef()
AUTH_TIMEOUT_S = 5.0


def _note_client(request: web.Request) -> None:
    if request.headers.get("Origin", "").startswith("chrome-extension://"):
        request.app[ACTIVITY].extension_seen_at = time.time()


@routes.get("/v1/health")
async def health(request: web.Request) -> web.Response:
    app = request.app
    reading = app[READING].summary(time.time())
    return web.json_response(
        wire.health(app[READINESS], app[SETTINGS].current, app[ACTIVITY], reading)
    )


@routes.post("/v1/messages")
async def post_messages(request: web.Request) -> web.Response:
    app = request.app
    _note_client(request)
    body = await decode(request, MessagesRequest)
    limits = app[SETTINGS].current
    if len(body.messages) > limits.max_messages_per_request:
        raise ApiError(
            413,
            "too_many_messages",
            "too many messages in one request",
            field="messages",
            limit=limits.max_messages_per_request,
        )
    for index, message in enumerate(body.messages):
        if len(message.text) > limits.max_text_chars:
            raise ApiError(
                413,
                "text_too_long",
                "message text is too long",
                field=f"messages.{index}.text",
                limit=limits.max_text_chars,
            )
    if limits.paused:
        return web.json_response(wire.ingest_paused(body.conversation_id), status=202)
    require_service(app)
    result = await app[BATCHER].submit(body)
    app[READING].note(result.reading)
    app[HUB].publish_all(after_ingest(result))
    return web.json_response(wire.ingest(result))


def _epoch(request: web.Request, name: str) -> float | None:
    """An optional epoch-seconds query parameter."""
    if name not in request.query:
        return None
    try:
        return float(request.query[name])
    except ValueError as exc:
        raise ApiError(422, "invalid_field", f"{name} must be epoch seconds", field=name) from exc


def _reached(request: web.Request) -> Level | None:
    """The optional `reached` filter: a level name (the lowest level was it or worse)."""
    value = request.query.get("reached")
    if not value:
        return None
    if value not in Level.__members__.values():
        raise ApiError(
            422, "invalid_field", "reached must be a level such as negative", field="reached"
        )
    return Level(value)


@routes.get("/v1/conversations")
async def list_conversations(request: web.Request) -> web.Response:
    app, query = request.app, request.query
    status = query.get("status", "open")
    if status not in STATUSES:
        raise ApiError(
            422, "invalid_field", "status must be open, recent, closed or all", field="status"
        )
    try:
        limit = min(max(int(query.get("limit", "100")), 1), 1000)
    except ValueError as exc:
        raise ApiError(422, "invalid_field", "limit must be a number", field="limit") from exc
    since, until, reached = _epoch(request, "since"), _epoch(request, "until"), _reached(request)
    service = require_service(app)
    items = await app[RUNNER].run(
        service.conversations, status, since, limit, query.get("site"), until, reached
    )
    return web.json_response(wire.conversation_list(items, app[ACTIVITY].focus))


@routes.get("/v1/conversations/{conversation_id}")
async def get_conversation(request: web.Request) -> web.Response:
    service = require_service(request.app)
    conversation_id = request.match_info["conversation_id"]
    try:
        detail = await request.app[RUNNER].run(service.conversation_detail, conversation_id)
    except NotFoundError as exc:
        raise ApiError(404, "not_found", "no such conversation") from exc
    return web.json_response(wire.detail(detail))


@routes.post("/v1/conversations/{conversation_id}/close")
async def close_conversation(request: web.Request) -> web.Response:
    service = require_service(request.app)
    try:
        state = await request.app[RUNNER].run(service.close, request.match_info["conversation_id"])
    except NotFoundError as exc:
        raise ApiError(404, "not_found", "no such conversation") from exc
    request.app[HUB].publish_all(after_close(state))
    return web.json_response(wire.state(state))


async def _correct(request: web.Request, label: str | None) -> web.Response:
    service = require_service(request.app)
    conversation_id = request.match_info["conversation_id"]
    message_id = request.match_info["message_id"]
    try:
        state = await request.app[RUNNER].run(service.correct, conversation_id, message_id, label)
    except NotFoundError as exc:
        raise ApiError(404, "not_found", "no such customer message in that conversation") from exc
    request.app[HUB].publish_all(after_correction(state, message_id, label))
    return web.json_response(wire.state(state))


@routes.put("/v1/conversations/{conversation_id}/messages/{message_id}/correction")
async def put_correction(request: web.Request) -> web.Response:
    body = await decode(request, CorrectionRequest)
    return await _correct(request, body.label)


@routes.delete("/v1/conversations/{conversation_id}/messages/{message_id}/correction")
async def delete_correction(request: web.Request) -> web.Response:
    return await _correct(request, None)


@routes.post("/v1/pair")
async def pair(request: web.Request) -> web.Response:
    app = request.app
    body = await decode(request, PairRequest)
    try:
        if body.code is not None:
            token = app[PAIRING].redeem(body.code)
        else:
            secret = body.provisioning_secret or ""
            token = app[PAIRING].redeem_provisioned(
                secret, app[SETTINGS].current.provisioning_secret_sha256
            )
    except PairingError as exc:
        status = 429 if exc.reason == "locked" else 403
        field = "code" if body.code is not None else "provisioning_secret"
        response = ApiError(status, exc.reason, str(exc), field=field).response()
        if exc.retry_after:
            response.headers["Retry-After"] = str(int(exc.retry_after) + 1)
        return response
    _note_client(request)
    app[HUB].publish_all([PairedEvent(body.client)])
    return web.json_response(wire.paired(token))


@routes.post("/v1/pairing-codes")
async def new_pairing_code(request: web.Request) -> web.Response:
    code, ttl = request.app[PAIRING].issue()
    return web.json_response(wire.pairing_code(code, ttl))


@routes.post("/v1/focus")
async def focus(request: web.Request) -> web.Response:
    _note_client(request)
    body = await decode(request, FocusRequest)
    change = request.app[CONTROL].set_focus(body.conversation_id)
    request.app[HUB].publish_all(change.events)
    return web.json_response(wire.focus(change))


@routes.post("/v1/pause")
async def pause(request: web.Request) -> web.Response:
    body = await decode(request, PauseRequest)
    app = request.app
    try:
        change = await app[RUNNER].run(app[CONTROL].pause, body.paused)
    except SettingsError as exc:
        raise ApiError(422, "invalid_settings", str(exc), field="paused") from exc
    app[HUB].publish_all(change.events)
    return web.json_response(wire.pause(change))


@routes.get("/v1/settings")
async def get_settings(request: web.Request) -> web.Response:
    return web.json_response(wire.settings(request.app[SETTINGS].current))


@routes.patch("/v1/settings")
async def patch_settings(request: web.Request) -> web.Response:
    app = request.app
    changes = await read_json(request)
    if not isinstance(changes, dict):
        raise ApiError(422, "invalid_field", "send a JSON object of settings", field="body")
    try:
        change = await app[RUNNER].run(app[CONTROL].apply_settings, changes)
    except SettingsError as exc:
        raise ApiError(422, "invalid_settings", str(exc), field=",".join(changes)) from exc
    app[HUB].publish_all(change.events)
    return web.json_response(wire.settings_change(change))


@routes.get("/v1/export")
async def export(request: web.Request) -> web.StreamResponse:
    fmt = request.query.get("format", "jsonl")
    if fmt not in EXPORT_FORMATS:
        raise ApiError(422, "invalid_field", "format must be csv or jsonl", field="format")
    since, until, reached = _epoch(request, "since"), _epoch(request, "until"), _reached(request)
    service = require_service(request.app)
    lines = await request.app[RUNNER].run(
        service.export, fmt, since, until, request.query.get("site"), reached
    )
    chunks = [line.encode() for line in lines]
    rows = len(chunks) - 1 if fmt == "csv" else len(chunks)
    response = web.StreamResponse(headers={"Content-Type": EXPORT_FORMATS[fmt] + "; charset=utf-8"})
    response.headers[API_HEADER] = str(API_VERSION)
    response.headers["X-Moodline-Export-Rows"] = str(rows)
    response.content_length = sum(len(chunk) for chunk in chunks)
    await response.prepare(request)
    for chunk in chunks:
        await response.write(chunk)
    await response.write_eof()
    return response


@routes.get("/v1/events")
async def events(request: web.Request) -> web.StreamResponse:
    app = request.app
    ws = web.WebSocketResponse(heartbeat=30.0, max_msg_size=64 * 1024)
    ws.headers[API_HEADER] = str(API_VERSION)
    await ws.prepare(request)
    try:
        first = await ws.receive(timeout=AUTH_TIMEOUT_S)
        frame = json.loads(first.data) if first.type == web.WSMsgType.TEXT else None
    except (TimeoutError, ValueError, TypeError):
        frame = None
    presented = frame.get("token") if isinstance(frame, dict) else None
    if (
        not isinstance(frame, dict)
        or frame.get("type") != "auth"
        or not isinstance(presented, str)
        or not token_matches(app[TOKEN], presented)
    ):
        await ws.close(code=4401, message=b"unauthorized")
        return ws
    _note_client(request)
    hello = wire.hello(app[READINESS], app[SETTINGS].current, app[ACTIVITY])
    await app[HUB].serve(ws, hello)
    return ws


@routes.post("/v1/model/reload")
async def reload_model(request: web.Request) -> web.Response:
    """Re-read the settings file's `active_head` and switch the scorer to it."""
    app = request.app
    require_service(app)
    try:
        change = await app[RUNNER].run(app[CONTROL].reload_head)
    except HeadError as exc:
        raise ApiError(422, "model_error", str(exc), field="active_head") from exc
    app[HUB].publish_all(change.events)
    return web.json_response(wire.head(change))
