"""`install`: bring a backend's entries into place, idempotently, and record what was created."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from moodline.deploy.actions import Action, Change, InstallResult, Kind
from moodline.deploy.files import make_dirs, sha256_bytes, sha256_file, shorten, write_atomic
from moodline.deploy.install_record import (
    CreatedDir,
    CreatedFile,
    CreatedValue,
    EnabledService,
    Entry,
    InstallRecord,
    load_record,
    save_record,
)
from moodline.deploy.registry import Registry
from moodline.deploy.removal import remove_entries
from moodline.deploy.specs import (
    AutostartBackend,
    DirSpec,
    FileSpec,
    RegistrySpec,
    Runner,
    ServiceSpec,
    Spec,
)

_CHANGED = "it was changed after moodline install; force replaces it"
_FOREIGN = "it was not written by moodline install; force replaces it"
_STOP = (Change.CONFLICT, Change.FAILED)


class _Apply:
    """Applies specs one by one against what the previous record says install owns."""

    def __init__(self, previous: list[Entry], *, force: bool, home: Path | None) -> None:
        self.previous = previous
        self.force = force
        self.home = home
        self.actions: list[Action] = []
        self.entries: list[Entry] = [
            entry for entry in previous if isinstance(entry, CreatedDir) and entry.path.is_dir()
        ]

    def _owned_dirs(self, created: list[Path]) -> None:
        for folder in created:
            self.entries.append(CreatedDir(folder))
            self.actions.append(Action(Change.CREATED, Kind.FOLDER, shorten(folder, self.home)))

    def folder(self, spec: DirSpec) -> None:
        self._owned_dirs(make_dirs(spec.path))

    def file(self, spec: FileSpec) -> Action:
        target = shorten(spec.path, self.home)
        wanted = sha256_bytes(spec.content)
        current = sha256_file(spec.path)
        recorded = next(
            (e for e in self.previous if isinstance(e, CreatedFile) and e.path == spec.path), None
        )
        if current == wanted:
            self.entries.append(CreatedFile(spec.path, wanted))
            return Action(Change.UNCHANGED, Kind.FILE, target)
        if current is None and not os.path.lexists(spec.path):
            self._owned_dirs(make_dirs(spec.path.parent))
            change = Change.CREATED
        elif (recorded is not None and recorded.sha256 == current) or self.force:
            change = Change.UPDATED
        else:
            if recorded is not None:
                self.entries.append(recorded)
            return Action(
                Change.CONFLICT, Kind.FILE, target, _FOREIGN if not recorded else _CHANGED
            )
        write_atomic(spec.path, spec.content)
        self.entries.append(CreatedFile(spec.path, wanted))
        return Action(change, Kind.FILE, target)

    def value(self, spec: RegistrySpec) -> Action:
        current = spec.registry.get_value(spec.root, spec.key, spec.name)
        entry = CreatedValue(spec.root, spec.key, spec.name, spec.value)
        recorded = next(
            (e for e in self.previous if isinstance(e, CreatedValue) and e.label == entry.label),
            None,
        )
        if current == spec.value:
            self.entries.append(entry)
            return Action(Change.UNCHANGED, Kind.REGISTRY, spec.label)
        if current is None:
            change = Change.CREATED
        elif (recorded is not None and recorded.value == current) or self.force:
            change = Change.UPDATED
        else:
            if recorded is not None:
                self.entries.append(recorded)
            detail = _FOREIGN if recorded is None else _CHANGED
            return Action(Change.CONFLICT, Kind.REGISTRY, spec.label, detail)
        spec.registry.set_value(spec.root, spec.key, spec.name, spec.value)
        self.entries.append(entry)
        return Action(change, Kind.REGISTRY, spec.label)

    def service(self, spec: ServiceSpec) -> Action:
        entry = EnabledService(spec.unit, spec.link, spec.enable, spec.disable)
        if os.path.lexists(spec.link):
            self.entries.append(entry)
            return Action(Change.UNCHANGED, Kind.SERVICE, spec.unit)
        command = " ".join(spec.enable)
        new_folder = not spec.link.parent.exists()
        status = spec.run(list(spec.enable))
        if status != 0:
            return Action(Change.FAILED, Kind.SERVICE, spec.unit, f"{command} exited with {status}")
        if new_folder and spec.link.parent.is_dir():
            self.entries.append(CreatedDir(spec.link.parent))  # the `.wants` folder enable made
        self.entries.append(entry)
        return Action(Change.CREATED, Kind.SERVICE, spec.unit, command)

    def apply(self, spec: Spec) -> Action | None:
        try:
            if isinstance(spec, FileSpec):
                return self.file(spec)
            if isinstance(spec, DirSpec):
                self.folder(spec)
                return None
            if isinstance(spec, RegistrySpec):
                return self.value(spec)
            return self.service(spec)
        except OSError as exc:
            return Action(Change.FAILED, _kind(spec), self._label(spec), str(exc))

    def _label(self, spec: Spec) -> str:
        if isinstance(spec, FileSpec | DirSpec):
            return shorten(spec.path, self.home)
        return spec.label if isinstance(spec, RegistrySpec) else spec.unit


def _kind(spec: Spec) -> Kind:
    if isinstance(spec, FileSpec):
        return Kind.FILE
    if isinstance(spec, DirSpec):
        return Kind.FOLDER
    return Kind.REGISTRY if isinstance(spec, RegistrySpec) else Kind.SERVICE


def _identity(entry: Entry) -> object:
    if isinstance(entry, CreatedFile | CreatedDir):
        return entry.path
    return entry.label if isinstance(entry, CreatedValue) else entry.link


def install(
    backend: AutostartBackend,
    argv: Sequence[str],
    record_path: Path,
    *,
    force: bool = False,
    run: Runner | None = None,
    registry: Registry | None = None,
    home: Path | None = None,
) -> InstallResult:
    """Register `argv` to start at login through `backend`; record what was created.

    Running it again with the same command changes nothing (every action `UNCHANGED`); with a
    new command it updates the entry. A file or value install did not write, or one changed
    since, is left alone (`CONFLICT`) unless `force`. Entries an earlier install created that
    this backend no longer wants (another backend, other paths) are removed like `uninstall`
    would, using `run` / `registry` (the real ones when not given). `home` only shortens paths
    in the messages.
    """
    command = list(argv)
    if not command or not command[0]:
        raise ValueError(f"the command to start at login has no program: {command!r}")
    previous = load_record(record_path)
    state = _Apply(previous.entries if previous else [], force=force, home=home)
    specs = backend.specs(command)
    for spec in specs:
        action = state.apply(spec)
        if action is not None:
            state.actions.append(action)
            if action.change in _STOP:
                break
    wanted = {_identity(entry) for entry in state.entries}
    leftover: list[Entry] = [
        entry
        for entry in state.previous
        if not isinstance(entry, CreatedDir) and _identity(entry) not in wanted
    ]
    if any(action.change in _STOP for action in state.actions):
        state.entries += leftover  # nothing is taken away while the new entry is not in place
        if previous is not None:
            command = previous.command
    else:
        state.entries += _remove_stale(state, leftover, specs, run=run, registry=registry)
    entries = _unique(state.entries)
    if any(not isinstance(entry, CreatedDir) for entry in entries):
        record = InstallRecord(backend.name, backend.system, command, entries)
        save_record(record, record_path)
    elif previous is not None:
        with contextlib.suppress(FileNotFoundError):
            record_path.unlink()
    return InstallResult(tuple(state.actions), record_path)


def _remove_stale(
    state: _Apply,
    leftover: list[Entry],
    specs: list[Spec],
    *,
    run: Runner | None,
    registry: Registry | None,
) -> list[Entry]:
    """Remove what an earlier install made that is no longer wanted, and folders left empty.

    Returns the entries that could not be removed (they stay recorded).
    """
    needed = [
        spec.link if isinstance(spec, ServiceSpec) else spec.path
        for spec in specs
        if not isinstance(spec, RegistrySpec)
    ]
    unneeded = [
        entry
        for entry in state.entries
        if isinstance(entry, CreatedDir)
        and not any(path == entry.path or entry.path in path.parents for path in needed)
    ]
    actions, failed = remove_entries(
        [*leftover, *unneeded], run=run, registry=registry, home=state.home
    )
    state.actions += actions
    state.entries = [
        entry for entry in state.entries if not isinstance(entry, CreatedDir) or entry.path.is_dir()
    ]
    return failed


def _unique(entries: list[Entry]) -> list[Entry]:
    seen: set[Entry] = set()
    unique: list[Entry] = []
    for entry in entries:
        if entry not in seen:
            seen.add(entry)
            unique.append(entry)
    return unique
