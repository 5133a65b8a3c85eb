"""Typed events the daemon pushes on /v1/events; `daemon/http/wire.py` writes them as JSON."""

from __future__ import annotations

from dataclasses import dataclass

from moodline.daemon.results import ConversationState, IngestResult, ReadingProblem
from moodline.daemon.settings import Settings


@dataclass(frozen=True)
class StatusEvent:
    """The daemon's status changed; only the fields that are set are sent."""

    ready: bool | None = None
    paused: bool | None = None
    head: str | None = None


@dataclass(frozen=True)
class SettingsEvent:
    """The settings changed: every setting, as GET /v1/settings returns them."""

    settings: Settings


@dataclass(frozen=True)
class FocusEvent:
    """The agent looks at another conversation (None: at none)."""

    conversation_id: str | None


@dataclass(frozen=True)
class ScoredEvent:
    """New customer messages were scored (or stored unscored): the state and what was scored."""

    result: IngestResult


@dataclass(frozen=True)
class CorrectedEvent:
    """An agent corrected (label None: un-corrected) one message; the new state."""

    state: ConversationState
    message_id: str
    label: str | None


@dataclass(frozen=True)
class ClosedEvent:
    """A conversation was closed; its state."""

    state: ConversationState


@dataclass(frozen=True)
class ReadingEvent:
    """Reading a conversation looked broken (messages refused); the updated counter."""

    problem: ReadingProblem


@dataclass(frozen=True)
class PairedEvent:
    """A client (the extension) paired."""

    client: str


Event = (
    StatusEvent
    | SettingsEvent
    | FocusEvent
    | ScoredEvent
    | CorrectedEvent
    | ClosedEvent
    | ReadingEvent
    | PairedEvent
)


def after_ingest(result: IngestResult) -> tuple[Event, ...]:
    """A `sentiment` event when the request scored (or stored unscored) customer messages, and
    a `reading` event for each reading problem it counted."""
    scored: tuple[Event, ...] = (ScoredEvent(result),) if result.changed else ()
    return scored + tuple(ReadingEvent(problem) for problem in result.reading)


def after_correction(
    state: ConversationState, message_id: str, label: str | None
) -> tuple[Event, ...]:
    return (CorrectedEvent(state, message_id, label),)


def after_close(state: ConversationState) -> tuple[Event, ...]:
    return (ClosedEvent(state),)
