"""A conversation the retention purge deletes also leaves the team broker: its retained state is
cleared, by the hourly purge of a running daemon and by the purge at start (a conversation of an
earlier run), through a real Mosquitto."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from moodline.daemon.http import app as daemon_app
from moodline.daemon.locations import Locations
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.settings import Settings
from moodline.daemon.team.topics import conversation_topic
from tests.conftest import free_port
from tests.support.mosquitto import Mosquitto, Received, Recorder
from tests.support.team_daemon import ANGRY, AUTH, chat, post, team_daemon

pytestmark = pytest.mark.slow
DAY = 86400.0
OLD, NEW = "console:old", "console:new"


class Clock:
    """The service's clock, moved forward by the test (retention counts days)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def topic(conversation_id: str) -> str:
    return conversation_topic("support-eu", "ann", conversation_id)


def cleared(conversation_id: str) -> Callable[[Received], bool]:
    return lambda m: m.topic == topic(conversation_id) and m.payload == b""


async def retained_states(port: int) -> list[Received]:
    async with Recorder(port) as late:
        await late.wait_for(lambda m: m.topic.endswith("/status"))
        await asyncio.sleep(0.4)
        return [m for m in late.messages if "/conversations/" in m.topic and m.payload]


async def test_expired_conversations_clear_their_retained_state(
    broker: Mosquitto,
    locations: Locations,
    scorer: MessageScorer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(daemon_app, "PURGE_INTERVAL_S", 0.2)
    clock = Clock()
    settings = Settings(
        port=free_port(),
        team_broker=broker.url,
        team_id="support-eu",
        team_agent="ann",
        retention_days=1,
    )
    async with Recorder(broker.port) as recorder:
        async with team_daemon(settings, locations, scorer, clock) as daemon:
            await post(daemon, chat(OLD, *ANGRY))
            await recorder.wait_for(lambda m: m.topic == topic(OLD) and bool(m.payload))
            clock.now += 0.6 * DAY
            await post(daemon, chat(NEW, *ANGRY))
            await recorder.wait_for(lambda m: m.topic == topic(NEW) and bool(m.payload))
            clock.now += 0.6 * DAY  # OLD is 1.2 days old now: the next hourly purge deletes it
            await recorder.wait_for(cleared(OLD))
            answer = await daemon.get("/v1/conversations?status=all", headers=AUTH)
            ids = [c["conversation_id"] for c in (await answer.json())["conversations"]]
            assert ids == [NEW]
            assert [m.topic for m in await retained_states(broker.port)] == [topic(NEW)]
        clock.now += 2 * DAY  # the next start purges NEW, published by the earlier run
        async with team_daemon(settings, locations, scorer, clock):
            await recorder.wait_for(cleared(NEW))
            assert await retained_states(broker.port) == []
