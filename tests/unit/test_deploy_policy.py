"""Browser policies for IT: validated against the extension's managed schema, in every form,
written to a fake policy root (never the real /etc)."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pytest

from moodline.daemon.settings import DEFAULT_EXTENSION_ID
from moodline.deploy.browser_policy import ExtensionPolicy, PolicyError, linux_policy, validate
from moodline.deploy.policy_files import (
    present_policies,
    write_policy_folder,
    write_system_policies,
)
from moodline.deploy.policy_macos import macos_mobileconfig
from moodline.deploy.policy_windows import windows_reg

POLICY = ExtensionPolicy(
    daemon_port=47700,
    enabled_sites=("https://support.example.com",),
    generic_adapters=(
        {"origin": "https://desk.example.com", "message": ".msg", "customer": ".msg--in"},
    ),
    pairing_secret="s" * 32,
    update_url="https://it.example.com/moodline/updates.xml",
)


def test_linux_policy_force_installs_and_presets_managed_storage() -> None:
    document = linux_policy(POLICY)
    entry = document["ExtensionSettings"][DEFAULT_EXTENSION_ID]
    assert entry["installation_mode"] == "force_installed"
    assert entry["update_url"] == "https://it.example.com/moodline/updates.xml"
    assert entry["runtime_allowed_hosts"] == ["https://support.example.com"]
    managed = document["3rdparty"]["extensions"][DEFAULT_EXTENSION_ID]
    assert managed["daemonPort"] == 47700
    assert managed["enabledSites"] == ["https://support.example.com"]
    assert managed["pairingSecret"] == "s" * 32
    validate(managed)  # what the browser will hand the extension fits its schema


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"daemonPort": "47615"}, "daemonPort"),
        ({"enabledSites": "https://a.example"}, "enabledSites"),
        ({"genericAdapters": [{"origin": "https://a.example"}]}, "genericAdapters.0"),
        ({"daemonport": 1}, "daemonport"),
    ],
)
def test_values_the_schema_refuses_are_named(values: dict[str, object], named: str) -> None:
    with pytest.raises(PolicyError, match=named):
        validate(values)


def test_windows_reg_sets_both_browsers_with_json_for_lists() -> None:
    text = windows_reg(POLICY)
    assert text.startswith("Windows Registry Editor Version 5.00\r\n")
    for root in (r"Google\Chrome", r"Microsoft\Edge"):
        assert f"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\{root}]" in text
        assert (
            f"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\{root}\\3rdparty\\extensions\\"
            f"{DEFAULT_EXTENSION_ID}\\policy]"
        ) in text
    assert '"daemonPort"=dword:0000ba54' in text  # 47700
    assert '"enabledSites"="[\\"https://support.example.com\\"]"' in text


def test_mobileconfig_is_a_profile_with_both_browsers() -> None:
    profile = plistlib.loads(macos_mobileconfig(POLICY))
    assert profile["PayloadType"] == "Configuration"
    domains = [next(iter(p["PayloadContent"])) for p in profile["PayloadContent"]]
    assert domains == [
        "com.google.Chrome",
        f"com.google.Chrome.extensions.{DEFAULT_EXTENSION_ID}",
        "com.microsoft.Edge",
        f"com.microsoft.Edge.extensions.{DEFAULT_EXTENSION_ID}",
    ]
    chrome_ext = profile["PayloadContent"][1]["PayloadContent"][domains[1]]
    assert chrome_ext["Forced"][0]["mcx_preference_settings"]["daemonPort"] == 47700
    assert macos_mobileconfig(POLICY) == macos_mobileconfig(POLICY)  # reproducible


def test_system_policies_go_to_each_browsers_folder_under_the_root(tmp_path: Path) -> None:
    written = write_system_policies(POLICY, system_root=tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "etc/chromium/policies/managed/moodline.json",
        "etc/opt/chrome/policies/managed/moodline.json",
        "etc/opt/edge/policies/managed/moodline.json",
    ]
    assert all(oct(p.stat().st_mode)[-3:] == "644" for p in written)
    assert json.loads(written[0].read_text()) == linux_policy(POLICY)
    assert present_policies(tmp_path) == sorted(written, key=lambda p: written.index(p))


def test_policy_folder_holds_every_form_and_a_rollback(tmp_path: Path) -> None:
    written = write_policy_folder(POLICY, tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert names == [
        "linux/moodline.json",
        "macos/moodline.mobileconfig",
        "windows/moodline-remove.reg",
        "windows/moodline.reg",
    ]
    reg = (tmp_path / "windows" / "moodline.reg").read_bytes()
    assert reg[:2] == b"\xff\xfe"  # UTF-16 LE with BOM, as regedit writes
    remove = (tmp_path / "windows" / "moodline-remove.reg").read_bytes().decode("utf-16")
    assert '"ExtensionSettings"=-' in remove
