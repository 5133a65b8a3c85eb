"""SentimentService: the daemon's logic (ingest, history, corrections), free of web frameworks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from moodline.daemon.api_models import MessagesRequest
from moodline.daemon.export import export_lines
from moodline.daemon.intake import Plan, plan_batch
from moodline.daemon.levels import Level
from moodline.daemon.privacy.policy import RedactionPolicy
from moodline.daemon.results import (
    ID_REUSED,
    Conversation,
    ConversationDetail,
    ConversationState,
    IngestResult,
    ReadingProblem,
    ScoredMessage,
)
from moodline.daemon.scoring.conversation_language import RECENT, ConversationLanguages
from moodline.daemon.scoring.head import ClassifierHead
from moodline.daemon.scoring.language import LanguageCheck, check_language
from moodline.daemon.scoring.scorer import Assessment, MessageScorer, NotScored
from moodline.daemon.scoring.window import NEUTRAL_START, WindowConfig, WindowState, aggregate
from moodline.daemon.store.filters import ConversationFilter
from moodline.daemon.store.history import HistoryStore, NewMessage

__all__ = ["IngestResult", "NotFoundError", "Purged", "SentimentService"]
RECENT_S = 24 * 3600.0


@dataclass(frozen=True)
class Purged:
    """What a retention purge deleted: the counts, and which conversations."""

    counts: dict[str, int]
    conversation_ids: tuple[str, ...]


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
        redaction: RedactionPolicy | None = None,
    ) -> None:
        self.store = store
        self.scorer = scorer
        self.window = window
        self.clock = clock
        self.redaction = redaction or RedactionPolicy()
        self._owner: int | None = None

    def _check_thread(self) -> None:
        ident = threading.get_ident()
        if self._owner is None:
            self._owner = ident
        elif self._owner != ident:
            raise RuntimeError("SentimentService used from two threads")

    def configure(
        self,
        window: WindowConfig,
        uncertain_below: float,
        redaction: RedactionPolicy | None = None,
    ) -> None:
        """Use new window settings, "can't tell" threshold and (when given) redaction policy
        from the next message on."""
        self._check_thread()
        self.window = window
        self.scorer.uncertain_below = uncertain_below
        if redaction is not None:
            self.redaction = redaction

    def use_head(self, head: ClassifierHead, multilingual: ClassifierHead | None = None) -> None:
        """Score the next messages with `head` (the encoders stay), and other languages with
        `multilingual` (None: the shipped multilingual head)."""
        self._check_thread()
        self.scorer.head = head
        if self.scorer.multilingual is not None:
            self.scorer.multilingual.team_head = multilingual

    def ingest(self, request: MessagesRequest) -> IngestResult:
        """Store new messages and edits, score customer ones, update the state; known ids with
        the same text are duplicates, with new text (not an edit) refused and counted."""
        return self.ingest_many([request])[0]

    def ingest_many(self, requests: list[MessagesRequest]) -> list[IngestResult]:
        """`ingest` for several requests at once: one encoder batch, one transaction each."""
        self._check_thread()
        plans = plan_batch(requests, self.store, self.redaction)
        customer = [a.message for p in plans for a in p.accepted if a.message.role == "customer"]
        # Scoring reads the original words, in memory; only the stored text is redacted.
        batch = (
            self.scorer.assess_many([m.text for m in customer], self._language_checks(plans))
            if customer
            else []
        )
        scores = {id(m): s for m, s in zip(customer, batch, strict=True)}
        return [self._write(plan, scores) for plan in plans]

    def _language_checks(self, plans: list[Plan]) -> list[LanguageCheck]:
        """Each customer message's language, in order; a short or unsure line takes its
        conversation's language (from its stored messages and the ones before it here)."""
        routes = ConversationLanguages()
        checks: list[LanguageCheck] = []
        for plan in plans:
            conversation_id = plan.request.conversation_id
            if conversation_id not in routes:  # a second request for it in the same batch
                routes.seed(conversation_id, self.store.recent_languages(conversation_id, RECENT))
            for item in plan.accepted:
                if item.message.role == "customer":
                    checks.append(routes.route(conversation_id, check_language(item.message.text)))
        return checks

    def _write(self, plan: Plan, scores: dict[int, Assessment]) -> IngestResult:
        request = plan.request
        conversation_id = request.conversation_id
        now = self.clock()
        scored: list[ScoredMessage] = []
        source = request.source.model_dump() if request.source else {}
        reading: tuple[ReadingProblem, ...] = ()
        with self.store.transaction():
            self.store.ensure_conversation(conversation_id, source, now)
            previous = self._current_level(conversation_id)
            for item in plan.accepted:
                message = item.message
                score = scores.get(id(message))
                stored = NewMessage(
                    message_id=message.id, role=message.role, text=item.text, ts=message.ts
                )
                if item.edit:
                    self.store.replace_message(conversation_id, stored, score, now)
                else:
                    self.store.add_message(conversation_id, stored, score, now)
                if score is None:  # an agent's message: context only
                    continue
                scored.append(ScoredMessage(message.id, score))
                if isinstance(score, NotScored) and not item.edit:
                    continue  # stored, but it does not move the level
                # A new score, or an edit that changed a window message: a new timeline entry
                # (the earlier ones stay, so the old score is still in the history).
                state = aggregate(
                    self.store.window_items(conversation_id, self.window.size),
                    previous,
                    self.window,
                )
                self.store.add_window_state(conversation_id, message.id, state, now)
                self.store.set_state(conversation_id, state, now)
                previous = state.level
            if plan.refused:
                reading = (self._note_refusals(plan, now),)
        return IngestResult(
            state=self.state(conversation_id),
            stored=sum(not a.edit for a in plan.accepted),
            duplicates=plan.duplicates,
            scored=tuple(scored),
            refused=tuple(plan.refused),
            edited=sum(a.edit for a in plan.accepted),
            reading=reading,
        )

    def _note_refusals(self, plan: Plan, now: float) -> ReadingProblem:
        """Count the plan's refusals against its conversation and site (no text is kept)."""
        conversation_id = plan.request.conversation_id
        row = self.store.conversation(conversation_id)
        site = row.source.site if row else ""
        last = plan.refused[-1].message_id
        return self.store.note_reading_problem(
            conversation_id, site, ID_REUSED, len(plan.refused), last, now
        )

    def recent_reading_problems(self, within_s: float = RECENT_S) -> list[ReadingProblem]:
        """The reading problems (per conversation, site and kind) of the last `within_s`."""
        self._check_thread()
        return self.store.recent_reading_problems(self.clock() - within_s)

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
        return self.purge_expired(retention_days, corrections_retention_days).counts

    def purge_expired(self, retention_days: int, corrections_retention_days: int) -> Purged:
        """Delete what retention says is too old; name the conversations deleted (their team
        view state is cleared too)."""
        now = self.clock()
        cut_off = now - retention_days * 86400.0
        expired = tuple(self.store.expired(cut_off))
        counts = self.store.purge(cut_off, now - corrections_retention_days * 86400.0)
        return Purged(counts, expired)
