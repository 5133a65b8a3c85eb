"""Shared fixtures: isolated dirs and keyring, the real shipped model, a real daemon app."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from moodline.daemon.http.app import create_app
from moodline.daemon.http.keys import LOCATIONS, READINESS, SETTINGS, TOKEN
from moodline.daemon.locations import Locations
from moodline.daemon.privacy.policy import RedactionPolicy
from moodline.daemon.readiness import Readiness
from moodline.daemon.runtime import load_encoder
from moodline.daemon.scoring.encoders import OnnxEncoder
from moodline.daemon.scoring.heads import load_shipped_head
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.service import SentimentService
from moodline.daemon.settings import Settings
from moodline.daemon.store.history import HistoryStore
from tests.support.memory_keyring import MemoryKeyring
from tests.support.mosquitto import Mosquitto

REPO = Path(__file__).resolve().parents[1]
# Qt tests run headless unless a display is explicitly chosen (the screenshot script uses Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
Client = TestClient[web.Request, web.Application]
EXTENSION_ORIGIN = "chrome-extension://baboeghhdeejdobimlkgoomgehfbpjnc"


# Each folder is one kind of test; its marker is set here so `-m` can pick kinds (see Makefile).
FOLDER_MARKERS = {"gui": "gui", "integration": "integration", "e2e": "e2e"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.parent.name
        if folder in FOLDER_MARKERS:
            item.add_marker(FOLDER_MARKERS[folder])


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and data dirs in tmp; the cache stays shared across the run."""
    monkeypatch.setenv("MOODLINE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MOODLINE_DATA_DIR", str(tmp_path / "data"))
    # Autostart entries (the settings dialog's start-at-login switch) never touch the real home.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("MOODLINE_SYSTEM_ROOT", str(tmp_path / "system-root"))
    os.environ.setdefault("MOODLINE_CACHE_DIR", str(REPO / ".cache" / "moodline"))
    return tmp_path


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def fast_encoder() -> OnnxEncoder:
    """The real shipped encoder (8-bit ONNX), as the daemon loads it."""
    return load_encoder()


@pytest.fixture(scope="session")
def scorer(fast_encoder: OnnxEncoder) -> MessageScorer:
    head, _ = load_shipped_head()
    return MessageScorer(fast_encoder, head)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def locations(isolated_dirs: Path) -> Locations:
    """This test's folders, as the CLI resolves them from the environment isolated_dirs set."""
    return Locations.resolve()


@dataclass
class DaemonUnderTest:
    """The daemon app under test, and what the tests read of it (the live settings included)."""

    app: web.Application

    @property
    def token(self) -> str:
        return self.app[TOKEN]

    @property
    def settings(self) -> Settings:
        return self.app[SETTINGS].current

    @property
    def locations(self) -> Locations:
        return self.app[LOCATIONS]

    @property
    def readiness(self) -> Readiness:
        return self.app[READINESS]


@pytest.fixture
def daemon_state(locations: Locations, scorer: MessageScorer) -> DaemonUnderTest:
    """A daemon app (real model, SQLite on disk), not started yet: `api` serves it."""

    def factory(settings: Settings, locations: Locations) -> SentimentService:
        store = HistoryStore(locations.history_database)
        redaction = RedactionPolicy.from_settings(settings)
        return SentimentService(store, scorer, settings.window_config(), redaction=redaction)

    settings = Settings(port=free_port())
    return DaemonUnderTest(create_app(settings, locations, "test-token-" + "x" * 32, factory))


@pytest.fixture
async def api(daemon_state: DaemonUnderTest) -> AsyncIterator[Client]:
    """A real daemon app (real model, SQLite on disk) on 127.0.0.1, ready to serve."""
    server = TestServer(daemon_state.app, host="127.0.0.1", port=daemon_state.settings.port)
    client: Client = TestClient(server)
    await client.start_server()
    for _ in range(200):
        if daemon_state.readiness.status != "starting":
            break
        import asyncio

        await asyncio.sleep(0.02)
    assert daemon_state.readiness.ready, daemon_state.readiness.detail
    yield client
    await client.close()


def auth(state: DaemonUnderTest) -> dict[str, str]:
    return {"Authorization": f"Bearer {state.token}"}


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    """A real Mosquitto on a free port, anonymous clients allowed (the team-view tests)."""
    mosquitto = Mosquitto(tmp_path / "broker", free_port())
    mosquitto.start()
    yield mosquitto
    mosquitto.stop()
