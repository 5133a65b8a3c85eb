"""The Windows form of the browser policy: a .reg file for HKLM (Chrome and Edge)."""

from __future__ import annotations

import json
from typing import Any

from moodline.deploy.browser_policy import ExtensionPolicy, validate

REG_ROOTS = {
    "chrome": r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome",
    "edge": r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Edge",
}


def _reg_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reg_value(value: Any) -> str:
    """REG_DWORD for integers and booleans; REG_SZ for strings; JSON text for lists/objects
    (Chrome parses REG_SZ as JSON where the schema wants an array or object)."""
    if isinstance(value, bool):
        return f"dword:{int(value):08x}"
    if isinstance(value, int):
        return f"dword:{value:08x}"
    if isinstance(value, str):
        return _reg_string(value)
    return _reg_string(json.dumps(value, separators=(",", ":")))


def windows_reg(policy: ExtensionPolicy, browsers: tuple[str, ...] = ("chrome", "edge")) -> str:
    """The .reg text (import with `reg import moodline.reg`, or through Group Policy tools)."""
    values = policy.managed_values()
    validate(values)
    lines = ["Windows Registry Editor Version 5.00", ""]
    for browser in browsers:
        root = REG_ROOTS[browser]
        lines += [f"[{root}]", f'"ExtensionSettings"={_reg_value(policy.extension_settings())}', ""]
        if values:
            lines.append(f"[{root}\\3rdparty\\extensions\\{policy.extension_id}\\policy]")
            lines += [
                f"{_reg_string(key)[0:]}={_reg_value(value)}" for key, value in values.items()
            ]
            lines.append("")
    return "\r\n".join(lines)


def regedit_bytes(text: str) -> bytes:
    """A .reg file as regedit writes it: UTF-16 little-endian with a byte-order mark."""
    return ("\ufeff" + text).encode("utf-16-le")


def windows_reg_bytes(
    policy: ExtensionPolicy, browsers: tuple[str, ...] = ("chrome", "edge")
) -> bytes:
    return regedit_bytes(windows_reg(policy, browsers))


def windows_unreg(policy: ExtensionPolicy, browsers: tuple[str, ...] = ("chrome", "edge")) -> str:
    """A .reg that removes what `windows_reg` adds (the rollback IT keeps beside it)."""
    lines = ["Windows Registry Editor Version 5.00", ""]
    for browser in browsers:
        root = REG_ROOTS[browser]
        lines += [f"[{root}]", '"ExtensionSettings"=-', ""]
        lines += [f"[-{root}\\3rdparty\\extensions\\{policy.extension_id}]", ""]
    return "\r\n".join(lines)
