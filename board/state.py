"""The team as the board knows it, without Qt: agents, their open conversations, worst first."""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from moodline.board.payloads import (
    AlertUpdate,
    ConversationPayload,
    ConversationUpdate,
    PresenceUpdate,
    Resync,
    TeamAlert,
    Update,
)

MAX_ALERTS = 200  # the alert feed keeps the newest this many


@dataclass(frozen=True)
class BoardConversation:
    """A conversation's newest state and since when it has been at its level."""

    state: ConversationPayload
    level_since: float  # epoch s, the agent's clock: the payload's `level_since`, or (older
    # daemons) the `updated_at` of the state that reached the level

    def time_at_level(self, now: float) -> float:
        """Seconds at the current level: from the payload's `level_since`; from a daemon that
        does not send it, for a conversation first seen in the retained state, at least since its
        last update."""
        return max(0.0, now - self.level_since)

    @property
    def order(self) -> tuple[int, float, str]:
        """Worst level first, then the longest at it."""
        return (self.state.level.rank, self.level_since, self.state.conversation_id)


class Row(NamedTuple):
    """One line on the board: an agent (`key` None) or one of its conversations."""

    agent: str
    key: str | None = None


AgentOrder = tuple[bool, tuple[float, float, str], str]


@dataclass
class Agent:
    name: str
    online: bool | None = None  # None: no presence seen yet (shown as online)
    conversations: dict[str, BoardConversation] = field(default_factory=dict)
    _ordered: list[BoardConversation] | None = None
    _rows: dict[str | None, tuple[AgentOrder, list[Row]] | None] = field(default_factory=dict)

    @property
    def offline(self) -> bool:
        return self.online is False

    def ordered(self) -> list[BoardConversation]:
        """The open conversations, worst first (cached until one changes)."""
        if self._ordered is None:
            self._ordered = sorted(self.conversations.values(), key=lambda c: c.order)
        return self._ordered

    def moved(self) -> None:
        """Its conversations' order, or its own place, may have changed."""
        self._ordered = None
        self._rows.clear()


@dataclass
class Change:
    """What one batch of updates changed."""

    rows: set[Row] = field(default_factory=set)  # rows whose shown values changed
    reordered: bool = False  # rows may have moved, appeared or gone
    alerts: list[TeamAlert] = field(default_factory=list)
    states: list[ConversationPayload] = field(default_factory=list)  # conversation states applied

    @property
    def empty(self) -> bool:
        return not (self.rows or self.reordered or self.alerts)


_NO_CONVERSATION = (math.inf, math.inf, "")


class TeamState:
    """Agents and their open conversations from the team's messages, in the order received."""

    def __init__(self, max_alerts: int = MAX_ALERTS) -> None:
        self.agents: dict[str, Agent] = {}
        self.alerts: deque[TeamAlert] = deque(maxlen=max_alerts)
        self._sites: Counter[str] = Counter()
        self._rows: dict[str | None, list[Row]] = {}  # site filter → rows, until reordered

    # Updates ---------------------------------------------------------------------------------

    def apply(self, updates: Iterable[Update]) -> Change:
        change = Change()
        for update in updates:
            match update:
                case ConversationUpdate(state=None):
                    self._clear(update.agent, update.key, change)
                case ConversationUpdate(state=ConversationPayload() as state):
                    self._update(state, change)
                case PresenceUpdate():
                    self._presence(update.agent, update.online, change)
                case AlertUpdate():
                    self.alerts.append(update.alert)
                    change.alerts.append(update.alert)
                case Resync():
                    self._reset(change)
        if change.reordered:
            self._rows.clear()
        return change

    def _agent(self, name: str, change: Change) -> Agent:
        agent = self.agents.get(name)
        if agent is None:
            agent = self.agents[name] = Agent(name)
            change.reordered = True
        return agent

    def _update(self, state: ConversationPayload, change: Change) -> None:
        agent = self._agent(state.agent, change)
        previous = agent.conversations.get(state.key)
        if previous is not None and previous.state.level == state.level:
            since = previous.level_since
        else:
            agent.moved()
            change.reordered = True
            since = state.updated_at
        if state.level_since is not None:  # the agent's daemon says when the level changed
            since = state.level_since
        if previous is not None and previous.state.site != state.site:
            self._forget_site(previous.state.site)
            agent.moved()
            change.reordered = True
        if previous is None or previous.state.site != state.site:
            self._sites[state.site] += 1
        agent.conversations[state.key] = BoardConversation(state, since)
        if agent._ordered is not None and previous is not None:  # same place, newer values
            agent._ordered = [
                agent.conversations[c.state.key] if c.state.key == state.key else c
                for c in agent._ordered
            ]
        change.rows.update((Row(state.agent, state.key), Row(state.agent)))
        change.states.append(state)

    def _clear(self, name: str, key: str, change: Change) -> None:
        agent = self.agents.get(name)
        previous = agent.conversations.pop(key, None) if agent else None
        if agent is None or previous is None:
            return
        self._forget_site(previous.state.site)
        agent.moved()
        change.reordered = True
        change.rows.add(Row(name))
        if not agent.conversations and agent.online is None:
            del self.agents[name]

    def _presence(self, name: str, online: bool, change: Change) -> None:
        agent = self._agent(name, change)
        if agent.online != online:
            agent.online = online
            agent.moved()
            change.reordered = True
            change.rows.add(Row(name))
            change.rows.update(Row(name, key) for key in agent.conversations)

    def _reset(self, change: Change) -> None:
        if self.agents:
            change.reordered = True
        self.agents.clear()
        self._sites.clear()

    def _forget_site(self, site: str) -> None:
        self._sites[site] -= 1
        if self._sites[site] <= 0:
            del self._sites[site]

    # Reading ---------------------------------------------------------------------------------

    def conversation(self, row: Row) -> BoardConversation | None:
        agent = self.agents.get(row.agent)
        return agent.conversations.get(row.key) if agent and row.key else None

    def sites(self) -> list[str]:
        """The sites of the open conversations, sorted."""
        return sorted(self._sites)

    @property
    def conversation_count(self) -> int:
        return sum(len(agent.conversations) for agent in self.agents.values())

    @property
    def online_count(self) -> int:
        return sum(1 for agent in self.agents.values() if not agent.offline)

    def visible(self, agent: Agent, site: str | None) -> list[BoardConversation]:
        ordered = agent.ordered()
        return ordered if site is None else [c for c in ordered if c.state.site == site]

    def rows(self, site: str | None = None) -> list[Row]:
        """Each agent then its open conversations, worst first: online agents by their worst
        conversation (level, then time at it), then agents with none, then offline agents.
        With a site, only that site's conversations and the agents who have one."""
        cached = self._rows.get(site)
        if cached is not None:
            return cached
        listed: list[tuple[AgentOrder, list[Row]]] = []
        for agent in self.agents.values():
            if site not in agent._rows:  # each agent's own rows are kept until it moves
                agent._rows[site] = self._agent_rows(agent, site)
            entry = agent._rows[site]
            if entry is not None:
                listed.append(entry)
        listed.sort(key=itemgetter(0))
        rows = list(chain.from_iterable(agent_rows for _, agent_rows in listed))
        self._rows[site] = rows
        return rows

    def _agent_rows(self, agent: Agent, site: str | None) -> tuple[AgentOrder, list[Row]] | None:
        shown = self.visible(agent, site)
        if site is not None and not shown:
            return None
        worst = shown[0].order if shown else _NO_CONVERSATION
        rows = [Row(agent.name), *(Row(agent.name, c.state.key) for c in shown)]
        return (agent.offline, worst, agent.name), rows
