"""What the running daemon knows now: its settings, its service once loaded, the agent's focus,
and its recent reading problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from moodline.daemon.results import ReadingProblem, ReadingSummary
from moodline.daemon.service import RECENT_S, SentimentService
from moodline.daemon.settings import Settings


class NotLoadedError(RuntimeError):
    """The service (model and store) has not loaded (yet)."""


@dataclass
class LiveSettings:
    """The settings in force; replaced as a whole when they change (readers see one version)."""

    current: Settings


@dataclass
class ServiceSlot:
    """The service, once the model and the store have loaded."""

    service: SentimentService | None = None

    def require(self) -> SentimentService:
        if self.service is None:
            raise NotLoadedError("the model has not loaded")
        return self.service


@dataclass
class Activity:
    """What the clients told the daemon: the conversation in focus, when the extension was seen."""

    focus: str | None = None
    extension_seen_at: float | None = None


@dataclass
class ReadingLog:
    """The newest counter of each conversation's reading problems of the last day, kept on the
    event loop so /v1/health answers at once even while the service thread is busy: read from
    the store when the service loads, then updated from every ingest's result."""

    loaded: bool = False
    _latest: dict[tuple[str, str, str], ReadingProblem] = field(default_factory=dict)

    def load(self, problems: Iterable[ReadingProblem]) -> None:
        self.loaded = True
        self.note(problems)

    def note(self, problems: Iterable[ReadingProblem]) -> None:
        for problem in problems:
            self._latest[(problem.conversation_id, problem.site, problem.problem)] = problem

    def summary(self, now: float, within_s: float = RECENT_S) -> list[ReadingSummary] | None:
        """Per site and kind, newest first: the refusals of the conversations that had one in
        the last `within_s` (None until the history has been read)."""
        if not self.loaded:
            return None
        since = now - within_s
        self._latest = {k: p for k, p in self._latest.items() if p.last_at >= since}
        totals: dict[tuple[str, str], ReadingSummary] = {}
        for p in self._latest.values():
            seen = totals.get((p.site, p.problem))
            count = p.count + (seen.count if seen else 0)
            last_at = max(p.last_at, seen.last_at if seen else p.last_at)
            totals[(p.site, p.problem)] = ReadingSummary(p.site, p.problem, count, last_at)
        return sorted(totals.values(), key=lambda s: s.last_at, reverse=True)
