"""The real way to run a system command (systemctl) for install; tests pass a fake instead."""

from __future__ import annotations

import subprocess


def run_command(argv: list[str]) -> int:
    """Run `argv` (no shell), letting it print; return its exit status (127 if not found)."""
    try:
        return subprocess.run(argv, check=False).returncode  # noqa: S603 - fixed argv, no shell
    except FileNotFoundError:
        return 127
