"""The pairing token in the OS keyring: created once, a clear error without a keyring, and a run
against a real Secret Service (gnome-keyring under dbus-run-session)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from moodline.daemon import token_store
from tests.support.memory_keyring import MemoryKeyring

REPO = Path(__file__).resolve().parents[2]


def test_token_is_created_once_and_kept(memory_keyring: MemoryKeyring) -> None:
    first = token_store.load_or_create_token()
    assert len(first) >= 40
    assert token_store.load_or_create_token() == first
    assert memory_keyring.secrets[("moodline", "pairing-token")] == first


def test_no_keyring_is_a_clear_error_never_plaintext(tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(token_store.KeyringUnavailableError) as error:
        token_store.load_or_create_token()
    message = str(error.value)
    assert "gnome-keyring" in message and "never falls back" in message
    assert not list(tmp_path.rglob("*token*"))


def test_daemon_refuses_to_start_without_keyring(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "MOODLINE_CONFIG_DIR": str(tmp_path / "c"),
        "MOODLINE_DATA_DIR": str(tmp_path / "d"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "moodline", "daemon", "--port", "47999"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4
    assert "keyring" in result.stderr and "Secret Service" in result.stderr


@pytest.mark.slow
def test_real_secret_service_round_trip(tmp_path: Path) -> None:
    """gnome-keyring is installed by the README's test command (.ci/system-deps)."""
    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        assert shutil.which(tool), f"{tool} missing: run `make test` (it installs it)"
    script = textwrap.dedent(
        """
        import keyring
        from keyring.backends.SecretService import Keyring
        assert isinstance(keyring.get_keyring(), Keyring) or keyring.get_keyring().priority > 0
        from moodline.daemon import token_store
        first = token_store.load_or_create_token()
        assert token_store.load_or_create_token() == first
        print("backend", type(keyring.get_keyring()).__module__)
        print("ok", len(first))
        """
    )
    (tmp_path / "check.py").write_text(script)
    shell = (
        'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; '
        f'"{sys.executable}" "{tmp_path / "check.py"}"'
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env.update(
        {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "share"), "PYTHONPATH": str(REPO)}
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", shell],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SecretService" in result.stdout and "ok" in result.stdout
