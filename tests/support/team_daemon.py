"""A real daemon app (real model, SQLite on disk) with the team view on, served on 127.0.0.1, and
the chats the team-view tests post to it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from moodline.daemon.http.app import create_app
from moodline.daemon.http.keys import READINESS, TEAM
from moodline.daemon.locations import Locations
from moodline.daemon.privacy.policy import RedactionPolicy
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.service import SentimentService
from moodline.daemon.settings import Settings
from moodline.daemon.store.history import HistoryStore
from moodline.daemon.team.publisher import TeamPublisher
from moodline.daemon.team_credentials import read_credentials
from tests.conftest import Client

TOKEN = "test-token-" + "x" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ANGRY = (
    "This is the third time I've been cut off, I'm furious",
    "Worst support ever, nobody answers and I am absolutely livid",
)


@asynccontextmanager
async def team_daemon(
    settings: Settings,
    locations: Locations,
    scorer: MessageScorer,
    clock: Callable[[], float] = time.time,
) -> AsyncIterator[Client]:
    """Broker credentials come from the (test) keyring, as in the real daemon."""

    def factory(settings: Settings, locations: Locations) -> SentimentService:
        store = HistoryStore(locations.history_database)
        redaction = RedactionPolicy.from_settings(settings)
        window = settings.window_config()
        return SentimentService(store, scorer, window, clock=clock, redaction=redaction)

    app = create_app(settings, locations, TOKEN, factory, team_credentials=read_credentials)
    client: Client = TestClient(TestServer(app, host="127.0.0.1", port=settings.port))
    await client.start_server()
    for _ in range(250):
        if app[READINESS].status != "starting":
            break
        await asyncio.sleep(0.02)
    assert app[READINESS].ready, app[READINESS].detail
    try:
        yield client
    finally:
        await client.close()


def publisher_of(client: Client) -> TeamPublisher:
    assert client.app is not None
    return client.app[TEAM]


def chat(conversation_id: str, *texts: str, first: int = 1) -> dict[str, object]:
    return {
        "conversation_id": conversation_id,
        "source": {"site": "example-console", "url": "https://console.example/1", "title": "T"},
        "messages": [
            {"id": f"m{first + i}", "role": "customer", "text": text, "ts": 1_790_000_000_000}
            for i, text in enumerate(texts)
        ],
    }


async def post(client: Client, body: dict[str, object]) -> dict[str, Any]:
    response = await client.post("/v1/messages", json=body, headers=AUTH)
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result
