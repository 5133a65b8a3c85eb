"""Typed results of the service and the store; `daemon/http/wire.py` turns them into JSON."""

from __future__ import annotations

from dataclasses import dataclass

from moodline.daemon.levels import Level
from moodline.daemon.scoring.scorer import Assessment
from moodline.daemon.scoring.window import WindowState


@dataclass(frozen=True)
class ConversationSource:
    """Where a conversation happens, as the extension reported it (empty when unknown)."""

    site: str = ""
    url: str = ""
    title: str = ""


@dataclass(frozen=True)
class Conversation:
    """One stored conversation: its metadata and its current level (a row of the list)."""

    conversation_id: str
    source: ConversationSource
    created_at: float
    updated_at: float
    closed_at: float | None
    level: Level
    score: float
    uncertain: bool
    lowest_level: Level
    message_count: int
    reading_problems: int = 0  # messages refused because reading looked broken (see `Refusal`)
    customer_message_count: int = 0  # of `message_count`, the customer's (the team view sends it)

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class ConversationState:
    """A conversation with its newest window state (level, score and why)."""

    conversation: Conversation
    window: WindowState

    @property
    def conversation_id(self) -> str:
        return self.conversation.conversation_id


@dataclass(frozen=True)
class ScoredMessage:
    """What the model made of one new customer message (scores, or why it was not scored)."""

    message_id: str
    assessment: Assessment


ID_REUSED = "id_reused_with_new_text"  # a known message id came back with other words


@dataclass(frozen=True)
class Refusal:
    """A message that was neither stored nor scored, and why (`ID_REUSED`)."""

    message_id: str
    reason: str = ID_REUSED


@dataclass(frozen=True)
class ReadingProblem:
    """How often reading one conversation on one site went wrong in one way (`problem`), as
    counted in the store; no chat text."""

    conversation_id: str
    site: str
    problem: str
    count: int
    first_at: float
    last_at: float
    last_message_id: str


@dataclass(frozen=True)
class ReadingSummary:
    """Reading problems of one site and kind since some time (for /v1/health and doctor)."""

    site: str
    problem: str
    count: int
    last_at: float


@dataclass(frozen=True)
class IngestResult:
    """What one POST /v1/messages did, and the conversation's state afterwards."""

    state: ConversationState
    stored: int
    duplicates: int
    scored: tuple[ScoredMessage, ...] = ()
    refused: tuple[Refusal, ...] = ()
    edited: int = 0
    reading: tuple[ReadingProblem, ...] = ()  # the counters this request's refusals raised

    @property
    def changed(self) -> bool:
        return bool(self.scored)


@dataclass(frozen=True)
class TimelineEntry:
    """The window state after one customer message (or a correction of one)."""

    message_id: str
    at: float
    state: WindowState


@dataclass(frozen=True)
class StoredMessage:
    """A stored message; a customer one with its assessment and the agent's correction."""

    id: str
    role: str
    text: str
    ts: float | None
    received_at: float
    assessment: Assessment | None = None
    corrected_label: str | None = None
    edited_at: float | None = None


@dataclass(frozen=True)
class ConversationDetail:
    """The state plus every window state (oldest first) and every message (in order)."""

    state: ConversationState
    timeline: tuple[TimelineEntry, ...]
    messages: tuple[StoredMessage, ...]
