"""Messages in another language are stored but not scored: the check, the API, the store, export."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from moodline.daemon.scoring.language import check_language
from moodline.daemon.store.history import HistoryStore
from moodline.widget.why import why_rows
from tests.conftest import Client, DaemonUnderTest, auth


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "thanks!!",
        "hi",
        "still no reply after an hour, this is ridiculous",
        "order 4471-ZX, ref 6b1e9f0c-33ad-4a8e-bc5a-0f12e7d9a441",
        "THANK YOU SO MUCH!!!",
        "I'm the landlord not the tenant",
        "ok merci",
        "gracias!",
        "bloody brilliant mate, ta",
        "https://example.com/order/123 is broken",
    ],
)
def test_english_and_unsure_texts_are_scored(text: str) -> None:
    assert check_language(text).supported


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hola, llevo tres días esperando una respuesta sobre mi pedido", "es"),
        ("Ich warte seit drei Tagen auf eine Antwort zu meiner Bestellung", "de"),
        ("Bonjour, j'attends toujours le remboursement de ma commande", "fr"),
        ("Я уже три дня жду ответа", "ru"),
        ("我的订单还没有到", "zh"),
        ("注文がまだ届きません", "ja"),
        ("مرحبا، لم يصل طلبي بعد", "ar"),
        # short lines the identifier got wrong: the script names the language
        ("저기요", "ko"),  # was undetermined
        ("ขอบคุณ", "th"),
        ("又让我等？上礼拜也这么说", "zh"),  # was Japanese
        ("唔該晒你呀 咁快幫我搞掂", "zh"),  # written Cantonese, was "yue" (not scored)
        ("ありがとう", "ja"),
    ],
)
def test_other_languages_are_not_scored(text: str, language: str) -> None:
    check = check_language(text)
    assert not check.supported and check.language == language


@pytest.mark.parametrize("text", ["مرحبا", "доброй ночи"])
def test_a_short_line_the_identifier_doubts_is_unsure(text: str) -> None:
    """Persian and Bulgarian by the identifier, at low probability: the conversation decides."""
    assert check_language(text).sure is False


async def test_a_foreign_message_is_stored_not_scored_and_does_not_move_the_level(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    body = {
        "conversation_id": "lang-1",
        "messages": [
            {"id": "m1", "role": "customer", "text": "thanks, that sorted it, brilliant"},
            {"id": "m2", "role": "customer", "text": "Sigo esperando el reembolso, es increíble"},
        ],
    }
    response = await api.post("/v1/messages", json=body, headers=auth(daemon_state))
    assert response.status == 200
    result = await response.json()
    assert [w["message_id"] for w in result["window"]] == ["m1"]
    assert result["scored"][1] == {
        "message_id": "m2",
        "not_scored": {"reason": "language", "language": "es"},
    }
    detail = await (await api.get("/v1/conversations/lang-1", headers=auth(daemon_state))).json()
    foreign = detail["messages"][1]
    assert "sentiment" not in foreign
    assert foreign["not_scored"] == {
        "reason": "language",
        "language": "es",
        "corrected_label": None,
    }
    rows = why_rows(detail)
    assert rows[-1].message_id == "m2" and rows[-1].not_scored == "not scored: language es"
    exported = await api.get("/v1/export?format=jsonl", headers=auth(daemon_state))
    lines = [json.loads(line) for line in (await exported.text()).splitlines()]
    assert lines[1]["language"] == "es" and lines[1]["not_scored"] == "language"
    assert lines[0]["language"] == "en" and lines[0]["not_scored"] is None


async def test_an_agents_label_makes_a_foreign_message_count(
    api: Client, daemon_state: DaemonUnderTest
) -> None:
    body = {
        "conversation_id": "lang-2",
        "messages": [{"id": "m1", "role": "customer", "text": "C'est inadmissible, je résilie!"}],
    }
    first = await (await api.post("/v1/messages", json=body, headers=auth(daemon_state))).json()
    assert first["level"] == "neutral" and first["window"] == []
    corrected = await api.put(
        "/v1/conversations/lang-2/messages/m1/correction",
        json={"label": "negative"},
        headers=auth(daemon_state),
    )
    assert corrected.status == 200
    state = await corrected.json()
    assert [w["message_id"] for w in state["window"]] == ["m1"] and state["score"] < 0


def test_history_from_before_the_language_check_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT "
        "NULL, message_id TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL, ts REAL, "
        "received_at REAL NOT NULL, p_negative REAL, p_neutral REAL, p_positive REAL, score REAL,"
        " confidence REAL, label TEXT, uncertain INTEGER, UNIQUE (conversation_id, message_id));"
        "INSERT INTO messages (conversation_id, message_id, role, text, received_at, score) "
        "VALUES ('c', 'm', 'customer', 'hello', 1.0, 0.1);"
        "PRAGMA user_version=1;"
    )
    old.commit()
    old.close()
    store = HistoryStore(path)
    (item,) = store.window_items("c", 6)
    assert item.message_id == "m" and item.score == pytest.approx(0.1)
    columns = {row[1] for row in store._db.execute("PRAGMA table_info(messages)")}
    assert "language" in columns
    store.close()
