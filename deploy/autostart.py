"""Pick the autostart backend for an OS, and read back what an installed entry runs at login."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from moodline.deploy import desktop_entry, launch_agent, systemd_unit, windows_cmdline
from moodline.deploy.autostart_linux import SystemdUserUnit, XdgAutostart
from moodline.deploy.autostart_macos import LaunchAgent
from moodline.deploy.autostart_windows import RunKey, StartupFolder
from moodline.deploy.registry import Registry, WinRegistry
from moodline.deploy.runner import run_command
from moodline.deploy.specs import AutostartBackend, Runner

METHODS = {
    "linux": ("xdg", "systemd"),
    "darwin": ("launchagent",),
    "win32": ("run-key", "startup-folder"),
}


def login_argv() -> list[str]:
    """What runs at login: this installation's `moodline up`."""
    scripts = Path(sys.executable).parent
    for name in ("moodline", "moodline.exe"):
        if (scripts / name).is_file():
            return [str(scripts / name), "up"]
    return [sys.executable, "-m", "moodline", "up"]


def _family(platform: str) -> str:
    if platform.startswith("win") or platform == "cygwin":
        return "win32"
    return "darwin" if platform == "darwin" else "linux"


def methods_for(platform: str | None = None) -> tuple[str, ...]:
    """The start-at-login methods of `platform` (default: this OS), the default first."""
    return METHODS[_family(platform or sys.platform)]


def backend_for(
    platform: str | None = None,
    *,
    system: bool = False,
    method: str | None = None,
    home: Path | None = None,
    root: Path = Path("/"),
    env: Mapping[str, str] | None = None,
    registry: Registry | None = None,
    run: Runner | None = None,
) -> AutostartBackend:
    """The backend for `platform` (default `sys.platform`) and `method` (default: the first).

    Methods: Linux and other XDG desktops `xdg` (autostart entry) or `systemd` (user unit);
    macOS `launchagent`; Windows `run-key` or `startup-folder`. Anything not given comes from
    the real machine: the home dir, `os.environ`, the Windows registry, `systemctl`.
    """
    family = _family(platform or sys.platform)
    choice = method or METHODS[family][0]
    if choice not in METHODS[family]:
        known = ", ".join(METHODS[family])
        raise ValueError(f"unknown autostart method {choice!r} for {family} (one of: {known})")
    home = home if home is not None else Path.home()
    env = env if env is not None else os.environ
    if choice == "xdg":
        return XdgAutostart(home, system=system, root=root, env=env)
    if choice == "systemd":
        runner = run or run_command
        return SystemdUserUnit(home, run=runner, system=system, root=root, env=env)
    if choice == "launchagent":
        return LaunchAgent(home, system=system, root=root)
    if choice == "run-key":
        return RunKey(registry if registry is not None else WinRegistry(), system=system)
    return StartupFolder(env, system=system)


def login_command(entry: Path | str) -> list[str]:
    """The argv an installed entry runs at login.

    `entry` is a file (`.desktop`, `.plist`, `.service` or Startup-folder `.cmd`) or the data of
    a Windows `Run` value. ValueError when it holds no command.
    """
    if isinstance(entry, str):
        argv = windows_cmdline.split_command_line(entry)
    elif entry.suffix == ".desktop":
        keys = desktop_entry.read_keys(entry.read_text(encoding="utf-8"))
        if "Exec" not in keys:
            raise ValueError(f"{entry} has no Exec key in its [Desktop Entry] group")
        argv = desktop_entry.parse_exec(keys["Exec"])
    elif entry.suffix == ".plist":
        argv = launch_agent.program_arguments(launch_agent.load(entry.read_bytes()))
    elif entry.suffix == ".service":
        value = systemd_unit.read_exec_start(entry.read_text(encoding="utf-8"))
        if value is None:
            raise ValueError(f"{entry} has no ExecStart in its [Service] section")
        argv = systemd_unit.parse_exec_start(value)
    elif entry.suffix.lower() == ".cmd":
        argv = windows_cmdline.parse_cmd_file(entry.read_text(encoding="utf-8"))
    else:
        raise ValueError(f"{entry} is not an autostart entry Moodline writes")
    if not argv:
        raise ValueError(f"{entry} runs no command")
    return argv
