"""SentimentService: the daemon's logic (ingest, history, corrections), free of web frameworks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from moodline.daemon.api_models import ChatMessage, MessagesRequest
from moodline.daemon.export import export_lines
from moodline.daemon.levels import Level
from moodline.daemon.results import (
    Conversation,
    ConversationDetail,
    ConversationState,
    IngestResult,
    ScoredMessage,
)
from moodline.daemon.scoring.head import LinearHead
from moodline.daemon.scoring.scorer import Assessment, MessageScorer, NotScored
from moodline.daemon.scoring.window import NEUTRAL_START, WindowConfig, WindowState, aggregate
from moodline.daemon.store.filters import ConversationFilter
from moodline.daemon.store.history import HistoryStore, NewMessage

__all__ = ["IngestResult", "NotFoundError", "SentimentService"]


class NotFoundError(LookupError):
    """The conversation or message does not exist."""


class SentimentService:
    """All of the daemon's state changes. Not thread-safe by design: call it from one thread."""

    def __init__(
        self,
        store: HistoryStore,
        scorer: MessageScorer,
        window: WindowConfig,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.scorer = scorer
        self.window = window
        self.clock = clock
        self._owner: int | None = None

    def _check_thread(self) -> None:
        ident = threading.get_ident()
        if self._owner is None:
            self._owner = ident
        elif self._owner != ident:
            raise RuntimeError("SentimentService used from two threads")

    def configure(self, window: WindowConfig, uncertain_below: float) -> None:
        """Use new window settings and "can't tell" threshold from the next message on."""
        self._check_thread()
        self.window = window
        self.scorer.uncertain_below = uncertain_below

    def use_head(self, head: LinearHead) -> None:
        """Score the next messages with `head` (the encoder stays)."""
        self._check_thread()
        self.scorer.head = head

    def ingest(self, request: MessagesRequest) -> IngestResult:
        """Store new messages (known ids are ignored), score customer ones, update the state."""
        return self.ingest_many([request])[0]

    def ingest_many(self, requests: list[MessagesRequest]) -> list[IngestResult]:
        """`ingest` for several requests at once: one encoder batch, one transaction each."""
        self._check_thread()
        seen: dict[str, set[str]] = {}
        plans: list[list[ChatMessage]] = []
        for request in requests:
            already = seen.setdefault(request.conversation_id, set())
            fresh = []
            for message in request.messages:
                if message.id not in already:
                    already.add(message.id)
                    fresh.append(message)
            known = self.store.known_message_ids(request.conversation_id, [m.id for m in fresh])
            plans.append([m for m in fresh if m.id not in known])
        customer = [m for plan in plans for m in plan if m.role == "customer"]
        batch = self.scorer.assess_many([m.text for m in customer]) if customer else []
        scores = {id(m): s for m, s in zip(customer, batch, strict=True)}
        return [
            self._write(request, plan, scores)
            for request, plan in zip(requests, plans, strict=True)
        ]

    def _write(
        self,
        request: MessagesRequest,
        new: list[ChatMessage],
        scores: dict[int, Assessment],
    ) -> IngestResult:
        conversation_id = request.conversation_id
        now = self.clock()
        scored: list[ScoredMessage] = []
        source = request.source.model_dump() if request.source else {}
        with self.store.transaction():
            self.store.ensure_conversation(conversation_id, source, now)
            previous = self._current_level(conversation_id)
            for message in new:
                score = scores.get(id(message))
                stored = NewMessage(
                    message_id=message.id, role=message.role, text=message.text, ts=message.ts
                )
                self.store.add_message(conversation_id, stored, score, now)
                if isinstance(score, NotScored):  # stored, but it does not move the level
                    scored.append(ScoredMessage(message.id, score))
                    continue
                if score is None:
                    continue
                state = aggregate(
                    self.store.window_items(conversation_id, self.window.size),
                    previous,
                    self.window,
                )
                self.store.add_window_state(conversation_id, message.id, state, now)
                self.store.set_state(conversation_id, state, now)
                previous = state.level
                scored.append(ScoredMessage(message.id, score))
        return IngestResult(
            state=self.state(conversation_id),
            stored=len(new),
            duplicates=len(request.messages) - len(new),
            scored=tuple(scored),
        )

    def _current_level(self, conversation_id: str) -> Level:
        row = self.store.conversation(conversation_id)
        return row.level if row else Level.NEUTRAL

    def state(self, conversation_id: str) -> ConversationState:
        """Current state: level, score, the window with contributions, and metadata."""
        conversation = self.store.conversation(conversation_id)
        if conversation is None:
            raise NotFoundError(conversation_id)
        timeline = self.store.timeline(conversation_id, last_only=True)
        window = timeline[-1].state if timeline else NEUTRAL_START
        return ConversationState(conversation, window)

    def conversation_detail(self, conversation_id: str) -> ConversationDetail:
        """State plus the full timeline of window states and every message."""
        state = self.state(conversation_id)
        return ConversationDetail(
            state=state,
            timeline=tuple(self.store.timeline(conversation_id)),
            messages=tuple(self.store.messages(conversation_id)),
        )

    def conversations(
        self,
        status: str = "open",
        since: float | None = None,
        limit: int = 100,
        site: str | None = None,
        until: float | None = None,
        reached: Level | None = None,
    ) -> list[Conversation]:
        """Conversations active in [since, until), newest first (see `ConversationFilter`)."""
        which = ConversationFilter(status, since, until, site, reached)
        return self.store.find_conversations(which, limit, self.clock())

    def export(
        self,
        fmt: str,
        since: float | None = None,
        until: float | None = None,
        site: str | None = None,
        reached: Level | None = None,
    ) -> list[str]:
        """The export's lines: messages received in [since, until) of the conversations on
        `site` whose lowest level reached `reached` or worse (any when None)."""
        which = ConversationFilter("all", site=site, reached=reached)
        return list(export_lines(self.store, fmt, since, until, which))

    def close(self, conversation_id: str) -> ConversationState:
        with self.store.transaction():
            if self.store.conversation(conversation_id) is None:
                raise NotFoundError(conversation_id)
            self.store.close_conversation(conversation_id, self.clock())
        return self.state(conversation_id)

    def correct(
        self, conversation_id: str, message_id: str, label: str | None
    ) -> ConversationState:
        """Store (or with label None, undo) an agent's correction and re-aggregate the window."""
        self._check_thread()
        now = self.clock()
        with self.store.transaction():
            message = self.store.message(conversation_id, message_id)
            if message is None or message.role != "customer":
                raise NotFoundError(f"{conversation_id}/{message_id}")
            if label is None:
                self.store.remove_correction(conversation_id, message_id)
            else:
                self.store.set_correction(conversation_id, message_id, label, message.text, now)
            state: WindowState = aggregate(
                self.store.window_items(conversation_id, self.window.size),
                self._current_level(conversation_id),
                self.window,
            )
            self.store.add_window_state(conversation_id, message_id, state, now)
            self.store.set_state(conversation_id, state, now)
        return self.state(conversation_id)

    def purge(self, retention_days: int, corrections_retention_days: int) -> dict[str, int]:
        now = self.clock()
        return self.store.purge(
            now - retention_days * 86400.0, now - corrections_retention_days * 86400.0
        )
