"""`moodline doctor`'s checks say what is wrong and how to fix it."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from moodline.daemon.locations import Locations
from moodline.daemon.scoring.heads import HeadRegistry
from moodline.deploy.doctor import (
    check_daemon,
    check_keyring,
    check_model,
    check_reading,
    run_checks,
)
from tests.conftest import free_port


def test_shipped_model_is_checked_against_its_hashes(locations: Locations) -> None:
    check = check_model(None, HeadRegistry(locations.heads))
    assert check.status == "ok" and "hashes good" in check.detail and "agreed" in check.detail


def test_damaged_shipped_model_is_a_failure_with_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locations: Locations
) -> None:
    import shutil

    from moodline.daemon.scoring import heads

    copy = tmp_path / "shipped"
    shutil.copytree(heads.shipped_dir(), copy)
    with (copy / "encoder.onnx").open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x00\x01\x02")
    monkeypatch.setattr(heads, "shipped_dir", lambda: copy)
    check = check_model(None, HeadRegistry(locations.heads))
    assert check.status == "fail" and "encoder.onnx" in check.detail
    assert "reinstall" in check.fix


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


def test_report_covers_every_check_in_order(locations: Locations) -> None:
    checks = run_checks(locations, lambda: False, list, policy_expected=True)
    assert [c.name for c in checks] == [
        "settings", "keyring", "daemon", "model", "extension", "reading", "autostart", "policy",
        "team",
    ]  # fmt: skip
    statuses = {c.name: c.status for c in checks}
    assert statuses["autostart"] == "fail" and statuses["policy"] == "fail"
    assert statuses["model"] == "ok" and statuses["team"] == "off"


NOW = 1_800_000_000.0


def test_reading_problems_of_the_last_day_name_the_site_and_the_fix() -> None:
    health = {
        "reading_problems": [
            {"site": "support.example.com", "problem": "id_reused_with_new_text", "count": 16,
             "last_at": NOW - 600},
            {"site": "old.example", "problem": "id_reused_with_new_text", "count": 3,
             "last_at": NOW - 3 * 86400},
        ]
    }  # fmt: skip
    check = check_reading(health, NOW)
    assert check.status == "warn" and check.name == "reading"
    assert "support.example.com (16 refused)" in check.detail and "old.example" not in check.detail
    assert check.fix == "Set up this site again in the extension's popup"


def test_reading_is_ok_without_problems_and_unknown_without_a_daemon() -> None:
    assert check_reading({"reading_problems": []}, NOW).status == "ok"
    for health in (None, {"ready": False, "reading_problems": None}):
        check = check_reading(health, NOW)
        assert check.status == "warn" and check.detail.startswith("unknown")
