"""HTTP and WebSocket handlers of API v1: decode, call the service on its thread, encode."""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

from moodline import __version__
from moodline.daemon import API_VERSION
from moodline.daemon.api_models import (
    CorrectionRequest,
    FocusRequest,
    MessagesRequest,
    PairRequest,
    PauseRequest,
)
from moodline.daemon.export import EXPORT_FORMATS
from moodline.daemon.http.decoding import decode, read_json
from moodline.daemon.http.errors import ApiError
from moodline.daemon.http.security import token_matches
from moodline.daemon.http.state import STATE, DaemonState
from moodline.daemon.levels import Level
from moodline.daemon.pairing import PairingError
from moodline.daemon.service import NotFoundError
from moodline.daemon.settings import RESTART_KEYS, SettingsError, update_settings
from moodline.daemon.store.filters import STATUSES

routes = web.RouteTableDef()
AUTH_TIMEOUT_S = 5.0


def _state(request: web.Request) -> DaemonState:
    return request.app[STATE]


def _note_client(request: web.Request) -> None:
    if request.headers.get("Origin", "").startswith("chrome-extension://"):
        _state(request).last_extension_seen = time.time()


@routes.get("/v1/health")
async def health(request: web.Request) -> web.Response:
    state = _state(request)
    r = state.readiness
    return web.json_response(
        {
            "ready": r.ready,
            "status": r.status,
            "detail": r.detail,
            "api": API_VERSION,
            "version": __version__,
            "paused": state.settings.paused,
            "encoder": r.encoder,
            "head": r.head,
            "ready_after_s": r.ready_after_s,
            "extension_seen_at": state.last_extension_seen,
        }
    )


@routes.post("/v1/messages")
async def post_messages(request: web.Request) -> web.Response:
    state = _state(request)
    _note_client(request)
    body = await decode(request, MessagesRequest)
    limits = state.settings
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
        return web.json_response(
            {"conversation_id": body.conversation_id, "paused": True, "stored": 0}, status=202
        )
    state.require_service()
    assert state.batcher is not None
    result = await state.batcher.submit(body)
    if result.changed:
        state.hub.publish({"type": "sentiment", **result.state, "scored": result.scored})
    return web.json_response(
        {
            **result.state,
            "stored": result.stored,
            "duplicates": result.duplicates,
            "scored": result.scored,
        }
    )


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
    state = _state(request)
    query = request.query
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
    service = state.require_service()
    items = await state.run(
        service.conversations, status, since, limit, query.get("site"), until, reached
    )
    return web.json_response({"conversations": items, "focus": state.focus})


@routes.get("/v1/conversations/{conversation_id}")
async def get_conversation(request: web.Request) -> web.Response:
    state = _state(request)
    service = state.require_service()
    try:
        detail = await state.run(service.conversation_detail, request.match_info["conversation_id"])
    except NotFoundError as exc:
        raise ApiError(404, "not_found", "no such conversation") from exc
    return web.json_response(detail)


@routes.post("/v1/conversations/{conversation_id}/close")
async def close_conversation(request: web.Request) -> web.Response:
    state = _state(request)
    service = state.require_service()
    try:
        result = await state.run(service.close, request.match_info["conversation_id"])
    except NotFoundError as exc:
        raise ApiError(404, "not_found", "no such conversation") from exc
    state.hub.publish({"type": "closed", **result})
    return web.json_response(result)


async def _correct(request: web.Request, label: str | None) -> web.Response:
    state = _state(request)
    service = state.require_service()
    conversation_id = request.match_info["conversation_id"]
    message_id = request.match_info["message_id"]
    try:
        result = await state.run(service.correct, conversation_id, message_id, label)
    except NotFoundError as exc:
        raise ApiError(404, "not_found", "no such customer message in that conversation") from exc
    state.hub.publish(
        {"type": "sentiment", **result, "corrected": {"message_id": message_id, "label": label}}
    )
    return web.json_response(result)


@routes.put("/v1/conversations/{conversation_id}/messages/{message_id}/correction")
async def put_correction(request: web.Request) -> web.Response:
    body = await decode(request, CorrectionRequest)
    return await _correct(request, body.label)


@routes.delete("/v1/conversations/{conversation_id}/messages/{message_id}/correction")
async def delete_correction(request: web.Request) -> web.Response:
    return await _correct(request, None)


@routes.post("/v1/pair")
async def pair(request: web.Request) -> web.Response:
    state = _state(request)
    body = await decode(request, PairRequest)
    try:
        if body.code is not None:
            token = state.pairing.redeem(body.code)
        else:
            secret = body.provisioning_secret or ""
            token = state.pairing.redeem_provisioned(
                secret, state.settings.provisioning_secret_sha256
            )
    except PairingError as exc:
        status = 429 if exc.reason == "locked" else 403
        field = "code" if body.code is not None else "provisioning_secret"
        response = ApiError(status, exc.reason, str(exc), field=field).response()
        if exc.retry_after:
            response.headers["Retry-After"] = str(int(exc.retry_after) + 1)
        return response
    _note_client(request)
    state.hub.publish({"type": "paired", "client": body.client})
    return web.json_response({"token": token, "api": API_VERSION})


@routes.post("/v1/pairing-codes")
async def new_pairing_code(request: web.Request) -> web.Response:
    state = _state(request)
    code, ttl = state.pairing.issue()
    return web.json_response({"code": code, "expires_in": ttl})


@routes.post("/v1/focus")
async def focus(request: web.Request) -> web.Response:
    state = _state(request)
    _note_client(request)
    body = await decode(request, FocusRequest)
    state.focus = body.conversation_id
    state.hub.publish({"type": "focus", "conversation_id": body.conversation_id})
    return web.json_response({"conversation_id": body.conversation_id})


@routes.post("/v1/pause")
async def pause(request: web.Request) -> web.Response:
    body = await decode(request, PauseRequest)
    settings = await _apply_settings(request, {"paused": body.paused})
    return web.json_response({"paused": settings["paused"]})


@routes.get("/v1/settings")
async def get_settings(request: web.Request) -> web.Response:
    return web.json_response(_state(request).settings.model_dump())


@routes.patch("/v1/settings")
async def patch_settings(request: web.Request) -> web.Response:
    changes = await read_json(request)
    if not isinstance(changes, dict):
        raise ApiError(422, "invalid_field", "send a JSON object of settings", field="body")
    return web.json_response(await _apply_settings(request, changes))


async def _apply_settings(request: web.Request, changes: dict[str, Any]) -> dict[str, Any]:
    state = _state(request)
    try:
        updated = await state.run(update_settings, changes, state.locations.settings_file)
    except SettingsError as exc:
        raise ApiError(422, "invalid_settings", str(exc), field=",".join(changes)) from exc
    state.settings = updated
    service = state.service
    if service is not None:

        def apply() -> None:  # on the service thread, between two ingests
            service.window = updated.window_config()
            service.scorer.uncertain_below = updated.uncertain_below

        await state.run(apply)
    restart = sorted(RESTART_KEYS & set(changes))
    state.hub.publish({"type": "status", "paused": updated.paused})
    state.hub.publish({"type": "settings", "settings": updated.model_dump()})
    return {**updated.model_dump(), "restart_required": restart}


@routes.get("/v1/export")
async def export(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    fmt = request.query.get("format", "jsonl")
    if fmt not in EXPORT_FORMATS:
        raise ApiError(422, "invalid_field", "format must be csv or jsonl", field="format")
    since, until, reached = _epoch(request, "since"), _epoch(request, "until"), _reached(request)
    service = state.require_service()
    lines = await state.run(service.export, fmt, since, until, request.query.get("site"), reached)
    chunks = [line.encode() for line in lines]
    rows = len(chunks) - 1 if fmt == "csv" else len(chunks)
    response = web.StreamResponse(headers={"Content-Type": EXPORT_FORMATS[fmt] + "; charset=utf-8"})
    response.headers["X-Moodline-API"] = str(API_VERSION)
    response.headers["X-Moodline-Export-Rows"] = str(rows)
    response.content_length = sum(len(chunk) for chunk in chunks)
    await response.prepare(request)
    for chunk in chunks:
        await response.write(chunk)
    await response.write_eof()
    return response


@routes.get("/v1/events")
async def events(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    ws = web.WebSocketResponse(heartbeat=30.0, max_msg_size=64 * 1024)
    ws.headers["X-Moodline-API"] = str(API_VERSION)
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
        or not token_matches(state.token, presented)
    ):
        await ws.close(code=4401, message=b"unauthorized")
        return ws
    _note_client(request)
    hello = {
        "type": "hello",
        "api": API_VERSION,
        "ready": state.readiness.ready,
        "paused": state.settings.paused,
        "focus": state.focus,
    }
    await state.hub.serve(ws, hello)
    return ws


@routes.post("/v1/model/reload")
async def reload_model(request: web.Request) -> web.Response:
    """Re-read the settings file's `active_head` and switch the scorer to it."""
    from moodline.daemon.scoring.hashing import ModelIntegrityError
    from moodline.daemon.settings import load_settings

    state = _state(request)
    service = state.require_service()
    try:
        settings = await state.run(load_settings, state.locations.settings_file)
        head, _ = await state.run(state.heads.load, settings.active_head)
    except (SettingsError, ModelIntegrityError) as exc:
        raise ApiError(422, "model_error", str(exc), field="active_head") from exc

    def swap() -> None:
        service.scorer.head = head

    await state.run(swap)
    state.settings = settings
    state.readiness.head = settings.active_head
    state.hub.publish({"type": "status", "head": settings.active_head})
    return web.json_response({"head": settings.active_head})
