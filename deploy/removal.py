"""Undo what an install record lists, one entry at a time, never touching anything changed since."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from moodline.deploy.actions import Action, Change, Kind, UninstallResult
from moodline.deploy.files import sha256_file, shorten
from moodline.deploy.install_record import (
    CreatedDir,
    CreatedFile,
    CreatedValue,
    EnabledService,
    Entry,
    load_record,
    save_record,
)
from moodline.deploy.registry import Registry, WinRegistry
from moodline.deploy.runner import run_command
from moodline.deploy.specs import Runner


def _remove_file(entry: CreatedFile, home: Path | None) -> Action:
    target = shorten(entry.path, home)
    current = sha256_file(entry.path)
    if current is None:
        return Action(Change.MISSING, Kind.FILE, target)
    if current != entry.sha256:
        return Action(Change.KEPT_MODIFIED, Kind.FILE, target)
    entry.path.unlink()
    return Action(Change.REMOVED, Kind.FILE, target)


def _remove_dir(entry: CreatedDir, home: Path | None) -> Action | None:
    target = shorten(entry.path, home)
    if not entry.path.is_dir():
        return None
    if any(entry.path.iterdir()):
        return Action(Change.KEPT_NOT_EMPTY, Kind.FOLDER, target)
    entry.path.rmdir()
    return Action(Change.REMOVED, Kind.FOLDER, target)


def _remove_value(entry: CreatedValue, registry: Registry) -> Action:
    current = registry.get_value(entry.root, entry.key, entry.name)
    if current is None:
        return Action(Change.MISSING, Kind.REGISTRY, entry.label)
    if current != entry.value:
        return Action(Change.KEPT_MODIFIED, Kind.REGISTRY, entry.label)
    registry.delete_value(entry.root, entry.key, entry.name)
    return Action(Change.REMOVED, Kind.REGISTRY, entry.label)


def _disable(entry: EnabledService, run: Runner) -> Action:
    if not os.path.lexists(entry.link):
        return Action(Change.MISSING, Kind.SERVICE, entry.unit)
    command = " ".join(entry.disable)
    status = run(list(entry.disable))
    if status != 0:
        return Action(Change.FAILED, Kind.SERVICE, entry.unit, f"{command} exited with {status}")
    return Action(Change.REMOVED, Kind.SERVICE, entry.unit, command)


def remove_entries(
    entries: list[Entry],
    *,
    run: Runner | None = None,
    registry: Registry | None = None,
    home: Path | None = None,
) -> tuple[list[Action], list[Entry]]:
    """Undo `entries` (newest first, folders last); return the actions and the entries still owed.

    `run` and `registry` default to the real `systemctl` and Windows registry, and are only
    used when an entry needs them.
    """
    actions: list[Action] = []
    failed: list[Entry] = []
    others = [entry for entry in entries if not isinstance(entry, CreatedDir)]
    folders = [entry for entry in entries if isinstance(entry, CreatedDir)]
    folders.sort(key=lambda entry: len(entry.path.parts), reverse=True)
    for entry in [*reversed(others), *folders]:
        action: Action | None
        try:
            if isinstance(entry, CreatedFile):
                action = _remove_file(entry, home)
            elif isinstance(entry, CreatedDir):
                action = _remove_dir(entry, home)
            elif isinstance(entry, CreatedValue):
                registry = registry if registry is not None else WinRegistry()
                action = _remove_value(entry, registry)
            else:
                action = _disable(entry, run or run_command)
        except OSError as exc:
            action = Action(Change.FAILED, _kind(entry), _label(entry, home), str(exc))
        if action is not None:
            actions.append(action)
            if action.change == Change.FAILED:
                failed.append(entry)
    return actions, failed


def _kind(entry: Entry) -> Kind:
    if isinstance(entry, CreatedFile):
        return Kind.FILE
    if isinstance(entry, CreatedDir):
        return Kind.FOLDER
    return Kind.REGISTRY if isinstance(entry, CreatedValue) else Kind.SERVICE


def _label(entry: Entry, home: Path | None) -> str:
    if isinstance(entry, CreatedFile | CreatedDir):
        return shorten(entry.path, home)
    return entry.label if isinstance(entry, CreatedValue) else entry.unit


def uninstall(
    record_path: Path,
    *,
    run: Runner | None = None,
    registry: Registry | None = None,
    home: Path | None = None,
) -> UninstallResult:
    """Remove exactly what the record at `record_path` lists, then the record itself.

    Files and registry values changed since install are kept (and reported); whatever could not
    be removed stays in the record so a later uninstall can retry it.
    """
    record = load_record(record_path)
    if record is None:
        return UninstallResult((), record_path, had_record=False)
    actions, failed = remove_entries(record.entries, run=run, registry=registry, home=home)
    if failed:
        record.entries = [entry for entry in record.entries if entry in failed]
        save_record(record, record_path)
    else:
        with contextlib.suppress(FileNotFoundError):
            record_path.unlink()
    return UninstallResult(tuple(actions), record_path, had_record=True)
