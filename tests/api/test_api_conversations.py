"""The API's behaviour with the real model: ingest, idempotency, history, corrections, events."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from typing import Any

from aiohttp import WSMsgType

from moodline.daemon.levels import LEVELS
from tests.conftest import Client, DaemonUnderTest, auth


def batch(conversation: str, *messages: tuple[str, str, str]) -> dict[str, object]:
    return {
        "conversation_id": conversation,
        "source": {"site": "example-console", "url": "https://console.example/1", "title": "Chat"},
        "messages": [
            {"id": mid, "role": role, "text": text, "ts": 1_790_000_000_000}
            for mid, role, text in messages
        ],
    }


async def post(api: Client, state: DaemonUnderTest, body: dict[str, object]) -> dict[str, Any]:
    response = await api.post("/v1/messages", json=body, headers=auth(state))
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result


async def test_conversation_starts_neutral_and_moves_with_customer(
    api: Client, daemon_state: DaemonUnderTest
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


async def test_agent_messages_never_count(api: Client, daemon_state: DaemonUnderTest) -> None:
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
    api: Client, daemon_state: DaemonUnderTest
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


async def test_history_lists_details_and_closes(api: Client, daemon_state: DaemonUnderTest) -> None:
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
    api: Client, daemon_state: DaemonUnderTest
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


async def test_websocket_requires_auth_frame(api: Client, daemon_state: DaemonUnderTest) -> None:
    ws = await api.ws_connect("/v1/events")
    await ws.send_str(json.dumps({"type": "auth", "token": "wrong"}))
    message = await ws.receive(timeout=5)
    assert message.type in {WSMsgType.CLOSE, WSMsgType.CLOSED}
    assert ws.close_code == 4401


async def test_websocket_pushes_sentiment_changes(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
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
    api: Client, daemon_state: DaemonUnderTest
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


async def test_pairing_with_the_secret_it_provisioned(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    secret = "provisioned-by-it-" + "x" * 20
    unprovisioned = await api.post("/v1/pair", json={"provisioning_secret": secret})
    assert (await unprovisioned.json())["error"] == "not_provisioned"
    daemon_state.settings.provisioning_secret_sha256 = hashlib.sha256(secret.encode()).hexdigest()
    wrong = await api.post("/v1/pair", json={"provisioning_secret": "y" * 30})
    assert wrong.status == 403 and (await wrong.json())["error"] == "invalid_secret"
    right = await api.post("/v1/pair", json={"provisioning_secret": secret, "client": "ext"})
    assert right.status == 200 and (await right.json())["token"] == daemon_state.token
    both = await api.post("/v1/pair", json={"provisioning_secret": secret, "code": "ABC-DEF"})
    assert both.status == 422


async def test_pause_stores_nothing_and_is_persisted(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    response = await api.post("/v1/pause", json={"paused": True}, headers=auth(daemon_state))
    assert (await response.json())["paused"] is True
    assert "paused = true" in daemon_state.locations.settings_file.read_text()
    paused = await api.post(
        "/v1/messages", json=batch("c7", ("m1", "customer", "hello")), headers=auth(daemon_state)
    )
    assert paused.status == 202 and (await paused.json())["stored"] == 0
    await api.post("/v1/pause", json={"paused": False}, headers=auth(daemon_state))
    assert (await post(api, daemon_state, batch("c7", ("m1", "customer", "hello"))))["stored"] == 1


async def test_settings_patch_validates(api: Client, daemon_state: DaemonUnderTest) -> None:
    bad = await api.patch("/v1/settings", json={"window_size": 0}, headers=auth(daemon_state))
    assert bad.status == 422 and "window_size" in (await bad.json())["message"]
    good = await api.patch("/v1/settings", json={"window_size": 3}, headers=auth(daemon_state))
    assert good.status == 200 and (await good.json())["window_size"] == 3


async def test_export_streams_csv_and_jsonl(api: Client, daemon_state: DaemonUnderTest) -> None:
    await post(api, daemon_state, batch("c8", ("m1", "customer", 'hi, one question, "quoted"')))
    csv_text = await (await api.get("/v1/export?format=csv", headers=auth(daemon_state))).text()
    assert csv_text.splitlines()[0].startswith("conversation_id,site")
    assert '""quoted""' in csv_text
    jsonl = await (await api.get("/v1/export?format=jsonl", headers=auth(daemon_state))).text()
    rows = [json.loads(line) for line in jsonl.splitlines()]
    assert rows[0]["message_id"] == "m1" and rows[0]["conversation_id"] == "c8"


async def test_model_work_runs_off_the_event_loop(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
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


def on_site(conversation: str, site: str, *texts: str) -> dict[str, object]:
    return {
        "conversation_id": conversation,
        "source": {"site": site, "title": f"Chat {conversation}"},
        "messages": [
            {"id": f"{conversation}-{n}", "role": "customer", "text": text}
            for n, text in enumerate(texts)
        ],
    }


async def listed(api: Client, state: DaemonUnderTest, query: str) -> list[str]:
    response = await api.get(f"/v1/conversations?status=all&{query}", headers=auth(state))
    assert response.status == 200, await response.text()
    return sorted(c["conversation_id"] for c in (await response.json())["conversations"])


async def test_history_filters_by_dates_site_and_lowest_level(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    before = time.time() - 1
    angry = ("this is the third time I'm asking, I'm furious", "useless, I'm cancelling today")
    await post(api, daemon_state, on_site("a1", "alpha", *angry))
    await post(api, daemon_state, on_site("a2", "alpha", "thanks, that fixed it, brilliant"))
    await post(api, daemon_state, on_site("b1", "beta", *angry))
    await api.post("/v1/conversations/b1/close", json={}, headers=auth(daemon_state))
    after = time.time() + 1
    assert await listed(api, daemon_state, "") == ["a1", "a2", "b1"]
    assert await listed(api, daemon_state, "site=alpha") == ["a1", "a2"]
    assert await listed(api, daemon_state, "reached=negative") == ["a1", "b1"]
    assert await listed(api, daemon_state, "reached=negative&site=beta") == ["b1"]
    assert await listed(api, daemon_state, "reached=neutral") == ["a1", "a2", "b1"]
    assert await listed(api, daemon_state, f"since={before}&until={after}") == ["a1", "a2", "b1"]
    assert await listed(api, daemon_state, f"until={before}") == [], "started after `until`"
    assert await listed(api, daemon_state, f"since={after}") == [], "no activity since"
    for bad in ("reached=furious", "until=yesterday", "since=x", "limit=many"):
        response = await api.get(f"/v1/conversations?{bad}", headers=auth(daemon_state))
        body = await response.json()
        assert response.status == 422 and body["field"] == bad.split("=")[0], bad


async def test_export_filters_and_announces_its_size(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    await post(api, daemon_state, on_site("a1", "alpha", "I'm furious, useless service", "bye"))
    await post(api, daemon_state, on_site("b1", "beta", "thank you, that was quick"))
    response = await api.get("/v1/export?format=jsonl&site=alpha", headers=auth(daemon_state))
    body = await response.read()
    rows = [json.loads(line) for line in body.decode().splitlines()]
    assert {r["conversation_id"] for r in rows} == {"a1"} and len(rows) == 2
    assert response.headers["X-Moodline-Export-Rows"] == "2"
    assert int(response.headers["Content-Length"]) == len(body)
    negative = await api.get("/v1/export?format=csv&reached=negative", headers=auth(daemon_state))
    csv_rows = (await negative.text()).splitlines()
    assert len(csv_rows) == 3 and all(line.startswith("a1,") for line in csv_rows[1:])
    assert negative.headers["X-Moodline-Export-Rows"] == "2"
    past = await api.get(f"/v1/export?until={time.time() - 60}", headers=auth(daemon_state))
    assert await past.text() == "" and past.headers["X-Moodline-Export-Rows"] == "0"
    bad = await api.get("/v1/export?reached=angry", headers=auth(daemon_state))
    assert bad.status == 422 and (await bad.json())["field"] == "reached"


async def test_settings_changes_are_validated_and_pushed(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    ws = await api.ws_connect("/v1/events")
    await ws.send_str(json.dumps({"type": "auth", "token": daemon_state.token}))
    assert (await ws.receive_json(timeout=5))["type"] == "hello"
    for bad in ({"alert_threshold": "furious"}, {"widget_opacity": 0.1}, {"port": 80}):
        response = await api.patch("/v1/settings", json=bad, headers=auth(daemon_state))
        assert response.status == 422, bad
        assert next(iter(bad)) in (await response.json())["message"]
    changes = {"alert_threshold": "very_negative", "alert_recovery": False, "widget_opacity": 0.7}
    response = await api.patch("/v1/settings", json=changes, headers=auth(daemon_state))
    body = await response.json()
    assert response.status == 200 and body["restart_required"] == []
    assert {k: body[k] for k in changes} == changes
    events = [await ws.receive_json(timeout=5) for _ in range(2)]
    pushed = next(e for e in events if e["type"] == "settings")["settings"]
    assert {k: pushed[k] for k in changes} == changes
    assert 'alert_threshold = "very_negative"' in daemon_state.locations.settings_file.read_text()
    moved = await api.patch("/v1/settings", json={"port": 47999}, headers=auth(daemon_state))
    assert (await moved.json())["restart_required"] == ["port"]
    await ws.close()
