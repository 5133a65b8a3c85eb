"""The errors a command raises to stop: the message says why and what to do next."""

from __future__ import annotations


class CommandError(Exception):
    """A command could not do its job (exit code 1 unless a subclass says otherwise)."""


class UsageError(CommandError):
    """The command line, or a file it names, is wrong (exit code 2)."""


class PortInUseError(CommandError):
    """The daemon's port is taken (exit code 6)."""


class AutostartNotRegisteredError(CommandError):
    """Start-at-login could not be registered (exit code 7)."""


class PolicyNotWrittenError(CommandError):
    """The browser policy could not be written (exit code 8)."""
