"""The team view's agent side through a real Mosquitto: retained conversation state, presence with
the last will, alerts on the team threshold, clears on close, reconnects; never any chat text."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from moodline.daemon.http.keys import TEAM
from moodline.daemon.locations import Locations
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.settings import Settings
from moodline.daemon.team.topics import conversation_key
from tests.conftest import free_port
from tests.support.daemon_process import DaemonProcess
from tests.support.mosquitto import Mosquitto, Received, Recorder
from tests.support.team_daemon import AUTH, post, team_daemon

pytestmark = pytest.mark.slow
TEAM_ID, AGENT = "support-eu", "agent-7"
CONVERSATION = "console:ticket/7781"
TITLE = "Chat with Zelda Quorn"
URL = "https://console.example/private/991"
FRIENDLY = "Thanks so much, that fixed my router, wonderful service"
ANGRY = (
    "This is the third time I've been cut off, I'm furious",
    "I'm cancelling my contract today, you are useless. Email zelda.quorn@mailhost.org",
    "Worst support ever, nobody answers and I am absolutely livid",
)
STATUS = f"moodline/v1/{TEAM_ID}/agents/{AGENT}/status"
STATE = f"moodline/v1/{TEAM_ID}/agents/{AGENT}/conversations/{conversation_key(CONVERSATION)}"
ALERTS = f"moodline/v1/{TEAM_ID}/alerts"


def team_settings(broker_port: int) -> Settings:
    return Settings(
        port=free_port(),
        team_broker=f"mqtt://127.0.0.1:{broker_port}",
        team_id=TEAM_ID,
        team_agent=AGENT,
        team_alert_threshold="negative",
    )


def messages(*texts: str, first: int = 1) -> dict[str, object]:
    return {
        "conversation_id": CONVERSATION,
        "source": {"site": "example-console", "url": URL, "title": TITLE},
        "messages": [
            {"id": f"m{first + i}", "role": "customer", "text": text, "ts": 1_790_000_000_000}
            for i, text in enumerate(texts)
        ],
    }


def state_of(message: Received) -> dict[str, Any] | None:
    return message.json() if message.topic == STATE and message.payload else None


def assert_no_text(seen: list[Received], texts: tuple[str, ...]) -> None:
    """No posted text, no word of one (4+ letters), no title, URL or e-mail in any payload."""
    words = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]{4,}", text)}
    secrets = {*texts, TITLE, URL, "zelda", "quorn", "console.example", "mailhost"}
    assert seen, "the recorder saw nothing"
    for message in seen:
        payload = message.payload.decode("utf-8").lower()
        for secret in secrets:
            assert secret.lower() not in payload, (message.topic, secret)
        tokens = set(re.findall(r"[a-z]+", payload))
        assert not words & tokens, (message.topic, words & tokens)


async def test_state_presence_alert_and_clear_through_a_real_broker(
    broker: Mosquitto, locations: Locations, scorer: MessageScorer
) -> None:
    async with Recorder(broker.port) as recorder:
        async with team_daemon(team_settings(broker.port), locations, scorer) as client:
            online = await recorder.wait_for(lambda m: m.topic == STATUS)
            assert online.payload == b"online"

            friendly = await post(client, messages(FRIENDLY))
            first = await recorder.wait_for(lambda m: bool(state_of(m)))
            assert state_of(first) == {
                **(state_of(first) or {}),
                "v": 1,
                "agent": AGENT,
                "conversation_id": CONVERSATION,
                "site": "example-console",
                "level": friendly["level"],
                "customer_messages": 1,
                "open": True,
            }

            angry = await post(client, messages(*ANGRY, first=2))
            assert angry["level"] in {"negative", "very_negative"}
            latest = await recorder.wait_for(
                lambda m: (state_of(m) or {}).get("customer_messages") == 4
            )
            body = state_of(latest) or {}
            assert body["level"] == angry["level"]
            assert body["score"] == pytest.approx(angry["score"], abs=1e-3)
            assert body["lowest_level"] == angry["lowest_level"]
            assert body["trend"] == "falling" and len(body["scores"]) == 2
            alert = (await recorder.wait_for(lambda m: m.topic == ALERTS)).json()
            assert alert["kind"] == "threshold" and alert["level"] == angry["level"]
            assert alert["agent"] == AGENT and alert["conversation_id"] == CONVERSATION

            # A supervisor who connects now gets the retained state (not the alert) at once.
            async with Recorder(broker.port) as late:
                retained = await late.wait_for(lambda m: bool(state_of(m)))
                assert retained.retain and (state_of(retained) or {})["level"] == angry["level"]
                await late.wait_for(lambda m: m.topic == STATUS and m.payload == b"online")
                await asyncio.sleep(0.3)
                assert not [m for m in late.messages if m.topic == ALERTS]

            closed = await client.post(
                f"/v1/conversations/{CONVERSATION.replace('/', '%2F')}/close", json={}, headers=AUTH
            )
            assert closed.status == 200, await closed.text()
            await recorder.wait_for(lambda m: m.topic == STATE and m.payload == b"")
            async with Recorder(broker.port) as after_close:
                await after_close.wait_for(lambda m: m.topic == STATUS)
                await asyncio.sleep(0.3)
                assert not [m for m in after_close.messages if m.topic == STATE]
        # A clean shutdown says offline.
        offline = await recorder.wait_for(lambda m: m.topic == STATUS and m.payload == b"offline")
        assert offline.payload == b"offline"
        assert_no_text(recorder.messages, (FRIENDLY, *ANGRY))


async def test_broker_down_at_start_then_up(
    tmp_path: Path, locations: Locations, scorer: MessageScorer
) -> None:
    mosquitto = Mosquitto(tmp_path / "late-broker", free_port())
    async with team_daemon(team_settings(mosquitto.port), locations, scorer) as client:
        answer = await post(client, messages(*ANGRY))
        assert answer["level"] in {"negative", "very_negative"}, "scoring does not wait"
        health = await client.get("/v1/health")
        assert health.status == 200
        app = client.app
        assert app is not None
        publisher = app[TEAM]
        assert not publisher.connected and publisher.pending >= 1
        await asyncio.sleep(1.0)
        mosquitto.start()
        try:
            async with Recorder(mosquitto.port) as recorder:
                arrived = await recorder.wait_for(lambda m: bool(state_of(m)), timeout=20)
                assert (state_of(arrived) or {})["level"] == answer["level"]
                assert (await recorder.wait_for(lambda m: m.topic == ALERTS)).json()["kind"] in {
                    "threshold",
                    "fast_drop",
                }
                await recorder.wait_for(lambda m: m.topic == STATUS and m.payload == b"online")
                assert_no_text(recorder.messages, ANGRY)
        finally:
            mosquitto.stop()


async def test_killed_daemon_turns_offline_by_its_last_will(
    tmp_path: Path, broker: Mosquitto
) -> None:
    (tmp_path / "agent" / "config").mkdir(parents=True)
    process = DaemonProcess(tmp_path / "agent", free_port())
    settings_file = process.root / "config" / "settings.toml"
    settings_file.write_text(
        f'team_broker = "{broker.url}"\nteam_id = "{TEAM_ID}"\nteam_agent = "{AGENT}"\n'
    )
    async with Recorder(broker.port) as recorder:
        await asyncio.to_thread(process.start)
        try:
            online = await recorder.wait_for(lambda m: m.topic == STATUS, timeout=20)
            assert online.payload == b"online"
            await asyncio.to_thread(process.request, "POST", "/v1/messages", messages(*ANGRY))
            await recorder.wait_for(lambda m: bool(state_of(m)))
        finally:
            await asyncio.to_thread(process.kill)
        offline = await recorder.wait_for(
            lambda m: m.topic == STATUS and m.payload == b"offline", timeout=10
        )
        assert offline.payload == b"offline"
        assert_no_text(recorder.messages, ANGRY)
