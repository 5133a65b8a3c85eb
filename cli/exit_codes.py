"""The `moodline` command's exit codes: the one table (README, "For IT", lists the same)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # doctor found a problem; uninstall could not remove something
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_KEYRING = 4
EXIT_MODEL = 5
EXIT_DAEMON = 6
EXIT_AUTOSTART = 7
EXIT_POLICY = 8

MEANINGS = {
    EXIT_OK: "done",
    EXIT_FAILED: "doctor found a problem / uninstall could not remove something",
    EXIT_USAGE: "bad usage",
    EXIT_CONFIG: "invalid settings (the message names the key)",
    EXIT_KEYRING: "no usable keyring",
    EXIT_MODEL: "the shipped model's files are damaged (reinstall)",
    EXIT_DAEMON: "the daemon could not start or was not reachable (port taken, no answer)",
    EXIT_AUTOSTART: (
        "start-at-login not registered (an entry made by hand is in the way: --force replaces it)"
    ),
    EXIT_POLICY: "browser policy invalid or not writable",
}
