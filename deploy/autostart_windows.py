"""Windows: the `Run` registry value, or a .cmd in the Startup folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from moodline.deploy import windows_cmdline
from moodline.deploy.registry import Registry
from moodline.deploy.specs import FileSpec, RegistrySpec, Spec

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = "Moodline"
CMD_FILE = "Moodline.cmd"


class RunKey:
    """`HKCU` (or, for all users, `HKLM`) `...\\CurrentVersion\\Run`, value `Moodline`."""

    name = "run-key"

    def __init__(self, registry: Registry, *, system: bool = False) -> None:
        self.system = system
        self.registry = registry
        self.root = "HKLM" if system else "HKCU"

    def specs(self, argv: Sequence[str]) -> list[Spec]:
        line = windows_cmdline.command_line(argv)
        return [RegistrySpec(self.registry, self.root, RUN_KEY, VALUE_NAME, line)]

    def registered_command(self) -> list[str] | None:
        try:
            value = self.registry.get_value(self.root, RUN_KEY, VALUE_NAME)
        except OSError:
            return None
        return windows_cmdline.split_command_line(value) if value else None

    def is_registered(self) -> bool:
        return bool(self.registered_command())


def startup_folder(env: Mapping[str, str], *, system: bool) -> Path:
    """The user's Startup folder (from `APPDATA`) or the all-users one (from `PROGRAMDATA`)."""
    if system:
        base = env.get("PROGRAMDATA") or env.get("ALLUSERSPROFILE") or r"C:\ProgramData"
        return Path(base) / "Microsoft/Windows/Start Menu/Programs/StartUp"
    appdata = env.get("APPDATA")
    if not appdata:
        raise ValueError("APPDATA is not set: cannot find the Startup folder")
    return Path(appdata) / "Microsoft/Windows/Start Menu/Programs/Startup"


class StartupFolder:
    """`Moodline.cmd` in the Startup folder: starts the command minimised, then exits."""

    name = "startup-folder"

    def __init__(self, env: Mapping[str, str], *, system: bool = False) -> None:
        self.system = system
        self.path = startup_folder(env, system=system) / CMD_FILE

    def specs(self, argv: Sequence[str]) -> list[Spec]:
        return [FileSpec(self.path, windows_cmdline.render_cmd_file(argv).encode("utf-8"))]

    def registered_command(self) -> list[str] | None:
        try:
            return windows_cmdline.parse_cmd_file(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    def is_registered(self) -> bool:
        return bool(self.registered_command())
