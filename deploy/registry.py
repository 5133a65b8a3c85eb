"""The few Windows registry operations install needs: a real one (winreg) and one in memory."""

from __future__ import annotations

import sys
from typing import Protocol

ROOTS = ("HKCU", "HKLM")


def value_label(root: str, key: str, name: str) -> str:
    """How a value is named to people: `HKCU\\Software\\...\\Run\\Moodline`."""
    return f"{root}\\{key}\\{name}"


class Registry(Protocol):
    """String values under HKCU or HKLM: read, write, delete."""

    def get_value(self, root: str, key: str, name: str) -> str | None:
        """The value's data, or None when the key or value does not exist."""
        ...

    def set_value(self, root: str, key: str, name: str, value: str) -> None:
        """Create or replace a string (REG_SZ) value, creating the key if needed."""
        ...

    def delete_value(self, root: str, key: str, name: str) -> None:
        """Delete the value; nothing happens when it does not exist."""
        ...


def _check_root(root: str) -> None:
    if root not in ROOTS:
        raise ValueError(f"unknown registry root {root!r} (expected one of {ROOTS})")


class MemoryRegistry:
    """A registry in a dict, for tests and dry runs."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], str] = {}

    def get_value(self, root: str, key: str, name: str) -> str | None:
        _check_root(root)
        return self.values.get((root, key.lower(), name.lower()))

    def set_value(self, root: str, key: str, name: str, value: str) -> None:
        _check_root(root)
        self.values[(root, key.lower(), name.lower())] = value

    def delete_value(self, root: str, key: str, name: str) -> None:
        _check_root(root)
        self.values.pop((root, key.lower(), name.lower()), None)


class WinRegistry:
    """The real registry through `winreg` (imported only when used, and only on Windows)."""

    def get_value(self, root: str, key: str, name: str) -> str | None:
        _check_root(root)
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        hive = winreg.HKEY_CURRENT_USER if root == "HKCU" else winreg.HKEY_LOCAL_MACHINE
        try:
            with winreg.OpenKey(hive, key, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as handle:
                data, kind = winreg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        if kind not in (winreg.REG_SZ, winreg.REG_EXPAND_SZ):
            return repr(data)
        return str(data)

    def set_value(self, root: str, key: str, name: str, value: str) -> None:
        _check_root(root)
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        hive = winreg.HKEY_CURRENT_USER if root == "HKCU" else winreg.HKEY_LOCAL_MACHINE
        access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
        with winreg.CreateKeyEx(hive, key, 0, access) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def delete_value(self, root: str, key: str, name: str) -> None:
        _check_root(root)
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        hive = winreg.HKEY_CURRENT_USER if root == "HKCU" else winreg.HKEY_LOCAL_MACHINE
        try:
            access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
            with winreg.OpenKey(hive, key, 0, access) as handle:
                winreg.DeleteValue(handle, name)
        except FileNotFoundError:
            return
