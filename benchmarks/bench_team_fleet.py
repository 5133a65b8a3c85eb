"""The team view at scale through a real Mosquitto: a simulated fleet, the real board, one agent's
publishing cost. Prints figures; not a test.

1. The fleet: 1,000 agents × 3 open conversations publish their retained presence and states
   (schema v1, as `daemon/team/schema.py` writes them). The fleet is simulated over a few MQTT
   connections (`--connections`, default 4), each publishing on many agents' topics: 1,000 client
   connections would be heavy for this 2-core machine and change nothing the board sees (it
   reads topics, not connections); the broker still routes 1,000 agents' topics.
2. The board: `moodline board`'s real subscriber, model and Qt window (offscreen), in its own
   process, starts from the 3,000 retained conversations (time until all are in the view;
   target < 2 s), then follows `--rate` state updates/s (default 200) for `--seconds` (default 60):
   broker-to-screen latency p50/p95/max = when the board applied the batch holding an update to
   its model and view − the update's `published_at` (target p95 < 200 ms); lost updates = the
   conversations whose last state on the board differs from the one last published (target 0);
   the board process's CPU over the live phase, % of one core (target < 25 %).
3. One agent daemon's publishing cost: `TeamPublisher.observe` per state and the CPU of observing
   and sending each message to the broker, for `--publisher-conversations` (default 1,000) open
   conversations updated `--publisher-rounds` times (target < 1 ms per message); memory held by
   the publisher for them, by tracemalloc (target < 5 MB).

Run: python -m benchmarks.bench_team_fleet [--seconds 60] [--rate 200] [--agents 1000]
         [--per-agent 3] [--connections 4] [--interval-ms 100] [--skip-board] [--skip-publisher]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiomqtt
import psutil

from moodline.daemon.levels import Level, level_for_score
from moodline.daemon.team.topics import (
    alerts_topic,
    conversation_key,
    conversation_topic,
    status_topic,
)
from moodline.daemon.trend import trend_of
from tests.support.mosquitto import Mosquitto

TEAM = "fleet"
SITES = ("chatwoot", "zammad", "rocketchat", "helpdesk", "webchat")
QUIET = logging.getLogger("bench-fleet-mqtt")
QUIET.setLevel(logging.ERROR)  # aiomqtt warns about many pending publishes: expected here


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# The fleet -----------------------------------------------------------------------------------


class Fleet:
    """Many agents' topics published over a few connections; remembers the last state of each."""

    def __init__(self, port: int, agents: int, per_agent: int, connections: int) -> None:
        self.port, self.connections = port, connections
        self.agents = [f"agent-{number:04d}" for number in range(agents)]
        self.connection_of = {agent: n % connections for n, agent in enumerate(self.agents)}
        self.conversations = [
            (agent, f"{SITES[a % len(SITES)]}:{a}-{c}")
            for a, agent in enumerate(self.agents)
            for c in range(per_agent)
        ]
        self.rng = random.Random(14)
        self.scores: dict[tuple[str, str], list[float]] = {}
        self.last: dict[str, tuple[int, str, float]] = {}  # "agent/key" → messages, level, score
        self.clients: list[aiomqtt.Client] = []

    async def __aenter__(self) -> Fleet:
        for number in range(self.connections):
            client = aiomqtt.Client(
                "127.0.0.1",
                self.port,
                identifier=f"fleet-{number}-{uuid.uuid4().hex[:6]}",
                logger=QUIET,
                max_inflight_messages=100,
            )
            await client.__aenter__()
            self.clients.append(client)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for client in self.clients:
            await client.__aexit__(None, None, None)

    def _client(self, agent: str) -> aiomqtt.Client:
        return self.clients[self.connection_of[agent]]

    def state(self, agent: str, cid: str) -> tuple[str, bytes]:
        """The next state of one conversation (a random walk of its window score)."""
        scores = self.scores.setdefault((agent, cid), [])
        previous = scores[-1] if scores else self.rng.uniform(-0.3, 0.3)
        score = round(max(-1.0, min(1.0, previous + self.rng.gauss(0, 0.25))), 4)
        scores.append(score)
        del scores[:-20]
        level = level_for_score(score)
        now = time.time()
        body = {
            "v": 1,
            "agent": agent,
            "conversation_id": cid,
            "site": cid.split(":", 1)[0],
            "level": level.value,
            "score": score,
            "lowest_level": min((level_for_score(s) for s in scores), key=lambda lv: lv.rank).value,
            "trend": trend_of(scores).value,
            "customer_messages": self._count(agent, cid) + 1,
            "scores": list(scores),
            "opened_at": now - 300,
            "updated_at": now,
            "open": True,
            "published_at": now,
        }
        key = f"{agent}/{conversation_key(cid)}"
        self.last[key] = (int(str(body["customer_messages"])), level.value, score)
        return conversation_topic(TEAM, agent, cid), json.dumps(body).encode()

    def _count(self, agent: str, cid: str) -> int:
        found = self.last.get(f"{agent}/{conversation_key(cid)}")
        return found[0] if found else 0

    async def _send_all(self, messages: list[tuple[str, str, bytes, bool]]) -> None:
        """Each connection sends its agents' messages in order, the connections side by side."""
        queues: dict[int, list[tuple[str, bytes, bool]]] = {}
        for agent, topic, payload, retain in messages:
            queues.setdefault(self.connection_of[agent], []).append((topic, payload, retain))

        async def send(index: int, items: list[tuple[str, bytes, bool]]) -> None:
            for topic, payload, retain in items:
                await self.clients[index].publish(topic, payload, qos=1, retain=retain)

        await asyncio.gather(*(send(i, items) for i, items in queues.items()))

    async def publish_retained(self) -> None:
        messages = [(a, status_topic(TEAM, a), b"online", True) for a in self.agents]
        for agent, cid in self.conversations:
            topic, payload = self.state(agent, cid)
            messages.append((agent, topic, payload, True))
        await self._send_all(messages)

    async def drive(self, rate: float, seconds: float) -> dict[str, float]:
        """`rate` state updates a second (and one alert a second) for `seconds`."""
        pending: set[asyncio.Task[None]] = set()
        sent = alerts = 0
        started = time.perf_counter()
        next_alert = started + 1.0
        while (elapsed := time.perf_counter() - started) < seconds:
            due = rate * elapsed - sent
            for _ in range(int(due)):
                agent, cid = self.rng.choice(self.conversations)
                topic, payload = self.state(agent, cid)
                task = asyncio.create_task(
                    self._client(agent).publish(topic, payload, qos=1, retain=True)
                )
                pending.add(task)
                task.add_done_callback(pending.discard)
                sent += 1
            if time.perf_counter() >= next_alert:
                next_alert += 1.0
                agent, cid = self.rng.choice(self.conversations)
                await self._client(agent).publish(alerts_topic(TEAM), self._alert(agent, cid))
                alerts += 1
            await asyncio.sleep(0.005)
        await asyncio.gather(*pending)
        took = time.perf_counter() - started
        return {"updates_sent": sent, "alerts_sent": alerts, "rate": round(sent / took, 1)}

    def _alert(self, agent: str, cid: str) -> bytes:
        return json.dumps(
            {
                "v": 1,
                "agent": agent,
                "conversation_id": cid,
                "conversation_key": conversation_key(cid),
                "site": cid.split(":", 1)[0],
                "kind": "threshold",
                "level": "negative",
                "previous_level": "neutral",
                "score": -0.4,
                "at": time.time(),
            }
        ).encode()


# The board, in its own process ---------------------------------------------------------------


def board_child(args: argparse.Namespace) -> int:
    """Runs the real board offscreen; prints `shown` once all retained conversations are in the
    view; on `start`/`stop` lines on stdin measures the live phase; writes results to --out."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication

    from moodline.board.app import build_board
    from moodline.board.state import Change
    from moodline.board.subscriber import BrokerConfig
    from moodline.daemon.settings import parse_broker_url

    app = QApplication(sys.argv[:1])
    config = BrokerConfig(parse_broker_url(f"mqtt://127.0.0.1:{args.port}"), TEAM)
    board = build_board(config, Level.NEGATIVE, interval_ms=args.interval_ms)
    window, model = board.window, board.window.model
    expected_rows = args.expect + args.agents
    latencies: list[float] = []
    phase: dict[str, float] = {}
    counts = {"batches": 0, "alerts": 0}
    began = time.perf_counter()

    def on_batch(change: Change, applied_at: float) -> None:
        if "shown" not in phase and model.rowCount() >= expected_rows:
            phase["shown"] = time.perf_counter() - began
            since_exec = time.time() - psutil.Process().create_time()
            print(json.dumps({"shown_s": phase["shown"], "process_s": since_exec}), flush=True)
        if "cpu" in phase:
            counts["batches"] += 1
            counts["alerts"] += len(change.alerts)
            latencies.extend(applied_at - s.published_at for s in change.states)

    def on_command() -> None:
        line = sys.stdin.readline().strip()
        if line == "start":
            phase["cpu"], phase["wall"] = time.process_time(), time.perf_counter()
        elif line in ("stop", ""):
            cpu = time.process_time() - phase.get("cpu", 0.0)
            wall = time.perf_counter() - phase.get("wall", began)
            final = {
                f"{agent.name}/{key}": [
                    c.state.customer_messages,
                    c.state.level.value,
                    c.state.score,
                ]
                for agent in window.state.agents.values()
                for key, c in agent.conversations.items()
            }
            result = {
                "latencies": latencies,
                "cpu_percent": 100 * cpu / wall if wall else math.nan,
                "wall_s": wall,
                "rss_mb": psutil.Process().memory_info().rss / 2**20,
                "final": final,
                "rows": model.rowCount(),
                **counts,
            }
            Path(args.out).write_text(json.dumps(result))
            app.quit()

    window.batchApplied.connect(on_batch)
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_command)
    began = time.perf_counter()
    board.start()
    code = app.exec()
    board.stop()
    return code


@contextmanager
def broker_running(root: Path) -> Iterator[Mosquitto]:
    mosquitto = Mosquitto(root / "broker", free_port())
    mosquitto.start()
    try:
        yield mosquitto
    finally:
        mosquitto.stop()


async def measure_board(args: argparse.Namespace, broker: Mosquitto, root: Path) -> dict[str, Any]:
    async with Fleet(broker.port, args.agents, args.per_agent, args.connections) as fleet:
        started = time.perf_counter()
        await fleet.publish_retained()
        retained_s = time.perf_counter() - started
        out = root / "board.json"
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_team_fleet",
                "--board-child",
                "--port",
                str(broker.port),
                "--expect",
                str(len(fleet.conversations)),
                "--agents",
                str(args.agents),
                "--interval-ms",
                str(args.interval_ms),
                "--out",
                str(out),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            shown = json.loads(await asyncio.to_thread(child.stdout.readline))
            await asyncio.sleep(1.0)  # the start-up's last repaint settles
            child.stdin.write("start\n")
            child.stdin.flush()
            print(f"board shown; driving {args.rate}/s for {args.seconds} s ...", file=sys.stderr)
            driven = await fleet.drive(args.rate, args.seconds)
            await asyncio.sleep(2.0)  # the last updates reach the board
            child.stdin.write("stop\n")
            child.stdin.flush()
            await asyncio.to_thread(child.wait, 30)
        finally:
            if child.poll() is None:
                child.kill()
        board = json.loads(out.read_text())
        final: dict[str, list[Any]] = board["final"]
        lost = sum(
            1
            for key, (messages, level, score) in fleet.last.items()
            if final.get(key) != [messages, level, score]
        )
        latencies_ms = [1000 * s for s in board["latencies"]]
        return {
            "retained_conversations": len(fleet.conversations),
            "agents": args.agents,
            "fleet_connections": args.connections,
            "retained_published_s": round(retained_s, 2),
            "board_all_shown_s": round(shown["shown_s"], 3),
            "board_process_start_to_all_shown_s": round(shown["process_s"], 3),
            "updates_published": driven["updates_sent"],
            "update_rate_per_s": driven["rate"],
            "updates_applied": len(latencies_ms),
            "alerts_published": driven["alerts_sent"],
            "alerts_received": board["alerts"],
            "latency_ms_p50": round(percentile(latencies_ms, 0.5), 1),
            "latency_ms_p95": round(percentile(latencies_ms, 0.95), 1),
            "latency_ms_max": round(max(latencies_ms, default=math.nan), 1),
            "lost_conversations": lost,
            "board_rows": board["rows"],
            "board_batches": board["batches"],
            "board_cpu_percent_of_one_core": round(board["cpu_percent"], 1),
            "board_rss_mb": round(board["rss_mb"], 1),
        }


# One agent daemon's publisher ----------------------------------------------------------------


def scored_events(conversations: int, rounds: int) -> list[list[Any]]:
    """Real `ScoredEvent`s as the daemon's service returns them, every conversation updated each
    round with a new window score (some cross the threshold: alerts are made and sent too)."""
    from moodline.daemon.events import ScoredEvent
    from moodline.daemon.results import (
        Conversation,
        ConversationSource,
        ConversationState,
        IngestResult,
    )
    from moodline.daemon.scoring.window import WindowState

    rng = random.Random(5)
    scores = [0.0] * conversations
    result = []
    for round_number in range(rounds):
        events = []
        for number in range(conversations):
            scores[number] = max(-1.0, min(1.0, scores[number] + rng.gauss(0, 0.3)))
            level = level_for_score(scores[number])
            conversation = Conversation(
                f"zammad:{number}",
                ConversationSource("zammad", "https://desk.example/t/1", "Chat with a customer"),
                time.time() - 600,
                time.time(),
                None,
                level,
                scores[number],
                False,
                Level.VERY_NEGATIVE if scores[number] < -0.55 else level,
                round_number + 1,
                customer_message_count=round_number + 1,
            )
            state = ConversationState(conversation, WindowState(level, scores[number], False))
            events.append(ScoredEvent(IngestResult(state, stored=1, duplicates=0)))
        result.append(events)
    return result


async def run_publisher(port: int, events: list[list[Any]], trace_memory: bool) -> dict[str, float]:
    from moodline.daemon.settings import Settings
    from moodline.daemon.team.publisher import TeamPublisher

    settings = Settings(
        team_broker=f"mqtt://127.0.0.1:{port}", team_id=TEAM, team_agent="bench-agent"
    )
    publisher = TeamPublisher(settings, lambda: None)
    task = asyncio.create_task(publisher.run())
    while not publisher.connected:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    if trace_memory:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
    observe_us: list[float] = []
    cpu, wall = time.process_time(), time.perf_counter()
    for round_events in events:
        for event in round_events:
            began = time.perf_counter()
            publisher.observe(event)
            observe_us.append(1e6 * (time.perf_counter() - began))
        while publisher.pending:
            await asyncio.sleep(0.001)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    figures: dict[str, float] = {}
    if trace_memory:
        held = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        figures["publisher_memory_mb"] = round(held / 2**20, 2)
    messages = sum(len(r) for r in events)
    figures.update(
        {
            "publisher_messages": messages,
            "observe_us_p50": round(statistics.median(observe_us), 1),
            "observe_us_p95": round(percentile(observe_us, 0.95), 1),
            "cpu_ms_per_message": round(1000 * cpu / messages, 3),
            "wall_ms_per_message": round(1000 * wall / messages, 3),
        }
    )
    await publisher.stop(task)
    return figures


async def measure_publisher(args: argparse.Namespace, broker: Mosquitto) -> dict[str, float]:
    events = scored_events(args.publisher_conversations, args.publisher_rounds)
    timing = await run_publisher(broker.port, events, trace_memory=False)
    memory_events = scored_events(args.publisher_conversations, 1)
    memory = await run_publisher(broker.port, memory_events, trace_memory=True)
    return {
        **timing,
        "publisher_conversations": args.publisher_conversations,
        "publisher_memory_mb": memory["publisher_memory_mb"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=200.0, help="state updates per second")
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--per-agent", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4, help="the fleet's MQTT connections")
    parser.add_argument("--interval-ms", type=int, default=100, help="the board's batching")
    parser.add_argument("--publisher-conversations", type=int, default=1000)
    parser.add_argument("--publisher-rounds", type=int, default=5)
    parser.add_argument("--skip-board", action="store_true")
    parser.add_argument("--skip-publisher", action="store_true")
    parser.add_argument("--board-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--expect", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.board_child:
        return board_child(args)
    results: dict[str, Any] = {"cores": psutil.cpu_count()}
    with tempfile.TemporaryDirectory() as folder, broker_running(Path(folder)) as broker:
        if not args.skip_board:
            results["board"] = asyncio.run(measure_board(args, broker, Path(folder)))
        if not args.skip_publisher:
            results["publisher"] = asyncio.run(measure_publisher(args, broker))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
