"""The review window's filters (dates, site, lowest level reached) as daemon API queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from moodline.daemon.levels import Level

REACHED_CHOICES: tuple[tuple[Level | None, str], ...] = (
    (None, "Any level"),
    (Level.SLIGHTLY_NEGATIVE, "Reached slightly negative or worse"),
    (Level.NEGATIVE, "Reached negative or worse"),
    (Level.VERY_NEGATIVE, "Reached very negative"),
)
DEFAULT_LIMIT = 500
EXPORT_FORMATS = ("csv", "jsonl")


def day_start(day: date) -> float:
    """Local midnight at the start of `day`, as epoch seconds."""
    return datetime.combine(day, time()).timestamp()


@dataclass(frozen=True)
class ReviewFilter:
    """`date_from`/`date_to` are whole local days, both included; None means open-ended."""

    date_from: date | None = None
    date_to: date | None = None
    site: str = ""
    reached: Level | None = None
    limit: int = DEFAULT_LIMIT

    def error(self) -> str | None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            return "The 'from' date is after the 'to' date."
        return None

    def bounds(self) -> tuple[float | None, float | None]:
        """[since, until) in epoch seconds."""
        since = day_start(self.date_from) if self.date_from else None
        until = day_start(self.date_to + timedelta(days=1)) if self.date_to else None
        return since, until

    def _common(self) -> dict[str, str]:
        since, until = self.bounds()
        query: dict[str, str] = {}
        if since is not None:
            query["since"] = repr(since)
        if until is not None:
            query["until"] = repr(until)
        if self.site.strip():
            query["site"] = self.site.strip()
        if self.reached is not None:
            query["reached"] = self.reached.value
        return query

    def conversations_path(self) -> str:
        query = {"status": "all", "limit": str(self.limit), **self._common()}
        return "/v1/conversations?" + urlencode(query)

    def export_path(self, fmt: str) -> str:
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        return "/v1/export?" + urlencode({"format": fmt, **self._common()})

    def describe(self, count: int | None = None) -> str:
        """The filter in words, e.g. "chats active 2026-03-01 to 2026-03-07 on zendesk"."""
        parts = ["chat" if count == 1 else "chats"]
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "the start"
            end = self.date_to.isoformat() if self.date_to else "today"
            parts.append(f"active {start} to {end}")
        if self.site.strip():
            parts.append(f"on {self.site.strip()}")
        if self.reached is not None:
            parts.append(f"that reached {self.reached.value.replace('_', ' ')}")
        return " ".join(parts)
