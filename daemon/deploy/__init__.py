"""Deployment helpers for `moodline install` / `uninstall`: start at login on each OS."""

from daemon.deploy.actions import Action, Change, InstallResult, Kind, UninstallResult
from daemon.deploy.autostart import METHODS, backend_for, login_command
from daemon.deploy.install_record import RecordError, default_record_path, load_record
from daemon.deploy.installer import install
from daemon.deploy.registry import MemoryRegistry, Registry, WinRegistry
from daemon.deploy.removal import uninstall
from daemon.deploy.specs import AutostartBackend, Runner

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
    "default_record_path",
    "install",
    "load_record",
    "login_command",
    "uninstall",
]
