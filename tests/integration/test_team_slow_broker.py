"""A slow or hung team broker never delays scoring: a broker that accepts TCP and never answers
CONNACK, and a real Mosquitto paused with SIGSTOP mid-session; the waiting state stays bounded and
the newest state of every conversation arrives once the broker answers again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest

from moodline.daemon.events import ScoredEvent
from moodline.daemon.levels import Level
from moodline.daemon.locations import Locations
from moodline.daemon.results import (
    Conversation,
    ConversationSource,
    ConversationState,
    IngestResult,
)
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.scoring.window import WindowState
from moodline.daemon.settings import Settings
from moodline.daemon.team.publisher import MAX_ALERTS, TeamPublisher
from moodline.daemon.team.topics import conversation_topic
from tests.conftest import Client, free_port
from tests.support.mosquitto import Mosquitto, Received, Recorder
from tests.support.team_daemon import ANGRY, chat, post, publisher_of, team_daemon

pytestmark = pytest.mark.slow
PROMPT_S = 2.0  # scoring a short chat takes well under this; a waiting publish takes 10 s


@pytest.fixture
async def silent_broker() -> AsyncIterator[int]:
    """Accepts MQTT's TCP connection, reads everything and never answers."""

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await reader.read(4096):
            pass
        writer.close()

    server = await asyncio.start_server(swallow, "127.0.0.1", free_port())
    yield server.sockets[0].getsockname()[1]
    server.close()


def settings_for(url: str) -> Settings:
    return Settings(port=free_port(), team_broker=url, team_id="support-eu", team_agent="ann")


async def timed_post(client: Client, conversation_id: str) -> tuple[float, str]:
    started = time.perf_counter()
    answer = await post(client, chat(conversation_id, *ANGRY))
    return time.perf_counter() - started, str(answer["level"])


async def test_a_broker_that_never_answers_connack_does_not_delay_scoring(
    silent_broker: int, locations: Locations, scorer: MessageScorer
) -> None:
    settings = settings_for(f"mqtt://127.0.0.1:{silent_broker}")
    async with team_daemon(settings, locations, scorer) as daemon:
        answers = [await timed_post(daemon, f"console:{i}") for i in range(6)]
        assert all(seconds < PROMPT_S for seconds, _ in answers), answers
        assert all(level in {"negative", "very_negative"} for _, level in answers)
        publisher = publisher_of(daemon)
        assert not publisher.connected and publisher.pending >= 6
        health = await daemon.get("/v1/health")
        assert health.status == 200 and (await health.json())["ready"]


async def test_a_hung_broker_does_not_delay_scoring_and_gets_the_newest_state_after(
    broker: Mosquitto, locations: Locations, scorer: MessageScorer
) -> None:
    async with (
        Recorder(broker.port) as recorder,
        team_daemon(settings_for(broker.url), locations, scorer) as daemon,
    ):
        await recorder.wait_for(lambda m: m.topic.endswith("/status") and m.payload == b"online")
        broker.pause()
        try:
            answers = [await timed_post(daemon, f"console:{i}") for i in range(6)]
            assert all(seconds < PROMPT_S for seconds, _ in answers), answers
            await asyncio.sleep(0.5)
            assert not [m for m in recorder.messages if "/conversations/" in m.topic]
        finally:
            broker.resume()
        for i in range(6):
            topic = conversation_topic("support-eu", "ann", f"console:{i}")
            state = await recorder.wait_for(on(topic), timeout=30)
            assert state.json()["customer_messages"] == len(ANGRY)


def on(topic: str) -> Callable[[Received], bool]:
    return lambda message: message.topic == topic


def scored(conversation_id: str, score: float) -> ScoredEvent:
    level = Level.NEGATIVE if score < -0.3 else Level.NEUTRAL
    conversation = Conversation(
        conversation_id,
        ConversationSource("desk", "", ""),
        1.0,
        2.0,
        None,
        level,
        score,
        False,
        level,
        2,
        customer_message_count=2,
    )
    state = ConversationState(conversation, WindowState(level, score, False))
    return ScoredEvent(IngestResult(state, stored=1, duplicates=0))


async def test_the_waiting_state_stays_bounded_while_the_broker_hangs(
    broker: Mosquitto,
) -> None:
    bound = 50
    publisher = TeamPublisher(settings_for(broker.url), lambda: None, max_conversations=bound)
    task = asyncio.create_task(publisher.run())
    try:
        for _ in range(250):
            if publisher.connected:
                break
            await asyncio.sleep(0.02)
        assert publisher.connected
        broker.pause()
        started = time.perf_counter()
        for i in range(5000):  # 2,500 conversations, each neutral then negative (an alert each)
            publisher.observe(scored(f"c{i // 2}", 0.0 if i % 2 == 0 else -0.6))
        per_event_ms = (time.perf_counter() - started) * 1000 / 5000
        assert per_event_ms < 1.0, per_event_ms
        assert len(publisher._latest) <= bound and len(publisher._scores) <= bound
        assert publisher.pending <= 2 * bound + MAX_ALERTS
        broker.resume()
        async with Recorder(broker.port) as recorder:
            newest = conversation_topic("support-eu", "ann", "c2499")
            arrived = await recorder.wait_for(lambda m: m.topic == newest, timeout=30)
            assert arrived.json()["level"] == "negative"
        for _ in range(500):
            if publisher.pending == 0:
                break
            await asyncio.sleep(0.02)
        assert publisher.pending == 0
    finally:
        broker.resume()
        await publisher.stop(task)
