"""The install record: a versioned JSON list of exactly what `moodline install` created."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moodline.deploy.files import make_dirs, write_atomic
from moodline.deploy.registry import value_label

FORMAT = 1


class RecordError(ValueError):
    """The record is unreadable or from an unknown format; the message says which."""


@dataclass(frozen=True)
class CreatedDir:
    """A folder install created (removed on uninstall only if empty)."""

    path: Path


@dataclass(frozen=True)
class CreatedFile:
    """A file install wrote, with the sha256 of what it wrote."""

    path: Path
    sha256: str


@dataclass(frozen=True)
class CreatedValue:
    """A registry string value install set, with the data it set."""

    root: str
    key: str
    name: str
    value: str

    @property
    def label(self) -> str:
        return value_label(self.root, self.key, self.name)


@dataclass(frozen=True)
class EnabledService:
    """A systemd unit install enabled: `disable` undoes it."""

    unit: str
    link: Path
    enable: tuple[str, ...]
    disable: tuple[str, ...]


Entry = CreatedDir | CreatedFile | CreatedValue | EnabledService


@dataclass
class InstallRecord:
    """What one install created, in creation order, and for which command."""

    backend: str
    system: bool
    command: list[str]
    entries: list[Entry] = field(default_factory=list)


def _entry_to_json(entry: Entry) -> dict[str, Any]:
    if isinstance(entry, CreatedDir):
        return {"kind": "dir", "path": str(entry.path)}
    if isinstance(entry, CreatedFile):
        return {"kind": "file", "path": str(entry.path), "sha256": entry.sha256}
    if isinstance(entry, CreatedValue):
        return {
            "kind": "registry",
            "root": entry.root,
            "key": entry.key,
            "name": entry.name,
            "value": entry.value,
        }
    return {
        "kind": "systemd-enable",
        "unit": entry.unit,
        "link": str(entry.link),
        "enable": list(entry.enable),
        "disable": list(entry.disable),
    }


def _entry_from_json(item: dict[str, Any]) -> Entry:
    kind = item["kind"]
    if kind == "dir":
        return CreatedDir(Path(item["path"]))
    if kind == "file":
        return CreatedFile(Path(item["path"]), str(item["sha256"]))
    if kind == "registry":
        return CreatedValue(item["root"], item["key"], item["name"], item["value"])
    if kind == "systemd-enable":
        return EnabledService(
            item["unit"], Path(item["link"]), tuple(item["enable"]), tuple(item["disable"])
        )
    raise RecordError(f"unknown entry kind {kind!r}")


def save_record(record: InstallRecord, path: Path) -> None:
    """Write the record atomically (its folder is created if needed)."""
    data = {
        "format": FORMAT,
        "backend": record.backend,
        "system": record.system,
        "command": record.command,
        "entries": [_entry_to_json(entry) for entry in record.entries],
    }
    make_dirs(path.parent)
    write_atomic(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))


def load_record(path: Path) -> InstallRecord | None:
    """The record at `path`, or None when there is none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordError(f"cannot read install record {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise RecordError(f"install record {path} has format {found!r}; expected {FORMAT}")
    try:
        return InstallRecord(
            backend=str(data["backend"]),
            system=bool(data["system"]),
            command=[str(arg) for arg in data["command"]],
            entries=[_entry_from_json(item) for item in data["entries"]],
        )
    except (KeyError, TypeError) as exc:
        raise RecordError(f"install record {path} is incomplete: {exc}") from exc
