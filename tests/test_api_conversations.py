"""The API's behaviour with the real model: ingest, idempotency, history, corrections, events."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import WSMsgType

from daemon.http.state import DaemonState
from daemon.levels import LEVELS
from tests.conftest import Client, auth


def batch(conversation: str, *messages: tuple[str, str, str]) -> dict[str, object]:
    return {
        "conversation_id": conversation,
        "source": {"site": "example-console", "url": "https://console.example/1", "title": "Chat"},
        "messages": [
            {"id": mid, "role": role, "text": text, "ts": 1_790_000_000_000}
            for mid, role, text in messages
        ],
    }


async def post(api: Client, state: DaemonState, body: dict[str, object]) -> dict[str, Any]:
    response = await api.post("/v1/messages", json=body, headers=auth(state))
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result


async def test_conversation_starts_neutral_and_moves_with_customer(
    api: Client, daemon_state: DaemonState
) -> None:
    state = await post(api, daemon_state, batch("c1", ("a1", "agent", "Hello, how can I help?")))
    assert state["level"] == "neutral" and state["score"] == 0 and state["window"] == []
    angry = await post(
        api,
        daemon_state,
        batch(
            "c1",
            ("m1", "customer", "This is the third time I've been cut off, I'm furious"),
            ("m2", "customer", "I'm cancelling my contract today, you are useless"),
        ),
    )
    assert angry["level"] in {"negative", "very_negative"}
    assert angry["score"] < -0.3
    window = angry["window"]
    assert [w["message_id"] for w in window] == ["m1", "m2"]
    assert abs(sum(w["contribution"] for w in window) - angry["score"]) < 1e-3
    assert set(LEVELS) >= {angry["level"]}


async def test_agent_messages_never_count(api: Client, daemon_state: DaemonState) -> None:
    state = await post(
        api,
        daemon_state,
        batch(
            "c2",
            ("a1", "agent", "That's terrible, I hate it when that happens, awful, so sorry"),
            ("a2", "agent", "This is the worst outage we've had, disgusting"),
        ),
    )
    assert state["level"] == "neutral" and state["window"] == []


async def test_same_message_id_is_stored_and_scored_once(
    api: Client, daemon_state: DaemonState
) -> None:
    body = batch("c3", ("m1", "customer", "thanks so much, that fixed it!"))
    first = await post(api, daemon_state, body)
    second = await post(api, daemon_state, body)
    assert first["stored"] == 1 and second["stored"] == 0 and second["duplicates"] == 1
    twice_in_one = await post(
        api, daemon_state, batch("c3", ("m2", "customer", "great"), ("m2", "customer", "great"))
    )
    assert twice_in_one["stored"] == 1
    detail = await (await api.get("/v1/conversations/c3", headers=auth(daemon_state))).json()
    assert [m["id"] for m in detail["messages"]] == ["m1", "m2"]
    assert len(detail["timeline"]) == 2


async def test_history_lists_details_and_closes(api: Client, daemon_state: DaemonState) -> None:
    await post(api, daemon_state, batch("c4", ("m1", "customer", "my order never arrived")))
    listing = await (await api.get("/v1/conversations", headers=auth(daemon_state))).json()
    assert [c["conversation_id"] for c in listing["conversations"]] == ["c4"]
    assert listing["conversations"][0]["source"]["site"] == "example-console"
    closed = await api.post("/v1/conversations/c4/close", json={}, headers=auth(daemon_state))
    assert closed.status == 200 and (await closed.json())["open"] is False
    open_now = await (await api.get("/v1/conversations", headers=auth(daemon_state))).json()
    assert open_now["conversations"] == []
    recent = await (
        await api.get("/v1/conversations?status=recent", headers=auth(daemon_state))
    ).json()
    assert [c["conversation_id"] for c in recent["conversations"]] == ["c4"]
    everything = await (
        await api.get("/v1/conversations?status=all", headers=auth(daemon_state))
    ).json()
    assert len(everything["conversations"]) == 1
    missing = await api.get("/v1/conversations/nope", headers=auth(daemon_state))
    assert missing.status == 404


async def test_correction_moves_the_level_and_can_be_undone(
    api: Client, daemon_state: DaemonState
) -> None:
    state = await post(
        api, daemon_state, batch("c5", ("m1", "customer", "what a joke of a company"))
    )
    assert state["score"] < 0
    path = "/v1/conversations/c5/messages/m1/correction"
    corrected = await api.put(path, json={"label": "positive"}, headers=auth(daemon_state))
    body = await corrected.json()
    assert corrected.status == 200 and body["score"] > 0
    assert body["window"][0]["corrected"] is True
    detail = await (await api.get("/v1/conversations/c5", headers=auth(daemon_state))).json()
    assert detail["messages"][0]["sentiment"]["corrected_label"] == "positive"
    undone = await (await api.delete(path, headers=auth(daemon_state))).json()
    assert undone["score"] < 0
    bad = await api.put(path, json={"label": "furious"}, headers=auth(daemon_state))
    assert bad.status == 422
    agent = await post(api, daemon_state, batch("c5", ("a1", "agent", "sorry")))
    assert agent["stored"] == 1
    not_customer = await api.put(
        "/v1/conversations/c5/messages/a1/correction",
        json={"label": "neutral"},
        headers=auth(daemon_state),
    )
    assert not_customer.status == 404


async def test_websocket_requires_auth_frame(api: Client, daemon_state: DaemonState) -> None:
    ws = await api.ws_connect("/v1/events")
    await ws.send_str(json.dumps({"type": "auth", "token": "wrong"}))
    message = await ws.receive(timeout=5)
    assert message.type in {WSMsgType.CLOSE, WSMsgType.CLOSED}
    assert ws.close_code == 4401


async def test_websocket_pushes_sentiment_changes(api: Client, daemon_state: DaemonState) -> None:
    ws = await api.ws_connect("/v1/events")
    await ws.send_str(json.dumps({"type": "auth", "token": daemon_state.token}))
    hello = await ws.receive_json(timeout=5)
    assert hello["type"] == "hello" and hello["api"] == 1 and hello["ready"] is True
    await post(api, daemon_state, batch("c6", ("m1", "customer", "thank you, you are brilliant")))
    event = await ws.receive_json(timeout=5)
    assert event["type"] == "sentiment" and event["conversation_id"] == "c6"
    assert event["level"] in {"slightly_positive", "positive", "very_positive"}
    assert event["scored"][0]["message_id"] == "m1"
    await api.post("/v1/focus", json={"conversation_id": "c6"}, headers=auth(daemon_state))
    focus = await ws.receive_json(timeout=5)
    assert focus == {"type": "focus", "conversation_id": "c6"}
    await ws.close()


async def test_pairing_exchanges_a_one_time_code_for_the_token(
    api: Client, daemon_state: DaemonState
) -> None:
    issued = await api.post("/v1/pairing-codes", json={}, headers=auth(daemon_state))
    code = (await issued.json())["code"]
    wrong = await api.post("/v1/pair", json={"code": "000-000"})
    assert wrong.status == 403 and (await wrong.json())["error"] == "invalid_code"
    right = await api.post("/v1/pair", json={"code": code.lower()})
    assert right.status == 200 and (await right.json())["token"] == daemon_state.token
    again = await api.post("/v1/pair", json={"code": code})
    assert again.status == 403, "codes are single use"
    unauth = await api.post("/v1/pairing-codes", json={})
    assert unauth.status == 401


async def test_pause_stores_nothing_and_is_persisted(
    api: Client, daemon_state: DaemonState
) -> None:
    response = await api.post("/v1/pause", json={"paused": True}, headers=auth(daemon_state))
    assert (await response.json())["paused"] is True
    assert "paused = true" in daemon_state.settings_path.read_text()
    paused = await api.post(
        "/v1/messages", json=batch("c7", ("m1", "customer", "hello")), headers=auth(daemon_state)
    )
    assert paused.status == 202 and (await paused.json())["stored"] == 0
    await api.post("/v1/pause", json={"paused": False}, headers=auth(daemon_state))
    assert (await post(api, daemon_state, batch("c7", ("m1", "customer", "hello"))))["stored"] == 1


async def test_settings_patch_validates(api: Client, daemon_state: DaemonState) -> None:
    bad = await api.patch("/v1/settings", json={"window_size": 0}, headers=auth(daemon_state))
    assert bad.status == 422 and "window_size" in (await bad.json())["message"]
    good = await api.patch("/v1/settings", json={"window_size": 3}, headers=auth(daemon_state))
    assert good.status == 200 and (await good.json())["window_size"] == 3


async def test_export_streams_csv_and_jsonl(api: Client, daemon_state: DaemonState) -> None:
    await post(api, daemon_state, batch("c8", ("m1", "customer", 'hi, one question, "quoted"')))
    csv_text = await (await api.get("/v1/export?format=csv", headers=auth(daemon_state))).text()
    assert csv_text.splitlines()[0].startswith("conversation_id,site")
    assert '""quoted""' in csv_text
    jsonl = await (await api.get("/v1/export?format=jsonl", headers=auth(daemon_state))).text()
    rows = [json.loads(line) for line in jsonl.splitlines()]
    assert rows[0]["message_id"] == "m1" and rows[0]["conversation_id"] == "c8"


async def test_model_work_runs_off_the_event_loop(api: Client, daemon_state: DaemonState) -> None:
    started = asyncio.get_running_loop().time()
    long_batch = batch(
        "c9", *[(f"m{i}", "customer", f"message number {i} " * 30) for i in range(60)]
    )
    ingest = asyncio.create_task(
        api.post("/v1/messages", json=long_batch, headers=auth(daemon_state))
    )
    await asyncio.sleep(0.01)
    health = await api.get("/v1/health")
    assert health.status == 200
    assert not ingest.done() or asyncio.get_running_loop().time() - started < 5
    assert (await ingest).status == 200
