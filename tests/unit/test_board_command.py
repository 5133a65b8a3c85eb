"""`moodline board`'s command line: the broker and team from the flags or the settings, clear
one-line errors when either is missing or wrong, credentials from a password file."""

from __future__ import annotations

from pathlib import Path

import pytest

from moodline.board.subscriber import BrokerConfig
from moodline.cli import build_parser, main
from moodline.commands.board import board_config
from moodline.daemon.levels import Level
from moodline.daemon.settings import Settings
from moodline.daemon.team_credentials import BrokerCredentials, save_credentials
from moodline.errors import UsageError


def config_for(*argv: str, settings: Settings | None = None) -> tuple[BrokerConfig, Level | None]:
    args = build_parser().parse_args(["board", *argv])
    return board_config(args, settings or Settings())


def test_defaults_come_from_the_settings() -> None:
    settings = Settings(
        team_broker="mqtt://broker.example:1884",
        team_id="support-eu",
        team_alert_threshold="very_negative",
    )
    config, threshold = config_for(settings=settings)
    assert str(config.address) == "mqtt://broker.example:1884" and config.team_id == "support-eu"
    assert threshold == Level.VERY_NEGATIVE and config.credentials is None
    config, threshold = config_for(
        "--broker", "mqtts://other.example", "--team", "t2", "--alert-threshold", "off",
        settings=settings,
    )  # fmt: skip
    assert str(config.address) == "mqtts://other.example:8883" and config.team_id == "t2"
    assert threshold is None and config.tls_context() is not None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "no team broker: give --broker URL or set team_broker"),
        (("--broker", "mqtt://b.example"), "no team: give --team ID or set team_id"),
        (("--broker", "http://b.example", "--team", "t"), "is not a broker address"),
        (("--broker", "mqtt://b.example", "--team", "a/b"), "'a/b' is not a team id"),
        (("--broker", "mqtt://b", "--team", "t", "--username", "u"), "go together"),
        (("--broker", "mqtt://b", "--team", "t", "--ca-file", "/etc/hostname"), "mqtts://"),
        (
            ("--broker", "mqtt://b", "--team", "t", "--username", "u", "--password-file", "/nope"),
            "cannot read the password file /nope",
        ),
    ],
)
def test_clear_errors(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        config_for(*argv)


def test_the_command_prints_one_line_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["board", "--broker", "mqtt://b.example"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("moodline board: no team")


def test_credentials_from_a_file_or_the_keyring(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret\nignored\n")
    config, _ = config_for(
        "--broker", "mqtt://b", "--team", "t", "--username", "lead", "--password-file", str(secret)
    )
    assert config.credentials == BrokerCredentials("lead", "s3cret")
    save_credentials(BrokerCredentials("from-keyring", "pw"))
    config, _ = config_for("--broker", "mqtt://b", "--team", "t")
    assert config.credentials == BrokerCredentials("from-keyring", "pw")
