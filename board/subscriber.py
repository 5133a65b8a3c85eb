"""The board's MQTT link: subscribes to the team's topics from a background asyncio thread.

An aiomqtt client runs on its own event loop in a daemon thread, so the GUI thread never waits for
the broker. Each message is parsed and validated there (`payloads.parse`) and handed to `deliver`
as a typed update; on every (re)subscription a `Resync` goes first, then the broker's retained
state. A broker that is down or refuses the credentials is retried with exponential backoff; the
connection's state goes to `on_state` (its text names the broker and the error, never a payload).

It subscribes at QoS 0 with a clean session: nothing is queued for the board while it is away
(every reconnect re-reads the retained state anyway), and QoS 1 would make Mosquitto's per-client
queue (`max_queued_messages`, 1000 by default) drop retained messages when a board subscribes to a
team with thousands of open conversations (measured: 1,020 of 4,000 arrived).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import aiomqtt

from moodline.board.payloads import Resync, Update, parse, subscriptions
from moodline.daemon.settings import BrokerAddress
from moodline.daemon.team.tls import make_context
from moodline.daemon.team_credentials import BrokerCredentials

log = logging.getLogger(__name__)

FIRST_RETRY_S = 0.5
MAX_RETRY_S = 30.0
KEEPALIVE_S = 30
TIMEOUT_S = 10.0
SUBSCRIBE_QOS = 0  # see the module's docstring


class LinkState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class BrokerConfig:
    """Where and how the board connects: TLS for mqtts:// with the system trust store, or the CA
    in `ca_file`; a client certificate when `cert_file` is given."""

    address: BrokerAddress
    team_id: str
    credentials: BrokerCredentials | None = None
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    def tls_context(self) -> ssl.SSLContext | None:
        """The agents' TLS rules (`daemon/team/tls.py`): an encrypted key is an error, never a
        passphrase prompt on the terminal."""
        if not self.address.tls:
            return None
        return make_context(_text(self.ca_file), _text(self.cert_file), _text(self.key_file))


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


Deliver = Callable[[Update], None]
StateListener = Callable[[LinkState, str], None]


class TeamSubscriber:
    """Follows the team's topics until `stop`; `deliver` and `on_state` run on its thread."""

    def __init__(
        self,
        config: BrokerConfig,
        deliver: Deliver,
        on_state: StateListener | None = None,
        *,
        first_retry_s: float = FIRST_RETRY_S,
        max_retry_s: float = MAX_RETRY_S,
    ) -> None:
        self.config = config
        self._deliver = deliver
        self._on_state = on_state or (lambda _state, _detail: None)
        self._first_retry_s, self._max_retry_s = first_retry_s, max_retry_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self.state = LinkState.DISCONNECTED

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="moodline-board-mqtt", daemon=True)
        self._thread.start()
        self._started.wait(5)

    def stop(self, timeout: float = 5.0) -> None:
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        self._task = loop.create_task(self._follow())
        self._started.set()
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(self._task)
        loop.close()

    def _set_state(self, state: LinkState, detail: str = "") -> None:
        self.state = state
        self._on_state(state, detail)

    async def _follow(self) -> None:
        delay = self._first_retry_s
        while True:
            self._set_state(LinkState.CONNECTING, str(self.config.address))
            try:
                await self._session()
            except (aiomqtt.MqttError, OSError, ssl.SSLError, ValueError) as exc:
                if self.state == LinkState.CONNECTED:
                    delay = self._first_retry_s
                self._set_state(LinkState.DISCONNECTED, f"{exc}")
                log.warning(
                    "team broker %s unavailable (%s); retrying in %.1f s",
                    self.config.address,
                    exc,
                    delay,
                )
            await asyncio.sleep(delay * random.uniform(0.9, 1.1))
            delay = min(delay * 2, self._max_retry_s)

    def _client(self) -> aiomqtt.Client:
        credentials = self.config.credentials
        return aiomqtt.Client(
            self.config.address.host,
            self.config.address.port,
            username=credentials.username if credentials else None,
            password=credentials.password if credentials else None,
            identifier=f"moodline-board-{uuid.uuid4().hex[:12]}",
            clean_session=True,
            keepalive=KEEPALIVE_S,
            timeout=TIMEOUT_S,
            tls_context=self.config.tls_context(),
        )

    async def _session(self) -> None:
        team_id = self.config.team_id
        async with self._client() as client:
            granted = await client.subscribe(
                [(topic, SUBSCRIBE_QOS) for topic in subscriptions(team_id)]
            )
            refused = [g for g in granted if (g >= 0x80 if isinstance(g, int) else g.is_failure)]
            if refused:
                log.warning("team broker %s refused a subscription", self.config.address)
            self._deliver(Resync())  # the retained state follows from the broker
            self._set_state(LinkState.CONNECTED, str(self.config.address))
            async for message in client.messages:
                payload = message.payload
                data = payload if isinstance(payload, bytes) else str(payload or "").encode()
                try:
                    update = parse(team_id, str(message.topic), data)
                except Exception as exc:  # whatever a broker sends, the board keeps following
                    log.debug("ignored an MQTT message on %s: %r", message.topic, type(exc))
                    continue
                if update is not None:
                    self._deliver(update)
