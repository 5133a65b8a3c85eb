"""The board's model of the team without Qt or a broker: payload validation (schema v1 only),
worst-first ordering, time at level, presence, cleared conversations, site filter, resync."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from moodline.board.payloads import (
    AlertUpdate,
    ConversationUpdate,
    InvalidPayloadError,
    PresenceUpdate,
    Resync,
    conversation_payload,
    parse,
    subscriptions,
)
from moodline.board.state import Row, TeamState
from moodline.board.text import duration_text
from moodline.daemon.levels import Level
from moodline.daemon.team.topics import conversation_key, conversation_topic, status_topic

TEAM = "support-eu"


def state_payload(
    agent: str,
    cid: str,
    level: str = "neutral",
    *,
    site: str = "chatwoot",
    updated_at: float = 1000.0,
    scores: list[float] | None = None,
    **extra: object,
) -> bytes:
    body: dict[str, object] = {
        "v": 1,
        "agent": agent,
        "conversation_id": cid,
        "site": site,
        "level": level,
        "score": -0.4,
        "lowest_level": level,
        "trend": "steady",
        "customer_messages": 3,
        "scores": scores if scores is not None else [0.1, -0.2, -0.4],
        "opened_at": 900.0,
        "updated_at": updated_at,
        "open": True,
        "published_at": updated_at + 0.1,
    }
    body.update(extra)
    return json.dumps(body).encode()


def conversation(agent: str, cid: str, level: str = "neutral", **kw: Any) -> ConversationUpdate:
    payload = state_payload(agent, cid, level, **kw)
    update = parse(TEAM, conversation_topic(TEAM, agent, cid), payload)
    assert isinstance(update, ConversationUpdate) and update.state is not None
    return update


def cleared(agent: str, cid: str) -> ConversationUpdate:
    update = parse(TEAM, conversation_topic(TEAM, agent, cid), b"")
    assert update == ConversationUpdate(agent, conversation_key(cid), None)
    return update


def presence(agent: str, online: bool) -> PresenceUpdate:
    update = parse(TEAM, status_topic(TEAM, agent), b"online" if online else b"offline")
    assert isinstance(update, PresenceUpdate)
    return update


def shown(team: TeamState, site: str | None = None) -> list[tuple[str, str | None]]:
    """The rows as (agent, conversation id or None)."""
    result = []
    for row in team.rows(site):
        found = team.conversation(row)
        result.append((row.agent, found.state.conversation_id if found else None))
    return result


def test_subscriptions_cover_presence_conversations_and_alerts() -> None:
    assert subscriptions(TEAM) == [
        "moodline/v1/support-eu/agents/+/status",
        "moodline/v1/support-eu/agents/+/conversations/+",
        "moodline/v1/support-eu/alerts",
    ]


@pytest.mark.parametrize(
    ("topic", "payload"),
    [
        (conversation_topic(TEAM, "ann", "c1"), b"{not json"),
        (conversation_topic(TEAM, "ann", "c1"), b"[1, 2]"),
        (conversation_topic(TEAM, "ann", "c1"), state_payload("ann", "c1", v=2)),
        (conversation_topic(TEAM, "ann", "c1"), state_payload("ann", "c1", level="furious")),
        (conversation_topic(TEAM, "ann", "c1"), state_payload("ann", "c1", score="bad")),
        (conversation_topic(TEAM, "ann", "c1"), state_payload("ann", "c1", scores=[0.1] * 21)),
        (conversation_topic(TEAM, "ann", "c1"), state_payload("ann", "c1", customer_messages=-1)),
        (conversation_topic(TEAM, "ann", "c1"), state_payload("ann", "c1", open=False)),
        (conversation_topic(TEAM, "ann", "c1"), state_payload("bob", "c1")),  # another agent's
        (conversation_topic(TEAM, "ann", "c1"), state_payload("ann", "c2")),  # key mismatch
        (conversation_topic(TEAM, "ann", "c1"), b"\xff\xfe"),
        (status_topic(TEAM, "ann"), b"away"),
        (status_topic("other-team", "ann"), b"online"),
        (f"moodline/v1/{TEAM}/alerts", b'{"v": 1, "agent": "ann"}'),
        (f"moodline/v1/{TEAM}/agents/ann/other", b"x"),
    ],
)
def test_anything_but_schema_v1_is_ignored_with_a_debug_log(
    topic: str, payload: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="moodline.board.payloads"):
        assert parse(TEAM, topic, payload) is None
    assert "ignored an MQTT message on" in caplog.text
    if len(payload) > 8:  # the log names the topic and the reason, never the payload
        assert payload.decode("utf-8", "replace") not in caplog.text


def test_an_alert_is_read_and_knows_whether_it_notifies() -> None:
    body = {
        "v": 1,
        "agent": "ann",
        "conversation_id": "c1",
        "conversation_key": conversation_key("c1"),
        "site": "chatwoot",
        "kind": "threshold",
        "level": "negative",
        "previous_level": "neutral",
        "score": -0.42,
        "at": 1000.0,
    }
    update = parse(TEAM, f"moodline/v1/{TEAM}/alerts", json.dumps(body).encode())
    assert isinstance(update, AlertUpdate)
    alert = update.alert
    assert alert.notifies(Level.NEGATIVE) and alert.notifies(Level.SLIGHTLY_NEGATIVE)
    assert not alert.notifies(Level.VERY_NEGATIVE) and not alert.notifies(None)
    recovery = parse(
        TEAM,
        f"moodline/v1/{TEAM}/alerts",
        json.dumps({**body, "kind": "recovery", "level": "neutral"}).encode(),
    )
    assert isinstance(recovery, AlertUpdate) and not recovery.alert.notifies(Level.NEGATIVE)
    team = TeamState(max_alerts=2)
    change = team.apply([update, update, update])
    assert len(change.alerts) == 3 and len(team.alerts) == 2


def test_agents_and_conversations_worst_first_then_longest_at_the_level() -> None:
    team = TeamState()
    team.apply(
        [
            presence("ann", True),
            presence("bob", True),
            presence("cy", True),
            conversation("ann", "a-happy", "positive", updated_at=100),
            conversation("ann", "a-neg-new", "negative", updated_at=500),
            conversation("bob", "b-neg-old", "negative", updated_at=200),
            conversation("bob", "b-neutral", "neutral", updated_at=50),
        ]
    )
    assert shown(team) == [
        ("bob", None),
        ("bob", "b-neg-old"),  # negative for longer than ann's negative chat
        ("bob", "b-neutral"),
        ("ann", None),
        ("ann", "a-neg-new"),
        ("ann", "a-happy"),
        ("cy", None),  # online, no open chats
    ]
    # A live update that makes ann's happy chat very negative moves ann to the top.
    change = team.apply([conversation("ann", "a-happy", "very_negative", updated_at=600)])
    assert change.reordered and Row("ann", conversation_key("a-happy")) in change.rows
    assert shown(team)[:3] == [("ann", None), ("ann", "a-happy"), ("ann", "a-neg-new")]


def test_time_at_level_counts_from_the_update_that_reached_it() -> None:
    team = TeamState()
    team.apply([conversation("ann", "c1", "negative", updated_at=100)])
    team.apply([conversation("ann", "c1", "negative", updated_at=160, score=-0.5)])
    change = team.apply([conversation("ann", "c1", "negative", updated_at=170)])
    assert not change.reordered and change.rows  # same level: values change, order does not
    found = team.conversation(Row("ann", conversation_key("c1")))
    assert found is not None and found.time_at_level(now=400) == 300
    assert found.time_at_level(now=50) == 0  # another machine's clock ahead: never negative
    team.apply([conversation("ann", "c1", "very_negative", updated_at=300)])
    found = team.conversation(Row("ann", conversation_key("c1")))
    assert found is not None and found.time_at_level(now=400) == 100
    assert [duration_text(s) for s in (42, 125, 3600 + 5 * 60)] == ["42 s", "2 min", "1 h 05 min"]


def test_offline_agents_go_last_and_cleared_conversations_go() -> None:
    team = TeamState()
    team.apply(
        [
            conversation("ann", "a1", "very_negative"),
            conversation("bob", "b1", "neutral"),
            presence("bob", True),
        ]
    )
    assert [a for a, c in shown(team) if c is None] == ["ann", "bob"]
    change = team.apply([presence("ann", False)])
    assert change.reordered and team.agents["ann"].offline
    assert [a for a, c in shown(team) if c is None] == ["bob", "ann"]
    assert team.online_count == 1 and team.conversation_count == 2
    team.apply([cleared("bob", "b1"), cleared("bob", "never-seen")])
    assert shown(team) == [("bob", None), ("ann", None), ("ann", "a1")]
    team.apply([cleared("ann", "a1")])
    assert shown(team) == [("bob", None), ("ann", None)]  # presence known: still listed
    team.apply([conversation("dee", "d1"), cleared("dee", "d1")])
    assert "dee" not in team.agents  # known only by a conversation that is gone


def test_site_filter_and_sites() -> None:
    team = TeamState()
    team.apply(
        [
            conversation("ann", "a1", "negative", site="zammad"),
            conversation("ann", "a2", "very_negative", site="chatwoot"),
            conversation("bob", "b1", "neutral", site="zammad"),
        ]
    )
    assert team.sites() == ["chatwoot", "zammad"]
    assert shown(team, "zammad") == [("ann", None), ("ann", "a1"), ("bob", None), ("bob", "b1")]
    assert shown(team, "chatwoot") == [("ann", None), ("ann", "a2")]
    team.apply([conversation("ann", "a2", "very_negative", site="zammad")])
    assert team.sites() == ["zammad"] and shown(team, "chatwoot") == []


def test_a_resync_starts_from_the_retained_state_again() -> None:
    team = TeamState()
    team.apply([conversation("ann", "a1"), presence("ann", True)])
    assert team.conversation_count == 1
    change = team.apply([Resync(), conversation("bob", "b1")])  # on every (re)subscription
    assert change.reordered and list(team.agents) == ["bob"] and team.sites() == ["chatwoot"]


def test_time_at_level_comes_from_the_daemons_level_since_when_it_sends_one() -> None:
    team = TeamState()  # a supervisor opening the board mid-shift: the first state seen is retained
    team.apply([conversation("ann", "c1", "negative", updated_at=500, level_since=120)])
    found = team.conversation(Row("ann", conversation_key("c1")))
    assert found is not None and found.time_at_level(now=600) == 480
    bad = state_payload("ann", "c2", level_since="x")
    assert parse(TEAM, conversation_topic(TEAM, "ann", "c2"), bad) is None  # ignored, not shown
    with pytest.raises(InvalidPayloadError, match="level_since"):
        conversation_payload("ann", conversation_key("c2"), bad)
