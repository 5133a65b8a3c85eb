"""Writes the browser policies where they belong: the Linux policy folders with `--system`, or
one folder for IT's own tools (Linux JSON, Windows .reg and its rollback, macOS profile)."""

from __future__ import annotations

import json
from pathlib import Path

from moodline.deploy.browser_policy import ExtensionPolicy, linux_policy
from moodline.deploy.files import write_atomic
from moodline.deploy.policy_macos import macos_mobileconfig
from moodline.deploy.policy_windows import regedit_bytes, windows_reg_bytes, windows_unreg

POLICY_NAME = "moodline.json"
# Where each browser reads machine policy on Linux (relative to the system root).
LINUX_POLICY_DIRS = {
    "chrome": Path("etc/opt/chrome/policies/managed"),
    "chromium": Path("etc/chromium/policies/managed"),
    "edge": Path("etc/opt/edge/policies/managed"),
}


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)  # 0644: browsers run as the agent and must read it
    return path


def linux_policy_paths(system_root: Path = Path("/")) -> list[Path]:
    return [system_root / folder / POLICY_NAME for folder in LINUX_POLICY_DIRS.values()]


def write_system_policies(policy: ExtensionPolicy, system_root: Path = Path("/")) -> list[Path]:
    """Linux with `--system`: the JSON policy into Chrome's, Chromium's and Edge's folders."""
    data = (json.dumps(linux_policy(policy), indent=2) + "\n").encode()
    return [_write(path, data) for path in linux_policy_paths(system_root)]


def write_policy_folder(policy: ExtensionPolicy, folder: Path) -> list[Path]:
    """Every form, for IT to push with its own tools (GPO/Intune, Jamf, Ansible...)."""
    linux = (json.dumps(linux_policy(policy), indent=2) + "\n").encode()
    return [
        _write(folder / "linux" / POLICY_NAME, linux),
        _write(folder / "windows" / "moodline.reg", windows_reg_bytes(policy)),
        _write(folder / "windows" / "moodline-remove.reg", regedit_bytes(windows_unreg(policy))),
        _write(folder / "macos" / "moodline.mobileconfig", macos_mobileconfig(policy)),
    ]


def present_policies(system_root: Path = Path("/")) -> list[Path]:
    """The Moodline policy files a browser on this Linux machine would read."""
    return [path for path in linux_policy_paths(system_root) if path.is_file()]
