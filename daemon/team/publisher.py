"""Publishes each conversation's newest state to the team's MQTT broker, beside scoring.

`observe` is called with every typed event the daemon publishes (on the event loop, by the
`EventHub`); it only records the newest payload per conversation topic in bounded dicts and wakes
the sender, so scoring and the API never wait for the broker. `run` connects (the last will says
`offline`), announces `online`, republishes every open conversation's newest state, then sends
what changes; `expired` clears the retained state of conversations the retention purge deleted.
TLS (mqtts://) verifies the broker with the system trust store or `team_ca_file`. A broker that
is down or refuses the credentials is retried with exponential backoff (capped); warnings name
the broker and the error, never a message's text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable

import aiomqtt

from moodline.daemon.alerts import AlertRules, AlertSettings
from moodline.daemon.events import ClosedEvent, CorrectedEvent, Event, ScoredEvent
from moodline.daemon.levels import Level
from moodline.daemon.results import ConversationState
from moodline.daemon.settings import BrokerAddress, Settings
from moodline.daemon.team import schema, topics
from moodline.daemon.team.probe import describe_error
from moodline.daemon.team.tls import TeamTlsError, make_context
from moodline.daemon.team_credentials import BrokerCredentials

log = logging.getLogger(__name__)

MAX_CONVERSATIONS = 1000  # newest state kept for at most this many open conversations
MAX_ALERTS = 200  # alerts waiting for the broker; the oldest are dropped beyond this
FIRST_RETRY_S = 0.5
MAX_RETRY_S = 30.0
PUBLISH_TIMEOUT_S = 10.0
KEEPALIVE_S = 30

CredentialsLoader = Callable[[], BrokerCredentials | None]


def _alert_settings(settings: Settings) -> AlertSettings:
    threshold = settings.team_alert_threshold
    return AlertSettings(
        threshold=None if threshold == "off" else Level(threshold),
        fast_drop=settings.alert_fast_drop,
        recovery=settings.alert_recovery,
    )


class TeamPublisher:
    """One agent's link to the team broker (see the module's docstring)."""

    def __init__(
        self,
        settings: Settings,
        load_credentials: CredentialsLoader,
        *,
        max_conversations: int = MAX_CONVERSATIONS,
        first_retry_s: float = FIRST_RETRY_S,
        max_retry_s: float = MAX_RETRY_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        address, team_id = settings.team_address, settings.team_id
        if address is None or team_id is None:
            raise ValueError("the team view is off: team_broker and team_id are not set")
        self.address: BrokerAddress = address
        self.team_id, self.agent = team_id, settings.team_agent
        self.status_topic = topics.status_topic(team_id, self.agent)
        self.alerts_topic = topics.alerts_topic(team_id)
        self._load_credentials = load_credentials
        self._tls_files = (
            settings.team_ca_file,
            settings.team_client_cert,
            settings.team_client_key,
        )
        self._tls: ssl.SSLContext | None = None
        self._max_conversations = max_conversations
        self._first_retry_s, self._max_retry_s = first_retry_s, max_retry_s
        self._clock = clock
        self._rules = AlertRules(_alert_settings(settings))
        self._scores: OrderedDict[str, deque[float]] = OrderedDict()  # conversation id → scores
        self._level_since: dict[str, tuple[Level, float]] = {}  # conversation id → level, since
        self._latest: OrderedDict[str, bytes] = OrderedDict()  # topic → open conversation's state
        self._dirty: OrderedDict[str, None] = OrderedDict()  # topics to (re)send, oldest first
        self._alerts: deque[bytes] = deque(maxlen=MAX_ALERTS)
        self._wake = asyncio.Event()
        self._stopping = False
        self.connected = False

    # Called by the EventHub, on the event loop: no I/O, no waiting ---------------------------

    def observe(self, event: Event) -> None:
        match event:
            case ScoredEvent():
                self._changed(event.result.state, scored=True)
            case CorrectedEvent():
                self._changed(event.state, scored=False)
            case ClosedEvent():
                self._closed(event.state)
            case _:
                return
        self._wake.set()

    def _changed(self, state: ConversationState, scored: bool) -> None:
        cid = state.conversation_id
        if not state.conversation.open:
            self._closed(state)
            return
        scores = self._scores.pop(cid, None) or deque(maxlen=schema.SPARKLINE_SCORES)
        if scored or not scores:
            scores.append(state.window.score)
        else:  # a correction moves the newest window score
            scores[-1] = state.window.score
        self._scores[cid] = scores
        topic = topics.conversation_topic(self.team_id, self.agent, cid)
        now = self._clock()
        self._latest.pop(topic, None)
        level = state.window.level
        known = self._level_since.get(cid)
        since = known[1] if known is not None and known[0] == level else now
        self._level_since[cid] = (level, since)
        self._latest[topic] = schema.conversation_payload(state, self.agent, scores, now, since)
        self._mark(topic)
        if scored:
            key = topics.conversation_key(cid)
            for alert in self._rules.observe(cid, state.window.level):
                self._alerts.append(schema.alert_payload(alert, state, self.agent, key, now))
        self._bound()

    def _closed(self, state: ConversationState) -> None:
        self._clear(state.conversation_id)

    def expired(self, conversation_ids: Iterable[str]) -> None:
        """The retention purge deleted these conversations: clear their retained state too (also
        of conversations from before this daemon started). On the event loop, no I/O."""
        for cid in conversation_ids:
            self._clear(cid)
        self._bound()
        self._wake.set()

    def _clear(self, cid: str) -> None:
        topic = topics.conversation_topic(self.team_id, self.agent, cid)
        self._scores.pop(cid, None)
        self._level_since.pop(cid, None)
        self._rules.forget(cid)
        self._latest.pop(topic, None)
        self._mark(topic)  # sent as the empty retained payload: the board forgets it

    def _mark(self, topic: str) -> None:
        self._dirty.pop(topic, None)
        self._dirty[topic] = None

    def _bound(self) -> None:
        """Forget the least recently updated conversations beyond the bound (their retained
        state stays on the broker until they change again)."""
        while len(self._latest) > self._max_conversations:
            topic, _ = self._latest.popitem(last=False)
            self._dirty.pop(topic, None)
        while len(self._scores) > self._max_conversations:
            cid, _ = self._scores.popitem(last=False)
            self._level_since.pop(cid, None)
            self._rules.forget(cid)
        while len(self._dirty) > 2 * self._max_conversations:  # clears of closed conversations
            self._dirty.popitem(last=False)

    @property
    def pending(self) -> int:
        """Conversation updates and alerts not yet handed to the broker."""
        return len(self._dirty) + len(self._alerts)

    # The sender: a background task on the same loop ------------------------------------------

    async def run(self) -> None:
        """Connect, publish, reconnect with backoff; until `stop` (or cancellation)."""
        try:
            credentials = await asyncio.to_thread(self._load_credentials)
        except Exception as exc:
            log.error("team view off: cannot read the team broker credentials: %s", exc)
            return
        if self.address.tls:
            try:
                self._tls = await asyncio.to_thread(make_context, *self._tls_files)
            except TeamTlsError as exc:
                log.error("team view off: %s", exc)
                return
        delay = self._first_retry_s
        while not self._stopping:
            try:
                await self._session(credentials)
                return
            except aiomqtt.MqttError as exc:
                if self.connected:  # a session that got connected retries from the start again
                    self.connected, delay = False, self._first_retry_s
                if self._stopping:
                    return
                log.warning(
                    "team broker %s unavailable: %s; retrying in %.1f s",
                    self.address,
                    describe_error(exc),
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_retry_s)

    def _client(self, credentials: BrokerCredentials | None) -> aiomqtt.Client:
        return aiomqtt.Client(
            self.address.host,
            self.address.port,
            username=credentials.username if credentials else None,
            password=credentials.password if credentials else None,
            identifier=f"moodline-{self.agent}-{uuid.uuid4().hex[:8]}",
            will=aiomqtt.Will(self.status_topic, schema.OFFLINE, qos=1, retain=True),
            keepalive=KEEPALIVE_S,
            timeout=PUBLISH_TIMEOUT_S,
            tls_context=self._tls,
        )

    async def _session(self, credentials: BrokerCredentials | None) -> None:
        async with self._client(credentials) as client:
            self.connected = True
            log.info("team view connected to %s as %s/%s", self.address, self.team_id, self.agent)
            await client.publish(self.status_topic, schema.ONLINE, qos=1, retain=True)
            for topic in self._latest:  # the broker may have lost what it retained
                if topic not in self._dirty:
                    self._dirty[topic] = None
            while True:
                await self._send_pending(client)
                if self._stopping:
                    with contextlib.suppress(aiomqtt.MqttError):
                        await client.publish(
                            self.status_topic, schema.OFFLINE, qos=1, retain=True, timeout=2.0
                        )
                    return
                await self._wake.wait()
                self._wake.clear()

    async def _send_pending(self, client: aiomqtt.Client) -> None:
        while self._dirty:
            topic = next(iter(self._dirty))
            self._dirty.pop(topic)
            payload = self._latest.get(topic, schema.CLEARED)
            try:
                await client.publish(topic, payload, qos=1, retain=True)
            except BaseException:
                if topic not in self._dirty:  # newer state marked meanwhile stays newest
                    self._dirty[topic] = None
                    self._dirty.move_to_end(topic, last=False)
                raise
        while self._alerts:
            alert = self._alerts.popleft()
            try:
                await client.publish(self.alerts_topic, alert, qos=1, retain=False)
            except BaseException:
                self._alerts.appendleft(alert)
                raise

    async def stop(self, task: asyncio.Task[None], timeout: float = 3.0) -> None:
        """Say `offline` (when connected) and end the sender task."""
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout if self.connected else 0.1)
        except (TimeoutError, asyncio.CancelledError, Exception):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
