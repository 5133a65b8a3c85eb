"""What an autostart backend wants on the system (files, registry values, enabled units)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from moodline.deploy.registry import Registry, value_label

Runner = Callable[[list[str]], int]


@dataclass(frozen=True)
class FileSpec:
    """A file with exactly this content (mode 0644)."""

    path: Path
    content: bytes


@dataclass(frozen=True)
class DirSpec:
    """A folder that must exist (for example where a job's logs go)."""

    path: Path


@dataclass(frozen=True)
class RegistrySpec:
    """A string value in the Windows registry."""

    registry: Registry
    root: str
    key: str
    name: str
    value: str

    @property
    def label(self) -> str:
        return value_label(self.root, self.key, self.name)


@dataclass(frozen=True)
class ServiceSpec:
    """A systemd unit enabled for login: `link` exists once `enable` has run."""

    run: Runner
    unit: str
    link: Path
    enable: tuple[str, ...]
    disable: tuple[str, ...]


Spec = FileSpec | DirSpec | RegistrySpec | ServiceSpec


class AutostartBackend(Protocol):
    """One OS mechanism that starts a command at login, per user or for all users."""

    name: str
    system: bool

    def specs(self, argv: Sequence[str]) -> list[Spec]:
        """Everything that must exist for `argv` to start at login, in the order to create it."""
        ...

    def registered_command(self) -> list[str] | None:
        """The argv the installed entry runs at login, or None when there is no enabled entry."""
        ...

    def is_registered(self) -> bool:
        """An entry exists and is enabled (what `moodline doctor` checks)."""
        ...
