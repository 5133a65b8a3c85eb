"""What `moodline install` wrote as browser policy, so uninstall removes exactly that."""

from __future__ import annotations

import json
from pathlib import Path

from moodline.deploy.files import sha256_file


def save_policy_record(record: Path, written: list[Path]) -> None:
    entries = [{"path": str(path), "sha256": sha256_file(path)} for path in written]
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"format": 1, "files": entries}, indent=2) + "\n")


def recorded_policies(record: Path) -> list[Path]:
    if not record.is_file():
        return []
    return [Path(entry["path"]) for entry in json.loads(record.read_text())["files"]]


def remove_policies(record: Path) -> list[str]:
    """Removes the recorded files that are unchanged; says what happened to each."""
    if not record.is_file():
        return []
    messages = []
    for entry in json.loads(record.read_text())["files"]:
        path = Path(entry["path"])
        digest = sha256_file(path)
        if digest is None:
            messages.append(f"already gone: {path}")
        elif digest != entry["sha256"]:
            messages.append(f"kept {path}: changed since install")
        else:
            path.unlink()
            messages.append(f"removed {path}")
    record.unlink()
    return messages
