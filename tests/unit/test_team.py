"""The team view without a broker: settings, keyring credentials, topics, payloads, bounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moodline.daemon.events import ClosedEvent, ScoredEvent
from moodline.daemon.levels import Level
from moodline.daemon.results import (
    Conversation,
    ConversationSource,
    ConversationState,
    IngestResult,
)
from moodline.daemon.scoring.window import WindowState
from moodline.daemon.settings import (
    Settings,
    SettingsError,
    load_settings,
    parse_broker_url,
    save_settings,
    update_settings,
)
from moodline.daemon.team import topics
from moodline.daemon.team.publisher import TeamPublisher
from moodline.daemon.team.schema import CLEARED
from moodline.daemon.team_credentials import (
    BrokerCredentials,
    CredentialsError,
    read_credentials,
    save_credentials,
)
from tests.support.certificates import issue, make_ca
from tests.support.memory_keyring import MemoryKeyring


def test_the_team_view_is_off_by_default_and_validates_its_broker(tmp_path: object) -> None:
    settings = Settings()
    assert settings.team_broker is None and settings.team_address is None
    assert settings.team_agent and "/" not in settings.team_agent
    assert settings.team_alert_threshold == settings.alert_threshold
    assert str(parse_broker_url("mqtt://broker.example")) == "mqtt://broker.example:1883"
    assert parse_broker_url("mqtts://10.0.0.2:8884").tls
    with pytest.raises(ValueError, match="mqtt://host:port or mqtts://host:port"):
        Settings(team_broker="http://broker.example:1883", team_id="t")
    with pytest.raises(ValueError, match="team_id"):
        Settings(team_broker="mqtt://broker.example:1883")
    with pytest.raises(ValueError, match="team_agent"):
        Settings(team_agent="a/b")


def test_a_bad_broker_in_the_settings_file_is_a_clear_error(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "settings.toml"
    path.write_text('team_broker = "tcp://x"\nteam_id = "t"\n')
    with pytest.raises(SettingsError, match=r"team_broker: .*is not a broker address"):
        load_settings(path)


def test_credentials_live_in_the_keyring_as_json(memory_keyring: MemoryKeyring) -> None:
    assert read_credentials() is None
    save_credentials(BrokerCredentials("agent-7", "s3cret"))
    assert read_credentials() == BrokerCredentials("agent-7", "s3cret")
    assert "s3cret" not in repr(read_credentials())
    memory_keyring.set_password("moodline", "team-broker", "not json")
    with pytest.raises(CredentialsError, match="username"):
        read_credentials()


def test_conversation_keys_are_topic_safe_and_stable() -> None:
    key = topics.conversation_key("site:a/b+#c")
    assert key == topics.conversation_key("site:a/b+#c") and len(key) == 16
    assert all(ch in "0123456789abcdef" for ch in key)
    topic = topics.conversation_topic("t1", "ann", "site:a/b+#c")
    assert topic == f"moodline/v1/t1/agents/ann/conversations/{key}"


def state(cid: str, level: Level, score: float, closed: bool = False) -> ConversationState:
    conversation = Conversation(
        cid,
        ConversationSource("desk", "https://secret.example/x", "Chat with Zelda"),
        1.0,
        2.0,
        3.0 if closed else None,
        level,
        score,
        False,
        level,
        2,
        customer_message_count=1,
    )
    return ConversationState(conversation, WindowState(level, score, False))


def scored(cid: str, level: Level, score: float) -> ScoredEvent:
    return ScoredEvent(IngestResult(state(cid, level, score), stored=1, duplicates=0))


def publisher(**kwargs: int) -> TeamPublisher:
    settings = Settings(team_broker="mqtt://127.0.0.1:1", team_id="t1", team_agent="ann")
    return TeamPublisher(settings, lambda: None, clock=lambda: 5.0, **kwargs)


def test_the_publisher_keeps_only_the_newest_state_without_text() -> None:
    team = publisher()
    team.observe(scored("c1", Level.NEUTRAL, 0.0))
    team.observe(scored("c1", Level.NEGATIVE, -0.4))
    topic = topics.conversation_topic("t1", "ann", "c1")
    assert list(team._dirty) == [topic] and team.pending == 3  # the state; threshold, fast drop
    body = json.loads(team._latest[topic])
    assert body["level"] == "negative" and body["scores"] == [0.0, -0.4]
    assert body["trend"] == "falling" and body["customer_messages"] == 1
    assert (
        "secret" not in team._latest[topic].decode() and "Zelda" not in team._latest[topic].decode()
    )
    team.observe(ClosedEvent(state("c1", Level.NEGATIVE, -0.4, closed=True)))
    assert topic not in team._latest and list(team._dirty) == [topic]
    assert team._latest.get(topic, CLEARED) == b""


def test_the_state_says_since_when_the_level_has_held() -> None:
    now = [10.0]
    settings = Settings(team_broker="mqtt://127.0.0.1:1", team_id="t1", team_agent="ann")
    team = TeamPublisher(settings, lambda: None, clock=lambda: now[0])
    topic = topics.conversation_topic("t1", "ann", "c1")

    def since_after(level: Level, at: float) -> float:
        now[0] = at
        team.observe(scored("c1", level, -0.4 if level is Level.NEGATIVE else 0.0))
        return float(json.loads(team._latest[topic])["level_since"])

    assert since_after(Level.NEUTRAL, 10.0) == 10.0
    assert since_after(Level.NEGATIVE, 20.0) == 20.0
    assert since_after(Level.NEGATIVE, 35.0) == 20.0  # still negative: since it got there
    assert since_after(Level.NEUTRAL, 50.0) == 50.0
    team.observe(ClosedEvent(state("c1", Level.NEUTRAL, 0.0, closed=True)))
    assert "c1" not in team._level_since


def test_the_publisher_is_bounded() -> None:
    team = publisher(max_conversations=3)
    for i in range(10):
        team.observe(scored(f"c{i}", Level.NEUTRAL, 0.0))
    assert len(team._latest) == 3 and len(team._scores) == 3 and len(team._dirty) <= 6
    assert len(team._level_since) == 3


def test_tls_files_are_checked_at_start(tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    ca = make_ca(pki, "team-ca")
    client = issue(ca, pki, "ann", server=False)
    tls = {"team_broker": "mqtts://broker.example", "team_id": "t1"}
    ok = Settings.model_validate({**tls, "team_ca_file": str(ca.certificate)})
    assert ok.team_ca_file == str(ca.certificate)
    pair = {"team_client_cert": str(client.certificate), "team_client_key": str(client.key)}
    assert Settings.model_validate({**tls, **pair}).team_client_key == str(client.key)
    cases = {
        "only apply to an mqtts://": {
            "team_broker": "mqtt://broker.example",
            "team_id": "t1",
            "team_ca_file": str(ca.certificate),
        },
        "go together": {**tls, "team_client_cert": str(client.certificate)},
        "no such file": {**tls, "team_ca_file": str(pki / "missing.crt")},
        "absolute path": {**tls, "team_ca_file": "pki/team-ca.crt"},
        "not a PEM CA certificate": {**tls, "team_ca_file": str(pki / "ann.csr")},
        "matching unencrypted key": {
            **tls,
            "team_client_cert": str(client.certificate),
            "team_client_key": str(ca.key),
        },
    }
    for message, values in cases.items():
        path = tmp_path / "settings.toml"
        save_settings(Settings(), path)
        path.write_text(path.read_text() + "".join(f'{k} = "{v}"\n' for k, v in values.items()))
        with pytest.raises(SettingsError, match=message):
            load_settings(path)


def test_what_it_set_is_read_only_outside_install(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    changes = {"team_broker": "mqtt://b.example", "team_id": "t1", "set_by_it": ["team_broker"]}
    update_settings(changes, path, by_it=True)
    with pytest.raises(SettingsError, match=r"set by IT.*team_broker"):
        update_settings({"team_broker": "mqtt://elsewhere.example"}, path)
    with pytest.raises(SettingsError, match="set_by_it"):
        update_settings({"set_by_it": []}, path)
    same = update_settings({"team_broker": "mqtt://b.example", "team_id": "t2"}, path)
    assert same.team_id == "t2", "unchanged IT values may be sent back; other keys stay free"
    with pytest.raises(ValueError, match="not settings"):
        Settings(set_by_it=["no_such_key"])
