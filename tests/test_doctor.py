"""`moodline doctor`'s checks say what is wrong and how to fix it."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from moodline.deploy.doctor import check_daemon, check_fast_path, check_keyring, run_checks
from tests.conftest import free_port


def test_fast_path_not_built_says_how_to_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOODLINE_CACHE_DIR", str(tmp_path / "empty-cache"))
    check = check_fast_path()
    assert check.status == "fail" and "moodline model build" in check.fix


def test_built_fast_path_is_verified() -> None:
    check = check_fast_path()  # the suite's MOODLINE_CACHE_DIR holds the built one
    assert check.status == "ok" and "agreement" in check.detail


def test_no_keyring_is_a_failure_with_advice() -> None:
    keyring.set_keyring(NoKeyring())  # type: ignore[no-untyped-call]
    check = check_keyring()
    assert check.status == "fail" and "keyring" in check.fix


@pytest.fixture
def foreign_server() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", free_port()), http.server.BaseHTTPRequestHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def test_port_taken_by_another_program(foreign_server: int) -> None:
    check, health = check_daemon(foreign_server)
    assert check.status == "fail" and "not Moodline" in check.detail and health is None


def test_free_port_with_no_daemon_is_only_a_warning() -> None:
    check, _ = check_daemon(free_port())
    assert check.status == "warn" and "moodline up" in check.fix


def test_report_covers_every_check_in_order() -> None:
    checks = run_checks(lambda: False, list, policy_expected=True)
    assert [c.name for c in checks] == [
        "settings", "keyring", "daemon", "model", "fast path", "extension", "autostart", "policy",
    ]  # fmt: skip
    statuses = {c.name: c.status for c in checks}
    assert statuses["autostart"] == "fail" and statuses["policy"] == "fail"
    assert statuses["model"] == "ok"
