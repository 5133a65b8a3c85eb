"""A Spanish, a German and a Japanese chat played through the real extension in real Chromium
into a real daemon: each reaches the level its messages deserve, scored in its own language."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.test_delivery import add, open_generic
from tests.support.browser import ExtensionBrowser, wait_for
from tests.support.daemon_process import DaemonProcess

NEGATIVE = ("negative", "very_negative")
POSITIVE = ("slightly_positive", "positive", "very_positive")
CHATS = {
    "ES-7": (
        "es",
        [
            ("customer", "Hola, llevo dos semanas esperando mi pedido y nadie me dice nada."),
            ("agent", "Lo siento mucho, déjeme revisarlo."),
            ("customer", "Es la tercera vez que escribo. Esto es una vergüenza."),
            ("customer", "Si no me lo solucionan hoy, cancelo la cuenta y pongo una reclamación."),
        ],
        NEGATIVE,
    ),
    "DE-7": (
        "de",
        [
            ("customer", "Hallo, mein Router hat seit gestern Abend kein Internet mehr."),
            ("agent", "Ich habe die Leitung neu gestartet, bitte einmal testen."),
            (
                "customer",
                "Super, jetzt funktioniert alles wieder! Vielen Dank für die schnelle Hilfe.",
            ),
            ("customer", "Wirklich toller Service, ich bin sehr zufrieden."),
        ],
        POSITIVE,
    ),
    "JA-7": (
        "ja",
        [
            ("customer", "注文した商品がまだ届いていません。もう二週間になります。"),
            ("agent", "大変申し訳ございません。確認いたします。"),
            (
                "customer",
                "何度も問い合わせているのに、まったく返事がありません。本当にひどい対応です。",
            ),
            ("customer", "今日中に解決しないなら、解約します。"),
        ],
        NEGATIVE,
    ),
}


@pytest.mark.parametrize("chat", sorted(CHATS))
def test_a_chat_in_another_language_reaches_its_level(
    chat: str, browser: ExtensionBrowser, daemon: DaemonProcess, pages: str
) -> None:
    language, lines, levels = CHATS[chat]
    page = open_generic(browser, daemon, pages)
    page.evaluate("(id) => consoleKit.switchTo(id)", chat)
    for number, (role, text) in enumerate(lines):
        add(page, f"{chat}-{number}", role, text)
    path = f"/v1/conversations/{quote('generic:127.0.0.1:' + chat, safe='')}"

    def detail() -> dict[str, Any] | None:
        try:
            answer = daemon.request("GET", path)
        except OSError:
            return None
        return answer if len(answer["messages"]) == len(lines) else None

    stored = wait_for(detail, what=f"the {language} chat stored")
    assert stored is not None
    customer = [m for m in stored["messages"] if m["role"] == "customer"]
    assert {(m["sentiment"]["language"], m["sentiment"]["path"]) for m in customer} == {
        (language, "multilingual")
    }
    assert stored["level"] in levels, (stored["level"], [m["sentiment"]["label"] for m in customer])
