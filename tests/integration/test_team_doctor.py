"""`moodline doctor`'s `team` check against a real Mosquitto (TLS, passwords): off when unset, OK
when the broker accepts the stored credentials, a clear failure when nothing listens, when the
password is wrong, when the broker's certificate is not trusted or the credentials unreadable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from moodline.cli import main
from moodline.daemon.settings import Settings, update_settings
from moodline.daemon.team_credentials import BrokerCredentials, save_credentials
from moodline.deploy.team_check import check_team
from tests.conftest import free_port
from tests.support.certificates import KeyPair, issue, make_ca
from tests.support.memory_keyring import MemoryKeyring
from tests.support.mosquitto import Mosquitto, Security

pytestmark = pytest.mark.slow
PASSWORD = "ann-Pa55-word"


@pytest.fixture
def ca(tmp_path: Path) -> KeyPair:
    return make_ca(tmp_path / "pki", "team-ca")


@pytest.fixture
def broker(tmp_path: Path, ca: KeyPair) -> Iterator[Mosquitto]:
    server = issue(ca, tmp_path / "pki", "broker", server=True)
    mosquitto = Mosquitto(
        tmp_path / "broker", free_port(), Security({"ann": PASSWORD}, server=server)
    )
    mosquitto.start()
    yield mosquitto
    mosquitto.stop()


def team(url: str, ca: KeyPair | None = None) -> Settings:
    ca_file = str(ca.certificate) if ca else None
    return Settings(team_broker=url, team_id="support-eu", team_agent="ann", team_ca_file=ca_file)


def test_off_when_no_broker_is_set() -> None:
    check = check_team(Settings())
    assert check.status == "off" and "team_broker is not set" in check.detail


def test_ok_when_the_broker_accepts_the_stored_credentials(
    broker: Mosquitto, ca: KeyPair, isolated_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_credentials(BrokerCredentials("ann", PASSWORD))
    check = check_team(team(broker.url, ca))
    assert check.status == "ok", check
    assert "accepted as ann" in check.detail and broker.url in check.detail
    # The same through `moodline doctor --json`.
    update_settings(
        team(broker.url, ca).model_dump(exclude_none=True), settings_file(isolated_dirs)
    )
    main(["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)}
    assert checks["team"]["status"] == "ok"


def settings_file(root: Path) -> Path:
    return root / "config" / "settings.toml"


def test_nothing_listening_is_a_failure_that_says_so() -> None:
    check = check_team(team(f"mqtt://127.0.0.1:{free_port()}"))
    assert check.status == "fail" and "nothing is listening" in check.detail, check
    assert "reachable" in check.fix


def test_a_wrong_password_is_a_failure_with_the_fix(broker: Mosquitto, ca: KeyPair) -> None:
    save_credentials(BrokerCredentials("ann", "not-the-password"))
    check = check_team(team(broker.url, ca))
    assert check.status == "fail", check
    assert "refused the user name, password or certificate" in check.detail
    assert "--team-credentials-file" in check.fix
    assert "not-the-password" not in check.detail + check.fix


def test_an_untrusted_broker_certificate_is_a_failure(broker: Mosquitto, tmp_path: Path) -> None:
    save_credentials(BrokerCredentials("ann", PASSWORD))
    other = make_ca(tmp_path / "other", "unrelated-ca")
    check = check_team(team(broker.url, other))
    assert check.status == "fail" and "not trusted" in check.detail, check


def test_unreadable_credentials_are_a_failure(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("moodline", "team-broker", "not json")
    check = check_team(team(f"mqtt://127.0.0.1:{free_port()}"))
    assert check.status == "fail" and "credentials" in check.detail
