"""The `moodline` command's exit codes, and which error means which: the one table (README, "For
IT", lists the same)."""

from __future__ import annotations

from moodline.daemon.client import DaemonUnavailableError
from moodline.daemon.scoring.hashing import ModelIntegrityError
from moodline.daemon.settings import SettingsError
from moodline.daemon.token_store import KeyringUnavailableError
from moodline.deploy.browser_policy import PolicyError
from moodline.errors import (
    AutostartNotRegisteredError,
    CommandError,
    PolicyNotWrittenError,
    PortInUseError,
    UsageError,
)

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

# A command raises; `moodline` prints the message and exits with the first matching code.
ERROR_CODES: tuple[tuple[type[Exception], int], ...] = (
    (UsageError, EXIT_USAGE),
    (AutostartNotRegisteredError, EXIT_AUTOSTART),
    (PolicyNotWrittenError, EXIT_POLICY),
    (PolicyError, EXIT_POLICY),
    (SettingsError, EXIT_CONFIG),
    (KeyringUnavailableError, EXIT_KEYRING),
    (ModelIntegrityError, EXIT_MODEL),
    (DaemonUnavailableError, EXIT_DAEMON),
    (PortInUseError, EXIT_DAEMON),
    (CommandError, EXIT_FAILED),
)
HANDLED_ERRORS = tuple(error for error, _ in ERROR_CODES)


def exit_code_for(error: Exception) -> int:
    """The exit code for an error a command raised (EXIT_FAILED for any other CommandError)."""
    for kind, code in ERROR_CODES:
        if isinstance(error, kind):
            return code
    return EXIT_FAILED
