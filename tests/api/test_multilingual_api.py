"""The second path through the API: a Spanish and a mixed English/German chat are scored message
by message, each with its language and path (answer, detail, window, export)."""

from __future__ import annotations

import json

import pytest

from moodline.daemon.scoring.encoders import OnnxEncoder
from moodline.daemon.scoring.heads import load_multilingual, load_shipped_head
from moodline.daemon.scoring.multilingual import MultilingualPath
from moodline.daemon.scoring.scorer import MessageScorer
from tests.conftest import Client, DaemonUnderTest, auth


@pytest.fixture(scope="module")
def scorer(fast_encoder: OnnxEncoder) -> MessageScorer:
    """The daemon's scorer as shipped: both paths (the second one loads on first use)."""
    head, _ = load_shipped_head()
    return MessageScorer(fast_encoder, head, multilingual=MultilingualPath(load_multilingual))


def message(n: int, text: str) -> dict[str, str]:
    return {"id": f"m{n}", "role": "customer", "text": text}


async def test_a_spanish_complaint_is_scored_on_the_second_path(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    texts = [
        "Llevo tres semanas esperando el reembolso y nadie me contesta.",
        "Es la tercera vez que escribo, esto es una vergüenza, quiero hablar con un responsable.",
        "Si mañana no está resuelto me doy de baja y pongo una reclamación.",
    ]
    body = {"conversation_id": "es-1", "messages": [message(i, t) for i, t in enumerate(texts)]}
    answer = await api.post("/v1/messages", json=body, headers=auth(daemon_state))
    result = await answer.json()
    assert answer.status == 200, result
    assert [(s["language"], s["path"]) for s in result["scored"]] == [("es", "multilingual")] * 3
    assert all(s["label"] == "negative" for s in result["scored"]), result["scored"]
    assert result["level"] in ("negative", "very_negative")
    detail = await (await api.get("/v1/conversations/es-1", headers=auth(daemon_state))).json()
    assert {m["sentiment"]["path"] for m in detail["messages"]} == {"multilingual"}
    exported = await api.get("/v1/export?format=jsonl", headers=auth(daemon_state))
    rows = [json.loads(line) for line in (await exported.text()).splitlines()]
    assert {(r["language"], r["path"]) for r in rows} == {("es", "multilingual")}


async def test_a_mixed_chat_is_scored_message_by_message(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    texts = [
        "this is ridiculous, a week and my package still has not arrived",
        "Hallo? Ich warte jetzt seit einer Stunde, das ist echt eine Frechheit!",
        "ok it finally arrived, thank you so much for sorting it out!",
        "Vielen Dank für Ihre schnelle Hilfe, jetzt funktioniert alles wieder!",
    ]
    body = {"conversation_id": "mix-1", "messages": [message(i, t) for i, t in enumerate(texts)]}
    result = await (await api.post("/v1/messages", json=body, headers=auth(daemon_state))).json()
    paths = [(s["language"], s["path"], s["label"]) for s in result["scored"]]
    assert paths == [
        ("en", "english", "negative"),
        ("de", "multilingual", "negative"),
        ("en", "english", "positive"),
        ("de", "multilingual", "positive"),
    ]
    assert len(result["window"]) == 4  # one window over both languages


async def test_a_short_thanks_takes_the_conversations_language(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    """Too short for the language check alone ("Vielen Dank!" defaults to English), a closing
    line is read in the language the customer has been writing in, across requests too."""
    first = {
        "conversation_id": "de-short",
        "messages": [
            message(1, "Meine Bestellung ist seit zwei Wochen unterwegs und niemand antwortet."),
            message(2, "Das ist jetzt das dritte Mal, dass ich nachfrage. Unglaublich."),
        ],
    }
    await api.post("/v1/messages", json=first, headers=auth(daemon_state))
    later = {"conversation_id": "de-short", "messages": [message(3, "Vielen Dank!")]}
    result = await (await api.post("/v1/messages", json=later, headers=auth(daemon_state))).json()
    [thanks] = result["scored"]
    assert (thanks["language"], thanks["path"], thanks["label"]) == (
        "de",
        "multilingual",
        "positive",
    )
    english = {
        "conversation_id": "en-short",
        "messages": [
            message(1, "my parcel has been stuck in the depot for a week"),
            message(2, "Vielen Dank!"),
        ],
    }
    result = await (await api.post("/v1/messages", json=english, headers=auth(daemon_state))).json()
    assert result["scored"][1]["language"] == "en"  # an English chat keeps its default
