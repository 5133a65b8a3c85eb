"""What install and uninstall did, one action per thing touched, in words a CLI can print."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Change(StrEnum):
    """What happened to one file, folder, registry value or service."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    MISSING = "missing"
    KEPT_MODIFIED = "kept-because-modified"
    KEPT_NOT_EMPTY = "kept-because-not-empty"
    CONFLICT = "conflict"
    FAILED = "failed"


class Kind(StrEnum):
    """The sort of thing an action touched."""

    FILE = "file"
    FOLDER = "folder"
    REGISTRY = "registry value"
    SERVICE = "service"


_DONE = {
    Change.CREATED: {
        Kind.FILE: "wrote",
        Kind.FOLDER: "created folder",
        Kind.REGISTRY: "set",
        Kind.SERVICE: "enabled",
    },
    Change.UPDATED: {
        Kind.FILE: "updated",
        Kind.FOLDER: "updated folder",
        Kind.REGISTRY: "updated",
        Kind.SERVICE: "re-enabled",
    },
    Change.REMOVED: {
        Kind.FILE: "removed",
        Kind.FOLDER: "removed folder",
        Kind.REGISTRY: "deleted",
        Kind.SERVICE: "disabled",
    },
}


@dataclass(frozen=True)
class Action:
    """One change (or deliberate non-change) to one target; `describe()` says it in words."""

    change: Change
    kind: Kind
    target: str
    detail: str = ""

    def describe(self) -> str:
        """For example `wrote ~/.config/autostart/moodline.desktop`."""
        extra = f" ({self.detail})" if self.detail else ""
        if self.change in _DONE:
            return f"{_DONE[self.change][self.kind]} {self.target}{extra}"
        text = {
            Change.UNCHANGED: f"already in place: {self.target}",
            Change.MISSING: f"already gone: {self.target}",
            Change.KEPT_MODIFIED: f"kept {self.target}: it was changed after moodline install",
            Change.KEPT_NOT_EMPTY: f"kept folder {self.target}: it holds other files",
            Change.CONFLICT: f"left {self.target} alone",
            Change.FAILED: f"could not change {self.target}",
        }[self.change]
        return text + extra


@dataclass(frozen=True)
class InstallResult:
    """Everything install did; `ok` is False after a conflict or failure."""

    actions: tuple[Action, ...]
    record_path: Path

    @property
    def ok(self) -> bool:
        return not any(a.change in (Change.CONFLICT, Change.FAILED) for a in self.actions)

    @property
    def already_installed(self) -> bool:
        """Nothing needed changing: the same command was already registered."""
        return bool(self.actions) and all(a.change == Change.UNCHANGED for a in self.actions)

    def describe(self) -> str:
        """One line per action, or a single line when it was already installed."""
        if self.already_installed:
            return "already installed: " + ", ".join(a.target for a in self.actions)
        return "\n".join(action.describe() for action in self.actions)


@dataclass(frozen=True)
class UninstallResult:
    """Everything uninstall did; `ok` is False when something could not be removed."""

    actions: tuple[Action, ...]
    record_path: Path
    had_record: bool

    @property
    def ok(self) -> bool:
        return not any(a.change == Change.FAILED for a in self.actions)

    @property
    def kept(self) -> tuple[Action, ...]:
        """Files and values left in place because they were changed after install."""
        return tuple(a for a in self.actions if a.change == Change.KEPT_MODIFIED)

    def describe(self) -> str:
        """One line per action, or why there was nothing to do."""
        if not self.had_record:
            return f"nothing to remove: no install record at {self.record_path}"
        return "\n".join(action.describe() for action in self.actions)
