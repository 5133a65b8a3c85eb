"""Autostart for `moodline install`: every OS backend against a fake home, root and registry."""

from __future__ import annotations

import configparser
import ctypes
import ctypes.util
import hashlib
import json
import os
import plistlib
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from moodline.deploy import (
    Change,
    MemoryRegistry,
    RecordError,
    WinRegistry,
    backend_for,
    desktop_entry,
    install,
    login_command,
    systemd_unit,
    uninstall,
    windows_cmdline,
)
from moodline.deploy.autostart_linux import SystemdUserUnit, XdgAutostart
from moodline.deploy.autostart_macos import LaunchAgent
from moodline.deploy.autostart_windows import RUN_KEY, RunKey, StartupFolder
from moodline.deploy.specs import AutostartBackend

TRICKY_ARGS = [
    "plain",
    "with space",
    'double"quote',
    "single'quote",
    "back\\slash",
    "trailing\\",
    "dollar$HOME",
    "back`tick`",
    "percent%U",
    "%f",
    "100%%",
    "",
    "semi;colon&amp|pipe",
    "<in>out",
    "~tilde",
    "#hash",
    "(paren)",
    "*?glob",
    "caret^",
    "tab\there",
    " leading and trailing ",
    "ünïcødé ✓",
]


class FakeSystemctl:
    """Records every command; `enable`/`disable` add and remove the wants link like systemctl."""

    def __init__(self, link: Path, status: int = 0) -> None:
        self.link = link
        self.status = status
        self.calls: list[list[str]] = []

    def __call__(self, argv: list[str]) -> int:
        self.calls.append(argv)
        if self.status == 0 and "enable" in argv:
            self.link.parent.mkdir(parents=True, exist_ok=True)
            self.link.symlink_to(self.link.parent.parent / systemd_unit.UNIT_NAME)
        elif self.status == 0 and "disable" in argv:
            self.link.unlink()
        return self.status


@pytest.fixture(autouse=True)
def real_home_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point HOME somewhere that must stay absent: nothing may fall back to the real home."""
    guard = tmp_path / "real-home-must-not-be-used"
    monkeypatch.setenv("HOME", str(guard))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    yield
    assert not guard.exists()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    folder.mkdir()
    return folder


@pytest.fixture
def record(tmp_path: Path) -> Path:
    return tmp_path / "config" / "install-record.json"


@pytest.fixture
def argv(tmp_path: Path) -> list[str]:
    return [str(tmp_path / 'My Apps/venv "q"/bin/moodline'), "up", "--port", "47615"]


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its content (None for folders)."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


def desktop_keys(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


# --- Linux: XDG autostart -------------------------------------------------------------------


def test_xdg_install_writes_a_valid_desktop_entry(
    home: Path, record: Path, argv: list[str]
) -> None:
    backend = XdgAutostart(home, env={})
    result = install(backend, argv, record, home=home)
    path = home / ".config/autostart/moodline.desktop"
    assert result.ok and not result.already_installed
    assert [a.describe() for a in result.actions] == [
        "created folder ~/.config",
        "created folder ~/.config/autostart",
        "wrote ~/.config/autostart/moodline.desktop",
    ]
    keys = desktop_keys(path)
    assert keys["Type"] == "Application"
    assert keys["Name"] == "Moodline" and keys["Comment"]
    assert keys["Terminal"] == "false"
    assert keys["X-GNOME-Autostart-enabled"] == "true"
    assert "Icon" not in keys
    assert desktop_entry.parse_exec(keys["Exec"]) == argv
    assert keys["TryExec"] == argv[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert login_command(path) == argv
    assert backend.is_registered() and backend.registered_command() == argv
    assert not list(path.parent.glob(".*.tmp"))


def test_xdg_icon_and_config_home_from_env(tmp_path: Path, home: Path, record: Path) -> None:
    config = tmp_path / "elsewhere"
    backend = XdgAutostart(home, env={"XDG_CONFIG_HOME": str(config)}, icon="moodline")
    install(backend, ["/usr/bin/moodline", "up"], record)
    path = config / "autostart/moodline.desktop"
    assert desktop_keys(path)["Icon"] == "moodline"
    assert not (home / ".config").exists()


def test_xdg_system_entry_goes_under_the_fake_root(
    home: Path, root: Path, record: Path, argv: list[str]
) -> None:
    backend = XdgAutostart(home, system=True, root=root)
    result = install(backend, argv, record)
    path = root / "etc/xdg/autostart/moodline.desktop"
    assert result.ok and login_command(path) == argv
    assert json.loads(record.read_text())["system"] is True
    assert tree(home) == {}
    uninstall(record)
    assert tree(root) == {}


def test_disabled_or_hidden_desktop_entry_is_not_registered(home: Path, record: Path) -> None:
    backend = XdgAutostart(home, env={})
    assert not backend.is_registered()
    install(backend, ["/usr/bin/moodline", "up"], record)
    text = backend.path.read_text()
    backend.path.write_text(text.replace("X-GNOME-Autostart-enabled=true", "Hidden=true"))
    assert not backend.is_registered()


def test_install_twice_changes_nothing(home: Path, record: Path, argv: list[str]) -> None:
    backend = XdgAutostart(home, env={})
    install(backend, argv, record, home=home)
    before_files, before_record = tree(home), record.read_bytes()
    again = install(backend, argv, record, home=home)
    assert again.ok and again.already_installed
    assert [a.change for a in again.actions] == [Change.UNCHANGED]
    assert again.describe() == "already installed: ~/.config/autostart/moodline.desktop"
    assert tree(home) == before_files
    assert record.read_bytes() == before_record


def test_a_changed_command_updates_the_entry(home: Path, record: Path, argv: list[str]) -> None:
    backend = XdgAutostart(home, env={})
    install(backend, argv, record)
    new = [*argv[:2], "--port", "50000"]
    result = install(backend, new, record, home=home)
    assert [a.describe() for a in result.actions] == [
        "updated ~/.config/autostart/moodline.desktop"
    ]
    assert login_command(backend.path) == new
    saved = json.loads(record.read_text())
    assert saved["command"] == new
    files = [e for e in saved["entries"] if e["kind"] == "file"]
    assert files[0]["sha256"] == hashlib.sha256(backend.path.read_bytes()).hexdigest()


def test_uninstall_removes_exactly_what_install_added(
    home: Path, record: Path, argv: list[str]
) -> None:
    autostart = home / ".config/autostart"
    autostart.mkdir(parents=True)
    (autostart / "other-app.desktop").write_text("[Desktop Entry]\nName=Other\n")
    (home / ".config/keep.txt").write_text("mine")
    before = tree(home)
    backend = XdgAutostart(home, env={})
    installed = install(backend, argv, record, home=home)
    assert [a.change for a in installed.actions] == [Change.CREATED]  # no folder was created
    result = uninstall(record, home=home)
    assert result.ok and result.had_record
    assert result.describe() == "removed ~/.config/autostart/moodline.desktop"
    assert tree(home) == before
    assert not record.exists()


def test_uninstall_removes_the_folders_install_created(
    home: Path, record: Path, argv: list[str]
) -> None:
    install(XdgAutostart(home, env={}), argv, record)
    result = uninstall(record, home=home)
    assert [a.describe() for a in result.actions] == [
        "removed ~/.config/autostart/moodline.desktop",
        "removed folder ~/.config/autostart",
        "removed folder ~/.config",
    ]
    assert tree(home) == {}


def test_uninstall_keeps_a_file_changed_after_install(
    home: Path, record: Path, argv: list[str]
) -> None:
    backend = XdgAutostart(home, env={})
    install(backend, argv, record)
    edited = backend.path.read_text() + "X-Edited-By=user\n"
    backend.path.write_text(edited)
    result = uninstall(record, home=home)
    assert result.ok
    assert [a.describe() for a in result.kept] == [
        "kept ~/.config/autostart/moodline.desktop: it was changed after moodline install"
    ]
    assert "kept folder ~/.config/autostart: it holds other files" in result.describe()
    assert backend.path.read_text() == edited
    assert not record.exists()


def test_install_leaves_a_file_it_did_not_write_unless_forced(
    home: Path, record: Path, argv: list[str]
) -> None:
    backend = XdgAutostart(home, env={})
    backend.path.parent.mkdir(parents=True)
    backend.path.write_text("[Desktop Entry]\nExec=someone-else\n")
    result = install(backend, argv, record, home=home)
    assert not result.ok and [a.change for a in result.actions] == [Change.CONFLICT]
    assert "not written by moodline install" in result.describe()
    assert backend.path.read_text() == "[Desktop Entry]\nExec=someone-else\n"
    assert not record.exists()
    forced = install(backend, argv, record, force=True)
    assert forced.ok and [a.change for a in forced.actions] == [Change.UPDATED]
    assert login_command(backend.path) == argv


def test_install_leaves_its_own_file_if_changed_since(
    home: Path, record: Path, argv: list[str]
) -> None:
    backend = XdgAutostart(home, env={})
    install(backend, argv, record)
    backend.path.write_text(backend.path.read_text() + "# mine now\n")
    result = install(backend, [*argv, "--extra"], record)
    assert not result.ok and "changed after moodline install" in result.describe()
    assert backend.path.read_text().endswith("# mine now\n")
    assert uninstall(record).kept  # still recorded, still kept


def test_what_the_desktop_entry_runs_really_runs(tmp_path: Path, home: Path, record: Path) -> None:
    script = "import sys; print(repr(sys.argv[1:]))"
    argv = [sys.executable, "-c", script, "a b", 'q"uote', "$HOME", "100%"]
    install(XdgAutostart(home, env={}), argv, record)
    command = login_command(home / ".config/autostart/moodline.desktop")
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == repr(argv[3:])


# --- Desktop Entry Exec quoting -------------------------------------------------------------


def test_exec_quoting_follows_the_spec_examples() -> None:
    assert desktop_entry.exec_value(["/usr/bin/moodline", "up"]) == "/usr/bin/moodline up"
    assert desktop_entry.exec_value(["/opt/my app/x"]) == '"/opt/my app/x"'
    # A literal `$` in a quoted argument is `\\$`, a literal backslash `\\\\` (spec, "Exec key").
    assert desktop_entry.exec_value(["x", "a$b"]) == 'x "a\\\\$b"'
    assert desktop_entry.exec_value(["x", "a\\b"]) == 'x "a\\\\\\\\b"'
    assert desktop_entry.exec_value(["x", "50%"]) == "x 50%%"


def test_exec_parsing_drops_field_codes_from_other_entries() -> None:
    assert desktop_entry.parse_exec("moodline up %U") == ["moodline", "up"]
    assert desktop_entry.parse_exec('"/opt/a b/x" --f=100%%') == ["/opt/a b/x", "--f=100%"]
    with pytest.raises(ValueError, match="unterminated"):
        desktop_entry.parse_exec('"/opt/a b/x')


def _glib_exec_argv(text: str) -> list[str]:
    """What GLib (GNOME's autostart) runs for a .desktop file: key file, then shell parse."""
    name = ctypes.util.find_library("glib-2.0")
    assert name is not None, "GLib is missing: run `bash .ci/system-deps` (libglib2.0-0)"
    glib = ctypes.CDLL(name)
    glib.g_key_file_new.restype = ctypes.c_void_p
    glib.g_key_file_load_from_data.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_int,
        ctypes.c_void_p,
    ]
    glib.g_key_file_get_string.restype = ctypes.c_char_p
    glib.g_key_file_get_string.argtypes = (
        [ctypes.c_void_p] + [ctypes.c_char_p] * 2 + [ctypes.c_void_p]
    )
    argv_type = ctypes.POINTER(ctypes.c_char_p)
    glib.g_shell_parse_argv.argtypes = [
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(argv_type),
        ctypes.c_void_p,
    ]
    keyfile = glib.g_key_file_new()
    data = text.encode("utf-8")
    assert glib.g_key_file_load_from_data(keyfile, data, len(data), 0, None)
    value = glib.g_key_file_get_string(keyfile, b"Desktop Entry", b"Exec", None)
    argc, argv = ctypes.c_int(), argv_type()
    assert glib.g_shell_parse_argv(value.replace(b"%%", b"%"), argc, argv, None)
    return [argv[index].decode("utf-8") for index in range(argc.value)]


def test_glib_reads_the_exec_line_as_written() -> None:
    argv = ['/opt/My Apps/venv "q"/bin/moodline', *TRICKY_ARGS, "new\nline", "cr\rx"]
    text = desktop_entry.render(argv, name="Moodline", comment="c")
    assert _glib_exec_argv(text) == argv


@pytest.mark.parametrize("arg", TRICKY_ARGS)
def test_exec_round_trips_every_tricky_argument(tmp_path: Path, home: Path, arg: str) -> None:
    argv = [str(tmp_path / f"dir {arg}/moodline"), arg, "up"]
    record = tmp_path / "record.json"
    install(XdgAutostart(home, env={}), argv, record)
    path = home / ".config/autostart/moodline.desktop"
    assert desktop_entry.parse_exec(desktop_keys(path)["Exec"]) == argv
    assert login_command(path) == argv


def _args(exclude: str = "", control: str = "") -> st.SearchStrategy[list[str]]:
    """Lists of arguments: any text but surrogates, control characters only those in `control`."""
    chars = st.characters(
        exclude_categories=("Cs", "Cc"), include_characters=control, exclude_characters=exclude
    )
    return st.lists(st.text(chars), max_size=5)


_CONTROL = "".join(map(chr, range(1, 0x20))) + "\x7f"


@settings(max_examples=300, deadline=None)
@given(rest=_args(control="\t\n\r"))
@example(rest=["\xa0"])  # a no-break space argument at the line's end was once stripped
def test_desktop_exec_round_trip_property(rest: list[str]) -> None:
    argv = ["/usr/bin/moodline", *rest]
    assert desktop_entry.parse_exec(desktop_entry.exec_value(argv)) == argv
    text = desktop_entry.render(argv, name="Moodline", comment="c")
    assert desktop_entry.parse_exec(desktop_entry.read_keys(text)["Exec"]) == argv


@settings(max_examples=300, deadline=None)
@given(rest=_args(control=_CONTROL))
def test_systemd_exec_start_round_trip_property(rest: list[str]) -> None:
    argv = ["/usr/bin/moodline", *rest]
    text = systemd_unit.render(argv, description="Moodline")
    value = systemd_unit.read_exec_start(text)
    assert value is not None and systemd_unit.parse_exec_start(value) == argv


@settings(max_examples=300, deadline=None)
@given(rest=_args(control=_CONTROL.replace("\r", "").replace("\n", "")))
def test_windows_command_line_round_trip_property(rest: list[str]) -> None:
    argv = [r"C:\Program Files\Moodline\moodline.exe", *rest]
    assert windows_cmdline.split_command_line(windows_cmdline.command_line(argv)) == argv


@settings(max_examples=300, deadline=None)
@given(rest=_args(control="\t"))
def test_startup_cmd_round_trip_property(rest: list[str]) -> None:
    argv = [r"C:\Users\A & B\moodline.exe", *rest]
    assert windows_cmdline.parse_cmd_file(windows_cmdline.render_cmd_file(argv)) == argv


def test_control_characters_are_refused_where_a_format_cannot_hold_them() -> None:
    with pytest.raises(ValueError, match="control characters"):
        desktop_entry.exec_value(["/usr/bin/moodline", "bell\x07"])
    with pytest.raises(ValueError, match="control characters"):
        windows_cmdline.render_cmd_file([r"C:\m.exe", "form\x0cfeed"])
    with pytest.raises(ValueError, match="line break"):
        windows_cmdline.command_line([r"C:\m.exe", "two\nlines"])


# --- Linux: systemd user unit ---------------------------------------------------------------


def test_systemd_user_unit_is_written_and_enabled(
    home: Path, record: Path, argv: list[str]
) -> None:
    unit_dir = home / ".config/systemd/user"
    systemctl = FakeSystemctl(unit_dir / "default.target.wants/moodline.service")
    backend = SystemdUserUnit(home, run=systemctl, env={})
    result = install(backend, argv, record, home=home)
    assert result.ok
    assert systemctl.calls == [["systemctl", "--user", "enable", "moodline.service"]]
    assert result.actions[-1].describe() == (
        "enabled moodline.service (systemctl --user enable moodline.service)"
    )
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(unit_dir / "moodline.service")
    assert unit["Service"]["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "default.target"
    assert systemd_unit.parse_exec_start(unit["Service"]["ExecStart"]) == argv
    assert login_command(unit_dir / "moodline.service") == argv
    assert backend.is_registered()

    again = install(backend, argv, record)
    assert again.already_installed and len(systemctl.calls) == 1

    removed = uninstall(record, run=systemctl, home=home)
    assert removed.ok
    assert systemctl.calls[-1] == ["systemctl", "--user", "disable", "moodline.service"]
    assert tree(home) == {}
    assert not backend.is_registered()


def test_systemd_system_unit_under_the_fake_root(
    home: Path, root: Path, record: Path, argv: list[str]
) -> None:
    unit_dir = root / "etc/systemd/user"
    systemctl = FakeSystemctl(unit_dir / "default.target.wants/moodline.service")
    backend = SystemdUserUnit(home, run=systemctl, system=True, root=root)
    assert install(backend, argv, record).ok
    assert (unit_dir / "moodline.service").is_file()
    assert systemctl.calls == [
        ["systemctl", "--global", f"--root={root}", "enable", "moodline.service"]
    ]
    uninstall(record, run=systemctl)
    assert systemctl.calls[-1] == [
        "systemctl",
        "--global",
        f"--root={root}",
        "disable",
        "moodline.service",
    ]
    assert tree(root) == {} and tree(home) == {}


def test_a_failed_enable_is_reported_and_the_unit_still_recorded(
    home: Path, record: Path, argv: list[str]
) -> None:
    systemctl = FakeSystemctl(home / "unused", status=1)
    backend = SystemdUserUnit(home, run=systemctl, env={})
    result = install(backend, argv, record)
    assert not result.ok
    assert result.actions[-1].change == Change.FAILED
    assert "systemctl --user enable moodline.service exited with 1" in result.describe()
    uninstall(record, run=systemctl)
    assert tree(home) == {}


def test_a_failed_disable_keeps_it_in_the_record_for_a_retry(
    home: Path, record: Path, argv: list[str]
) -> None:
    systemctl = FakeSystemctl(home / ".config/systemd/user/default.target.wants/moodline.service")
    install(SystemdUserUnit(home, run=systemctl, env={}), argv, record)
    systemctl.status = 5
    result = uninstall(record, run=systemctl)
    assert not result.ok
    left = json.loads(record.read_text())["entries"]
    assert [entry["kind"] for entry in left] == ["systemd-enable"]
    systemctl.status = 0
    assert uninstall(record, run=systemctl).ok
    assert not record.exists()


def test_switching_method_removes_the_old_entry(home: Path, record: Path, argv: list[str]) -> None:
    install(XdgAutostart(home, env={}), argv, record)
    systemctl = FakeSystemctl(home / ".config/systemd/user/default.target.wants/moodline.service")
    result = install(SystemdUserUnit(home, run=systemctl, env={}), argv, record, home=home)
    assert "removed ~/.config/autostart/moodline.desktop" in result.describe()
    assert "removed folder ~/.config/autostart" in result.describe()
    assert not (home / ".config/autostart").exists()
    assert json.loads(record.read_text())["backend"] == "systemd-user"
    uninstall(record, run=systemctl)
    assert tree(home) == {}


# --- macOS: LaunchAgent ---------------------------------------------------------------------


def test_launch_agent_plist(home: Path, record: Path, argv: list[str]) -> None:
    backend = LaunchAgent(home)
    result = install(backend, argv, record, home=home)
    path = home / "Library/LaunchAgents/com.moodline.agent.plist"
    assert "wrote ~/Library/LaunchAgents/com.moodline.agent.plist" in result.describe()
    job = plistlib.loads(path.read_bytes())
    assert job["Label"] == "com.moodline.agent"
    assert job["ProgramArguments"] == argv
    assert job["RunAtLoad"] is True
    assert job["KeepAlive"] == {"SuccessfulExit": False}
    logs = home / "Library/Logs/Moodline"
    assert Path(job["StandardOutPath"]).parent == logs
    assert Path(job["StandardErrorPath"]).parent == logs
    assert logs.is_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert login_command(path) == argv and backend.is_registered()
    assert install(backend, argv, record).already_installed
    assert uninstall(record).ok
    assert tree(home) == {}


def test_launch_agent_keeps_existing_logs_folder(home: Path, record: Path) -> None:
    logs = home / "Library/Logs/Moodline"
    logs.mkdir(parents=True)
    (logs / "moodline.out.log").write_text("old log")
    install(LaunchAgent(home), ["/Applications/Moodline/bin/moodline", "up"], record)
    uninstall(record)
    assert (logs / "moodline.out.log").read_text() == "old log"
    assert not (home / "Library/LaunchAgents").exists()


def test_launch_agent_for_all_users(home: Path, root: Path, record: Path, argv: list[str]) -> None:
    backend = LaunchAgent(home, system=True, root=root)
    install(backend, argv, record)
    path = root / "Library/LaunchAgents/com.moodline.agent.plist"
    job = plistlib.loads(path.read_bytes())
    assert job["ProgramArguments"] == argv and "StandardOutPath" not in job
    assert tree(home) == {}
    uninstall(record)
    assert tree(root) == {}


# --- Windows: Run key and Startup folder ----------------------------------------------------


def test_run_key_value(record: Path) -> None:
    registry = MemoryRegistry()
    registry.set_value("HKCU", RUN_KEY, "OtherApp", r"C:\Other\other.exe")
    argv = [r"C:\Program Files\Moodline\venv\Scripts\moodline.exe", "up", 'say "hi"', "a\\"]
    backend = RunKey(registry)
    result = install(backend, argv, record)
    assert result.describe() == f"set HKCU\\{RUN_KEY}\\Moodline"
    value = registry.get_value("HKCU", RUN_KEY, "Moodline")
    assert value == subprocess.list2cmdline(argv)
    assert value is not None and login_command(value) == argv
    assert backend.is_registered()
    assert install(backend, argv, record).already_installed
    assert uninstall(record, registry=registry).ok
    assert registry.get_value("HKCU", RUN_KEY, "Moodline") is None
    assert registry.get_value("HKCU", RUN_KEY, "OtherApp") == r"C:\Other\other.exe"
    assert not backend.is_registered()


def test_run_key_for_all_users_and_a_value_changed_since(record: Path) -> None:
    registry = MemoryRegistry()
    backend = RunKey(registry, system=True)
    install(backend, [r"C:\Moodline\moodline.exe", "up"], record)
    assert registry.get_value("HKLM", RUN_KEY, "Moodline") == r"C:\Moodline\moodline.exe up"
    assert registry.get_value("HKCU", RUN_KEY, "Moodline") is None
    registry.set_value("HKLM", RUN_KEY, "Moodline", r"C:\Custom\moodline.exe up")
    result = uninstall(record, registry=registry)
    assert [a.change for a in result.kept] == [Change.KEPT_MODIFIED]
    assert registry.get_value("HKLM", RUN_KEY, "Moodline") == r"C:\Custom\moodline.exe up"


def test_startup_folder_cmd(tmp_path: Path, record: Path) -> None:
    appdata = tmp_path / "AppData/Roaming"
    startup = appdata / "Microsoft/Windows/Start Menu/Programs/Startup"
    startup.mkdir(parents=True)
    (startup / "desktop.ini").write_text("[.ShellClassInfo]\n")
    argv = [r"C:\Users\Jo & Al\Moodline (x86)\moodline.exe", "up", "100%", "a^b", 'q"&"']
    backend = StartupFolder({"APPDATA": str(appdata)})
    install(backend, argv, record)
    path = startup / "Moodline.cmd"
    assert b"\r\n" in path.read_bytes()
    assert login_command(path) == argv and backend.is_registered()
    assert install(backend, argv, record).already_installed
    uninstall(record)
    assert [p.name for p in startup.iterdir()] == ["desktop.ini"]


def test_startup_folder_for_all_users(tmp_path: Path, record: Path) -> None:
    env = {"APPDATA": str(tmp_path / "appdata"), "PROGRAMDATA": str(tmp_path / "ProgramData")}
    install(StartupFolder(env, system=True), [r"C:\Moodline\moodline.exe", "up"], record)
    path = tmp_path / "ProgramData/Microsoft/Windows/Start Menu/Programs/StartUp/Moodline.cmd"
    assert login_command(path) == [r"C:\Moodline\moodline.exe", "up"]
    assert not (tmp_path / "appdata").exists()
    uninstall(record)
    assert not (tmp_path / "ProgramData").exists()


def test_switching_windows_method_deletes_the_run_value(tmp_path: Path, record: Path) -> None:
    registry = MemoryRegistry()
    argv = [r"C:\Moodline\moodline.exe", "up"]
    install(RunKey(registry), argv, record)
    result = install(StartupFolder({"APPDATA": str(tmp_path)}), argv, record, registry=registry)
    assert result.ok and registry.get_value("HKCU", RUN_KEY, "Moodline") is None


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows behaviour")
def test_the_real_registry_is_not_touched_off_windows() -> None:
    assert "winreg" not in sys.modules
    with pytest.raises(OSError, match="only on Windows"):
        WinRegistry().get_value("HKCU", RUN_KEY, "Moodline")


# --- choosing a backend; the record ---------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "method", "expected"),
    [
        ("linux", None, XdgAutostart),
        ("linux", "systemd", SystemdUserUnit),
        ("freebsd14", None, XdgAutostart),
        ("darwin", None, LaunchAgent),
        ("win32", None, RunKey),
        ("win32", "startup-folder", StartupFolder),
    ],
)
def test_backend_for(
    home: Path, root: Path, platform: str, method: str | None, expected: type[AutostartBackend]
) -> None:
    backend = backend_for(
        platform,
        method=method,
        home=home,
        root=root,
        env={"APPDATA": str(home)},
        registry=MemoryRegistry(),
        run=FakeSystemctl(home / "link"),
    )
    assert isinstance(backend, expected)
    assert not backend.system and not backend.is_registered()


def test_backend_for_rejects_an_unknown_method(home: Path) -> None:
    with pytest.raises(ValueError, match="one of: launchagent"):
        backend_for("darwin", method="systemd", home=home)


def test_the_record_lists_what_was_created(home: Path, record: Path, argv: list[str]) -> None:
    install(LaunchAgent(home), argv, record)
    saved = json.loads(record.read_text())
    assert saved["format"] == 1 and saved["backend"] == "launch-agent"
    assert saved["command"] == argv and saved["system"] is False
    created = {(e["kind"], e["path"]) for e in saved["entries"]}
    assert created == {
        ("dir", str(home / "Library")),
        ("dir", str(home / "Library/LaunchAgents")),
        ("dir", str(home / "Library/Logs")),
        ("dir", str(home / "Library/Logs/Moodline")),
        ("file", str(home / "Library/LaunchAgents/com.moodline.agent.plist")),
    }


def test_uninstall_without_a_record_does_nothing(home: Path, record: Path) -> None:
    result = uninstall(record)
    assert result.ok and not result.had_record and result.actions == ()
    assert result.describe().startswith("nothing to remove")


def test_a_record_of_an_unknown_format_is_refused(record: Path) -> None:
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"format": 99, "entries": []}))
    with pytest.raises(RecordError, match="format 99"):
        uninstall(record)


def test_login_command_refuses_other_files(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(ValueError, match="not an autostart entry"):
        login_command(other)


def test_an_empty_command_is_refused(home: Path, record: Path) -> None:
    with pytest.raises(ValueError, match="no program"):
        install(XdgAutostart(home, env={}), [], record)
    assert os.listdir(home) == []


def test_a_failed_switch_takes_nothing_away(home: Path, record: Path, argv: list[str]) -> None:
    install(XdgAutostart(home, env={}), argv, record)
    foreign = home / ".config/systemd/user/moodline.service"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("[Service]\nExecStart=/usr/bin/other\n")
    systemctl = FakeSystemctl(foreign.parent / "default.target.wants/moodline.service")
    result = install(SystemdUserUnit(home, run=systemctl, env={}), [*argv, "-v"], record)
    assert not result.ok and systemctl.calls == []
    assert login_command(home / ".config/autostart/moodline.desktop") == argv
    saved = json.loads(record.read_text())
    assert saved["command"] == argv
    desktop = str(home / ".config/autostart/moodline.desktop")
    assert desktop in {entry.get("path") for entry in saved["entries"]}
    uninstall(record)
    assert not (home / ".config/autostart").exists() and foreign.is_file()


def test_a_write_that_fails_is_reported(home: Path, record: Path, argv: list[str]) -> None:
    (home / ".config").write_text("not a folder")
    result = install(XdgAutostart(home, env={}), argv, record, home=home)
    assert not result.ok and result.actions[-1].change == Change.FAILED
    assert result.describe().startswith("could not change ~/.config/autostart/moodline.desktop (")
    assert not record.exists()


def test_the_install_records_are_in_the_config_dir(tmp_path: Path) -> None:
    from moodline.daemon.locations import Locations

    # conftest points MOODLINE_CONFIG_DIR at tmp_path / "config".
    locations = Locations.resolve()
    assert locations.install_record() == tmp_path / "config/install-record.json"
    assert locations.install_record(system=True) == tmp_path / "config/install-record-system.json"
