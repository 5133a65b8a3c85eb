"""Linux (and other XDG desktops): an XDG autostart entry, or a systemd user unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from moodline.deploy import desktop_entry, systemd_unit
from moodline.deploy.specs import FileSpec, Runner, ServiceSpec, Spec

DESKTOP_FILE = "moodline.desktop"
NAME = "Moodline"
COMMENT = "Live customer sentiment beside your chat console"


def config_home(home: Path, env: Mapping[str, str]) -> Path:
    """`$XDG_CONFIG_HOME` when set to an absolute path, else `~/.config`."""
    value = env.get("XDG_CONFIG_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else home / ".config"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, UnicodeDecodeError):
        return None


class XdgAutostart:
    """`moodline.desktop` in the user's autostart folder, or `<root>/etc/xdg/autostart`."""

    name = "xdg-autostart"

    def __init__(
        self,
        home: Path,
        *,
        system: bool = False,
        root: Path = Path("/"),
        env: Mapping[str, str] | None = None,
        icon: str | None = None,
    ) -> None:
        self.system = system
        self.icon = icon
        folder = (
            root / "etc/xdg/autostart" if system else config_home(home, env or {}) / "autostart"
        )
        self.path = folder / DESKTOP_FILE

    def specs(self, argv: Sequence[str]) -> list[Spec]:
        text = desktop_entry.render(argv, name=NAME, comment=COMMENT, icon=self.icon)
        return [FileSpec(self.path, text.encode("utf-8"))]

    def registered_command(self) -> list[str] | None:
        text = _read(self.path)
        if text is None:
            return None
        keys = desktop_entry.read_keys(text)
        if not desktop_entry.is_enabled(keys) or "Exec" not in keys:
            return None
        try:
            return desktop_entry.parse_exec(keys["Exec"])
        except ValueError:
            return None

    def is_registered(self) -> bool:
        return bool(self.registered_command())


class SystemdUserUnit:
    """`moodline.service` as a systemd user unit, enabled for `default.target`."""

    name = "systemd-user"

    def __init__(
        self,
        home: Path,
        *,
        run: Runner,
        system: bool = False,
        root: Path = Path("/"),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.system = system
        self.run = run
        folder = (
            root / "etc/systemd/user" if system else config_home(home, env or {}) / "systemd/user"
        )
        self.path = folder / systemd_unit.UNIT_NAME
        self.link = folder / "default.target.wants" / systemd_unit.UNIT_NAME
        scope = ["--global"] if system else ["--user"]
        if system and root != Path("/"):
            scope.append(f"--root={root}")
        self.enable = ("systemctl", *scope, "enable", systemd_unit.UNIT_NAME)
        self.disable = ("systemctl", *scope, "disable", systemd_unit.UNIT_NAME)

    def specs(self, argv: Sequence[str]) -> list[Spec]:
        text = systemd_unit.render(argv, description=f"{NAME}: {COMMENT.lower()}")
        service = ServiceSpec(
            self.run, systemd_unit.UNIT_NAME, self.link, self.enable, self.disable
        )
        return [FileSpec(self.path, text.encode("utf-8")), service]

    def registered_command(self) -> list[str] | None:
        text = _read(self.path)
        if text is None or not self.link.exists():
            return None
        value = systemd_unit.read_exec_start(text)
        if value is None:
            return None
        try:
            return systemd_unit.parse_exec_start(value)
        except ValueError:
            return None

    def is_registered(self) -> bool:
        return bool(self.registered_command())
