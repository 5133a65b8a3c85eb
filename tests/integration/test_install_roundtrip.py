"""The real install/uninstall round trip on Linux in a temporary HOME: after install, running what
the autostart entry runs (as a login would) brings up a healthy daemon; doctor agrees; uninstall
removes exactly what install added."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from moodline.daemon.settings import DEFAULT_EXTENSION_ID
from moodline.deploy import login_command
from tests.conftest import free_port
from tests.support.daemon_process import TOKEN

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux round trip")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def login_env(tmp_path: Path) -> dict[str, str]:
    """A fresh user: its own HOME, XDG dirs and keyring file."""
    home = tmp_path / "home"
    home.mkdir()
    keyring_file = tmp_path / "keyring.json"
    keyring_file.write_text(json.dumps({"moodline/pairing-token": TOKEN}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOODLINE_", "XDG_"))}
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "MOODLINE_CACHE_DIR": os.environ["MOODLINE_CACHE_DIR"],
            "MOODLINE_SYSTEM_ROOT": str(tmp_path / "root"),
            "PYTHON_KEYRING_BACKEND": "tests.support.memory_keyring.TestFileKeyring",
            "MOODLINE_TEST_KEYRING_FILE": str(keyring_file),
            "PYTHONPATH": str(REPO),
        }
    )
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def moodline(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "moodline", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def health(port: int) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2) as answer:
            result: dict[str, object] = json.loads(answer.read())
            return result
    except OSError:
        return None


def test_install_login_start_doctor_uninstall(login_env: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    home = Path(login_env["HOME"])
    unrelated = home / ".config/autostart/other-app.desktop"
    unrelated.parent.mkdir(parents=True)
    unrelated.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")

    first = moodline(login_env, "install", "--silent", "--set", f"port={port}")
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""  # silent
    entry = home / ".config/autostart/moodline.desktop"
    assert entry.is_file()
    again = moodline(login_env, "install", "--set", f"port={port}")
    assert again.returncode == 0 and "already installed" in again.stdout  # idempotent

    command = login_command(entry)  # exactly what the desktop session runs at login
    assert command[-1] == "up"
    daemon = subprocess.Popen(
        command, env=login_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 90
        while not (answer := health(port)) or not answer.get("ready"):
            assert daemon.poll() is None, daemon.stderr.read().decode() if daemon.stderr else ""
            assert time.monotonic() < deadline, "the daemon started at login never became ready"
            time.sleep(0.2)
        # The extension says hello, so doctor has nothing left to complain about.
        hello = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/focus",
            data=json.dumps({"conversation_id": "x:y:1"}).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {TOKEN}",
                "Content-Type": "application/json",
                "Origin": f"chrome-extension://{DEFAULT_EXTENSION_ID}",
            },
        )
        urllib.request.urlopen(hello, timeout=5).close()
        doctor = moodline(login_env, "doctor")
        assert doctor.returncode == 0, doctor.stdout
        assert "✓ autostart" in doctor.stdout and "✓ daemon" in doctor.stdout
    finally:
        daemon.terminate()
        daemon.wait(20)

    removed = moodline(login_env, "uninstall")
    assert removed.returncode == 0, removed.stderr
    assert not entry.exists()
    assert unrelated.is_file()  # nothing it did not add
    assert (home / ".local/share/moodline").is_dir()  # history kept
    doctor = moodline(login_env, "doctor")
    assert doctor.returncode == 1 and "✗ autostart" in doctor.stdout
    assert moodline(login_env, "uninstall").returncode == 0  # nothing left: still fine

    refused = moodline(login_env, "uninstall", "--purge", "--silent")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    purged = moodline(login_env, "uninstall", "--purge", "--yes")
    assert purged.returncode == 0
    assert not (home / ".local/share/moodline").exists()


def test_silent_install_with_provisioning_and_policy_folder(
    login_env: dict[str, str], tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("provisioned-" + "q" * 24 + "\n")
    out = tmp_path / "policies"
    run = moodline(
        login_env,
        "install", "--silent", "--autostart", "none",
        "--provision-secret-file", str(secret_file),
        "--policy-dir", str(out), "--site", "https://support.example.com",
        "--set", "port=47701",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    policy = json.loads((out / "linux/moodline.json").read_text())
    managed = policy["3rdparty"]["extensions"][DEFAULT_EXTENSION_ID]
    assert managed == {
        "daemonPort": 47701,
        "enabledSites": ["https://support.example.com"],
        "pairingSecret": "provisioned-" + "q" * 24,
    }
    settings = (Path(login_env["XDG_CONFIG_HOME"]) / "moodline/settings.toml").read_text()
    assert "provisioning_secret_sha256" in settings and "q" * 24 not in settings

    system = moodline(
        login_env, "install", "--silent", "--system", "--autostart", "none", "--policy"
    )
    assert system.returncode == 0, system.stderr
    root = Path(login_env["MOODLINE_SYSTEM_ROOT"])
    assert (root / "etc/opt/chrome/policies/managed/moodline.json").is_file()
    assert moodline(login_env, "uninstall", "--system", "--silent").returncode == 0
    assert not (root / "etc/opt/chrome/policies/managed/moodline.json").exists()


def test_bad_input_gets_clear_errors_and_documented_exit_codes(login_env: dict[str, str]) -> None:
    bad_setting = moodline(login_env, "install", "--silent", "--set", "port=80")
    assert bad_setting.returncode == 3 and "port" in bad_setting.stderr
    bad_form = moodline(login_env, "install", "--silent", "--set", "port")
    assert bad_form.returncode == 2 and "KEY=VALUE" in bad_form.stderr
    bad_policy = moodline(
        login_env, "install", "--silent", "--autostart", "none", "--policy-dir",
        str(Path(login_env["HOME"]) / "p"), "--generic", os.devnull,
    )  # fmt: skip
    assert bad_policy.returncode == 8 and "browser policy not written" in bad_policy.stderr


def test_team_install_keeps_the_broker_credentials_in_the_keyring_only(
    login_env: dict[str, str], tmp_path: Path
) -> None:
    keyring_file = Path(login_env["MOODLINE_TEST_KEYRING_FILE"])
    settings_file = Path(login_env["XDG_CONFIG_HOME"]) / "moodline/settings.toml"
    secret = "Pa55-team-" + "z" * 12
    credentials = tmp_path / "team-credentials.json"

    def team_install(*extra: str) -> subprocess.CompletedProcess[str]:
        return moodline(
            login_env, "install", "--silent", "--autostart", "none",
            "--team-broker", "mqtt://mqtt.example.internal:1883", "--team", "support-eu",
            "--team-credentials-file", str(credentials), *extra,
        )  # fmt: skip

    def stored() -> str | None:
        entry: str | None = json.loads(keyring_file.read_text()).get("moodline/team-broker")
        return entry

    credentials.write_text('{"username": "ann", "password": "' + secret)  # cut short
    broken = team_install()
    assert broken.returncode == 2 and "is not JSON" in broken.stderr
    assert secret not in broken.stderr and stored() is None
    credentials.write_text(json.dumps({"username": "ann"}))
    missing = team_install()
    assert missing.returncode == 2 and '"password"' in missing.stderr and stored() is None
    credentials.write_text(json.dumps({"username": "ann", "password": secret}))
    bad_url = moodline(
        login_env, "install", "--silent", "--autostart", "none", "--team-broker",
        "http://mqtt.example.internal", "--team", "support-eu",
        "--team-credentials-file", str(credentials),
    )  # fmt: skip
    assert bad_url.returncode == 3 and "team_broker" in bad_url.stderr and stored() is None
    system = team_install("--system")
    assert system.returncode == 2 and "per user" in system.stderr

    done = team_install("--set", "team_alert_threshold=very_negative")
    assert done.returncode == 0, done.stderr
    text = settings_file.read_text()
    settings = tomllib.loads(text)
    assert settings["team_broker"] == "mqtt://mqtt.example.internal:1883"
    assert settings["team_id"] == "support-eu"
    assert settings["team_alert_threshold"] == "very_negative"
    assert settings["set_by_it"] == ["team_alert_threshold", "team_broker", "team_id"]
    assert secret not in text and "password" not in text
    assert json.loads(stored() or "{}") == {"username": "ann", "password": secret}

    kept = moodline(login_env, "uninstall", "--silent")
    assert kept.returncode == 0 and stored() is not None  # like settings: kept unless --purge
    purged = moodline(login_env, "uninstall", "--purge", "--yes")
    assert purged.returncode == 0, purged.stderr
    assert stored() is None and not settings_file.exists()
