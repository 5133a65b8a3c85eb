"""Which conversations a listing or an export covers: status, activity dates, site, lowest level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moodline.daemon.levels import LEVELS, Level

RECENT_SECONDS = 24 * 3600.0  # "recent" = open, or closed within the last day
STATUSES = ("open", "recent", "closed", "all")


@dataclass(frozen=True)
class ConversationFilter:
    """`since`/`until`: conversations active at some time in [since, until) (last activity at or
    after `since`, started before `until`); `reached`: the lowest level was this one or worse."""

    status: str = "all"
    since: float | None = None
    until: float | None = None
    site: str | None = None
    reached: Level | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")

    def where(self, now: float) -> tuple[str, list[Any]]:
        """An SQL condition on the `conversations` table (alias `c`) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.status == "open":
            clauses.append("c.closed_at IS NULL")
        elif self.status == "recent":
            clauses.append("(c.closed_at IS NULL OR c.closed_at >= ?)")
            params.append(now - RECENT_SECONDS)
        elif self.status == "closed":
            clauses.append("c.closed_at IS NOT NULL")
        if self.since is not None:
            clauses.append("c.updated_at >= ?")
            params.append(self.since)
        if self.until is not None:
            clauses.append("c.created_at < ?")
            params.append(self.until)
        if self.site:
            clauses.append("c.site = ?")
            params.append(self.site)
        if self.reached is not None:
            worse = [level.value for level in LEVELS if level.rank <= self.reached.rank]
            clauses.append(f"c.lowest_level IN ({','.join('?' * len(worse))})")
            params.extend(worse)
        return (" AND ".join(clauses) or "1"), params
