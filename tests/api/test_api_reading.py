"""Reading health over the API: refused id collisions in the answer, the `reading` event and
/v1/health; verified edits; personal data redacted in what the API returns and exports."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import ClientWebSocketResponse

from tests.conftest import Client, DaemonUnderTest, auth

SITE = "support.example.com"


def body(conversation: str, *messages: tuple[str, str, str], **extra: Any) -> dict[str, Any]:
    return {
        "conversation_id": conversation,
        "source": {"site": SITE, "url": f"https://{SITE}/chat/1", "title": "Chat with Ann"},
        "messages": [{"id": i, "role": role, "text": text} for i, role, text in messages],
        **extra,
    }


async def post(api: Client, state: DaemonUnderTest, payload: dict[str, Any]) -> dict[str, Any]:
    response = await api.post("/v1/messages", json=payload, headers=auth(state))
    assert response.status == 200, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


async def events(api: Client, state: DaemonUnderTest) -> ClientWebSocketResponse:
    ws = await api.ws_connect("/v1/events")
    await ws.send_str(json.dumps({"type": "auth", "token": state.token}))
    assert (await ws.receive_json(timeout=5))["type"] == "hello"
    return ws


async def next_of(ws: ClientWebSocketResponse, kind: str) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = await ws.receive_json(timeout=5)
        if event["type"] == kind:
            return event


async def test_a_wrong_id_attribute_is_refused_returned_evented_and_in_health(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    """The issue's case: ids literally `customer` and `agent` on every message of a chat."""
    empty = await (await api.get("/v1/health")).json()
    assert empty["reading_problems"] == []
    ws = await events(api, daemon_state)
    chat = [
        ("customer", "customer", "my router keeps dropping the connection"),
        ("agent", "agent", "sorry to hear that, let me check"),
        ("customer", "customer", "it's the third time this week, I'm fed up"),
        ("agent", "agent", "I can see an outage in your area"),
        ("customer", "customer", "then why did nobody tell me?"),
    ]
    answer = await post(api, daemon_state, body("wrong-id", *chat))
    assert answer["stored"] == 2 and answer["duplicates"] == 0 and answer["edited"] == 0
    assert answer["refused"] == [
        {"id": mid, "reason": "id_reused_with_new_text"} for mid, _, _ in chat[2:]
    ]
    assert answer["reading_problems"] == 3
    event = await next_of(ws, "reading")
    assert event["conversation_id"] == "wrong-id" and event["site"] == SITE
    assert (event["problem"], event["count"]) == ("id_reused_with_new_text", 3)
    assert "fed up" not in json.dumps(event), "no chat text in the event"
    health = await (await api.get("/v1/health")).json()
    (summary,) = health["reading_problems"]
    assert (summary["site"], summary["problem"], summary["count"]) == (
        SITE,
        "id_reused_with_new_text",
        3,
    )
    assert "fed up" not in json.dumps(health) and "wrong-id" not in json.dumps(health)
    detail = await (await api.get("/v1/conversations/wrong-id", headers=auth(daemon_state))).json()
    assert [m["text"] for m in detail["messages"]] == [chat[0][2], chat[1][2]]
    assert detail["reading_problems"] == 3
    listed = await (await api.get("/v1/conversations", headers=auth(daemon_state))).json()
    assert listed["conversations"][0]["reading_problems"] == 3
    await ws.close()


async def test_resending_the_same_text_is_still_a_plain_duplicate(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    payload = body("dup", ("m1", "customer", "where is my refund?"))
    await post(api, daemon_state, payload)
    again = await post(api, daemon_state, payload)
    assert (again["stored"], again["duplicates"], again["refused"]) == (0, 1, [])
    assert again["reading_problems"] == 0


async def test_a_verified_edit_is_rescored_and_the_old_state_stays_in_the_timeline(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    ws = await events(api, daemon_state)
    first = await post(api, daemon_state, body("ed", ("m1", "customer", "thanks, all fixed!")))
    assert first["score"] > 0
    await next_of(ws, "sentiment")
    edit = body("ed", ("m1", "customer", "no, it broke again, useless"), ids_verified=True)
    answer = await post(api, daemon_state, edit)
    assert (answer["stored"], answer["edited"], answer["refused"]) == (0, 1, [])
    assert answer["score"] < first["score"] and answer["scored"][0]["message_id"] == "m1"
    event = await next_of(ws, "sentiment")
    assert event["scored"][0]["score"] < 0
    detail = await (await api.get("/v1/conversations/ed", headers=auth(daemon_state))).json()
    (message,) = detail["messages"]
    assert message["text"] == "no, it broke again, useless" and message["edited_at"] is not None
    assert [e["score"] for e in detail["timeline"]] == [first["score"], answer["score"]]
    agent_edit = body("ed", ("m1", "agent", "other words"), ids_verified=True)
    refused = await post(api, daemon_state, agent_edit)
    assert refused["refused"] == [{"id": "m1", "reason": "id_reused_with_new_text"}]
    await ws.close()


async def test_personal_data_is_stored_redacted_until_redaction_is_turned_off(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    text = "card 4111 1111 1111 1111 was charged twice, mail me at ann.lee@example.com"
    await post(api, daemon_state, body("pii", ("m1", "customer", text)))
    detail = await (await api.get("/v1/conversations/pii", headers=auth(daemon_state))).json()
    stored = detail["messages"][0]["text"]
    assert stored == "card [card number] was charged twice, mail me at [email]"
    exported = await (await api.get("/v1/export", headers=auth(daemon_state))).text()
    assert "4111 1111" not in exported and "ann.lee" not in exported
    off = await api.patch(
        "/v1/settings", json={"redact_personal_data": False}, headers=auth(daemon_state)
    )
    assert off.status == 200
    resent = await post(api, daemon_state, body("pii", ("m1", "customer", text)))
    assert resent["duplicates"] == 1 and resent["refused"] == []
    await post(api, daemon_state, body("pii", ("m2", "customer", text)))
    detail = await (await api.get("/v1/conversations/pii", headers=auth(daemon_state))).json()
    assert detail["messages"][1]["text"] == text
