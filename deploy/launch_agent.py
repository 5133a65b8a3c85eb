"""macOS LaunchAgent property lists: render the Moodline agent, read its ProgramArguments back."""

from __future__ import annotations

import plistlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LABEL = "com.moodline.agent"


def render(argv: Sequence[str], *, log_dir: Path | None) -> bytes:
    """An XML plist that runs `argv` at login and again if it exits with an error."""
    if not argv:
        raise ValueError("the command to start at login is empty")
    job: dict[str, Any] = {
        "Label": LABEL,
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    if log_dir is not None:
        job["StandardOutPath"] = str(log_dir / "moodline.out.log")
        job["StandardErrorPath"] = str(log_dir / "moodline.err.log")
    return plistlib.dumps(job, fmt=plistlib.FMT_XML, sort_keys=True)


def load(data: bytes) -> dict[str, Any]:
    """The job dictionary of a plist; ValueError when it is not one."""
    try:
        job = plistlib.loads(data)
    except (plistlib.InvalidFileException, ValueError) as exc:
        raise ValueError(f"not a property list: {exc}") from exc
    if not isinstance(job, dict):
        raise ValueError("the property list is not a dictionary")
    return job


def program_arguments(job: dict[str, Any]) -> list[str]:
    """The argv launchd runs for `job` (ProgramArguments, or Program alone)."""
    arguments = job.get("ProgramArguments")
    if isinstance(arguments, list) and arguments and all(isinstance(a, str) for a in arguments):
        return list(arguments)
    program = job.get("Program")
    if isinstance(program, str):
        return [program]
    raise ValueError("the job has no ProgramArguments")
