"""Deployment helpers for `moodline install` / `uninstall`: start at login on each OS."""

from moodline.deploy.actions import Action, Change, InstallResult, Kind, UninstallResult
from moodline.deploy.autostart import METHODS, backend_for, login_argv, login_command
from moodline.deploy.install_record import RecordError, load_record
from moodline.deploy.installer import install
from moodline.deploy.registry import MemoryRegistry, Registry, WinRegistry
from moodline.deploy.removal import uninstall
from moodline.deploy.specs import AutostartBackend, Runner

__all__ = [
    "METHODS",
    "Action",
    "AutostartBackend",
    "Change",
    "InstallResult",
    "Kind",
    "MemoryRegistry",
    "RecordError",
    "Registry",
    "Runner",
    "UninstallResult",
    "WinRegistry",
    "backend_for",
    "install",
    "load_record",
    "login_argv",
    "login_command",
    "uninstall",
]
