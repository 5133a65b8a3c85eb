"""The team view's security through a real Mosquitto: the documented ACL (docs/team/acl) keeps each
agent to its own prefix and each team apart; the real publisher over TLS with a given CA, with a
password or a client certificate; a wrong CA or a refused password is warned, retried with
backoff, and scoring goes on."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import aiomqtt
import pytest

from moodline.daemon.locations import Locations
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.settings import Settings
from moodline.daemon.team.topics import conversation_key
from moodline.daemon.team_credentials import BrokerCredentials, save_credentials
from tests.conftest import REPO, free_port
from tests.support.certificates import issue, make_ca
from tests.support.mosquitto import (
    Login,
    Mosquitto,
    Recorder,
    Security,
    client,
    write_password_file,
)
from tests.support.team_daemon import ANGRY, AUTH, chat, post, publisher_of, team_daemon

pytestmark = pytest.mark.slow
ACL = REPO / "docs" / "team" / "acl"
USERS = {name: f"{name}-Pa55-{len(name)}" for name in ("ann", "bob", "carl", "lead-eu", "lead-us")}
EU, US = "moodline/v1/support-eu", "moodline/v1/support-us"
CONVERSATION = "console:7781"


def login(name: str, ca: Path | None = None) -> Login:
    return Login(name, USERS[name], ca)


class Pki:
    """A CA, the broker's certificate (127.0.0.1), client certificates, and an unrelated CA."""

    def __init__(self, folder: Path) -> None:
        self.ca = make_ca(folder, "team-ca")
        self.broker = issue(self.ca, folder, "broker", server=True)
        self.ann = issue(self.ca, folder, "ann", server=False)
        self.lead_eu = issue(self.ca, folder, "lead-eu", server=False)
        self.wrong_ca = make_ca(folder / "other", "unrelated-ca")


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return Pki(tmp_path / "pki")


def running(root: Path, security: Security) -> Iterator[Mosquitto]:
    broker = Mosquitto(root, free_port(), security)
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def acl_broker(tmp_path: Path) -> Iterator[Mosquitto]:
    yield from running(tmp_path / "acl-broker", Security(users=USERS, acl_file=ACL))


@pytest.fixture
def tls_broker(tmp_path: Path, pki: Pki) -> Iterator[Mosquitto]:
    security = Security(users=USERS, acl_file=ACL, server=pki.broker)
    yield from running(tmp_path / "tls-broker", security)


@pytest.fixture
def certificate_broker(tmp_path: Path, pki: Pki) -> Iterator[Mosquitto]:
    security = Security(acl_file=ACL, server=pki.broker, client_ca=pki.ca.certificate)
    yield from running(tmp_path / "certificate-broker", security)


def agent_settings(broker: Mosquitto, agent: str, **tls: str) -> Settings:
    team = {"team_broker": broker.url, "team_id": "support-eu", "team_agent": agent}
    return Settings.model_validate({"port": free_port(), **team, **tls})


def state_topic(agent: str) -> str:
    return f"{EU}/agents/{agent}/conversations/{conversation_key(CONVERSATION)}"


async def test_the_documented_acl_keeps_each_agent_to_itself_and_each_team_apart(
    acl_broker: Mosquitto,
) -> None:
    port = acl_broker.port
    async with (
        Recorder(port, "moodline/v1/#", login("lead-eu")) as lead_eu,
        Recorder(port, f"{EU}/#", login("lead-us")) as lead_us_reading_eu,
        Recorder(port, "moodline/v1/#", login("lead-us")) as lead_us,
        Recorder(port, "moodline/v1/#", login("carl")) as agent_reading,
    ):
        async with client(port, login("ann"), "ann") as ann:
            await ann.publish(f"{EU}/agents/bob/status", b"forged", qos=1, retain=True)
            await ann.publish(f"{EU}/agents/bob/conversations/0123", b"{}", qos=1, retain=True)
            await ann.publish(f"{US}/alerts", b'{"forged": true}', qos=1)
            await ann.publish(f"{EU}/agents/ann/status", b"online", qos=1, retain=True)
            await ann.publish(f"{EU}/alerts", b'{"kind": "threshold"}', qos=1)
        async with client(port, login("carl"), "carl") as carl:
            await carl.publish(f"{US}/agents/carl/status", b"online", qos=1, retain=True)
        # What each may do arrives (so what did not arrive was refused, not late).
        await lead_eu.wait_for(lambda m: m.topic == f"{EU}/alerts")
        await lead_eu.wait_for(lambda m: m.topic == f"{EU}/agents/ann/status")
        await lead_us.wait_for(lambda m: m.topic == f"{US}/agents/carl/status")
        await asyncio.sleep(0.3)
    assert {m.topic for m in lead_eu.messages} == {f"{EU}/alerts", f"{EU}/agents/ann/status"}
    assert not [m for m in lead_eu.messages if m.payload == b"forged"]
    assert [m.topic for m in lead_us.messages] == [f"{US}/agents/carl/status"], "no forged alert"
    assert lead_us_reading_eu.messages == [], "a supervisor never reads another team"
    assert agent_reading.messages == [], "an agent reads nothing, not even its own team"
    async with Recorder(port, "moodline/v1/#", login("lead-eu")) as late:  # the retained state
        await late.wait_for(lambda m: m.topic == f"{EU}/agents/ann/status")
        await asyncio.sleep(0.3)
    assert [m.topic for m in late.messages] == [f"{EU}/agents/ann/status"]


async def test_a_daemon_set_up_as_another_agent_reaches_no_supervisor(
    acl_broker: Mosquitto, locations: Locations, scorer: MessageScorer
) -> None:
    save_credentials(BrokerCredentials("ann", USERS["ann"]))
    async with (
        Recorder(acl_broker.port, "moodline/v1/#", login("lead-eu")) as lead_eu,
        team_daemon(agent_settings(acl_broker, "bob"), locations, scorer) as daemon,
    ):
        answer = await post(daemon, chat(CONVERSATION, *ANGRY))
        assert answer["level"] in {"negative", "very_negative"}
        publisher = publisher_of(daemon)
        for _ in range(250):
            if publisher.connected and publisher.pending == 0:
                break
            await asyncio.sleep(0.02)
        assert publisher.connected and publisher.pending == 0, "sent, and dropped by the ACL"
        async with client(acl_broker.port, login("ann"), "ann") as ann:
            await ann.publish(f"{EU}/agents/ann/status", b"online", qos=1, retain=True)
        await lead_eu.wait_for(lambda m: m.topic == f"{EU}/agents/ann/status")
        await asyncio.sleep(0.3)
    assert not [m for m in lead_eu.messages if "/agents/bob/" in m.topic]


async def test_the_publisher_over_tls_with_the_given_ca_and_a_password(
    tls_broker: Mosquitto, pki: Pki, locations: Locations, scorer: MessageScorer
) -> None:
    assert tls_broker.url.startswith("mqtts://")
    save_credentials(BrokerCredentials("ann", USERS["ann"]))
    settings = agent_settings(tls_broker, "ann", team_ca_file=str(pki.ca.certificate))
    supervisor = login("lead-eu", ca=pki.ca.certificate)
    async with (
        Recorder(tls_broker.port, f"{EU}/#", supervisor) as lead_eu,
        team_daemon(settings, locations, scorer) as daemon,
    ):
        await lead_eu.wait_for(lambda m: m.topic == f"{EU}/agents/ann/status")
        answer = await post(daemon, chat(CONVERSATION, *ANGRY))
        state = await lead_eu.wait_for(lambda m: m.topic == state_topic("ann"))
        assert state.json()["level"] == answer["level"]


async def test_the_publisher_with_a_client_certificate(
    certificate_broker: Mosquitto, pki: Pki, locations: Locations, scorer: MessageScorer
) -> None:
    settings = agent_settings(
        certificate_broker,
        "ann",
        team_ca_file=str(pki.ca.certificate),
        team_client_cert=str(pki.ann.certificate),
        team_client_key=str(pki.ann.key),
    )
    supervisor = Login(ca=pki.ca.certificate, certificate=pki.lead_eu)
    async with (
        Recorder(certificate_broker.port, f"{EU}/#", supervisor) as lead_eu,
        team_daemon(settings, locations, scorer) as daemon,
    ):
        answer = await post(daemon, chat(CONVERSATION, *ANGRY))
        state = await lead_eu.wait_for(lambda m: m.topic == state_topic("ann"))
        assert state.json()["level"] == answer["level"]
        status = await lead_eu.wait_for(lambda m: m.topic == f"{EU}/agents/ann/status")
        assert status.payload == b"online"
    # Without a certificate the broker lets nobody in (TLS 1.3 alerts after the handshake, so the
    # client sees no CONNACK).
    with pytest.raises(aiomqtt.MqttError):
        async with client(certificate_broker.port, Login(ca=pki.ca.certificate), timeout=3):
            pass


@pytest.mark.parametrize("problem", ["wrong CA", "wrong password"])
async def test_a_wrong_ca_or_password_is_warned_and_retried_while_scoring_goes_on(
    problem: str,
    tls_broker: Mosquitto,
    pki: Pki,
    locations: Locations,
    scorer: MessageScorer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wrong_ca = problem == "wrong CA"
    password = USERS["ann"] if wrong_ca else "not-the-password-42"
    save_credentials(BrokerCredentials("ann", password))
    ca = pki.wrong_ca if wrong_ca else pki.ca
    settings = agent_settings(tls_broker, "ann", team_ca_file=str(ca.certificate))
    caplog.set_level(logging.WARNING, logger="moodline.daemon.team.publisher")
    async with team_daemon(settings, locations, scorer) as daemon:
        for i in range(3):  # scoring, the API and history go on
            answer = await post(daemon, chat(f"{CONVERSATION}-{i}", *ANGRY))
            assert answer["level"] in {"negative", "very_negative"}
        for _ in range(200):
            if len(caplog.records) >= 2:
                break
            await asyncio.sleep(0.05)
        publisher = publisher_of(daemon)
        assert not publisher.connected and publisher.pending >= 3
        history = await daemon.get("/v1/conversations?status=open", headers=AUTH)
        assert len((await history.json())["conversations"]) == 3
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) >= 2, warnings
    expected = "not trusted" if wrong_ca else "refused the user name, password or certificate"
    assert all(expected in w and tls_broker.url in w for w in warnings), warnings
    assert "retrying in 0.5 s" in warnings[0] and "retrying in 1.0 s" in warnings[1]
    assert not [w for w in warnings if password in w]


async def test_the_documented_mosquitto_conf_runs_as_written(tmp_path: Path, pki: Pki) -> None:
    """docs/team/mosquitto.conf with only its paths and port replaced: Mosquitto accepts it, a
    supervisor reads over TLS with a password, and an agent's publish under its own prefix
    reaches it."""
    root = tmp_path / "documented"
    broker = Mosquitto(root, free_port())
    passwords = root / "passwords"
    write_password_file(passwords, USERS)
    (root / "data").mkdir()
    replacements = {
        "listener 8883": f"listener {broker.port} 127.0.0.1",
        "/var/lib/mosquitto/": f"{root / 'data'}/",
        "/etc/mosquitto/certs/mqtt.example.internal.crt": str(pki.broker.certificate),
        "/etc/mosquitto/certs/mqtt.example.internal.key": str(pki.broker.key),
        "/etc/mosquitto/moodline.passwd": str(passwords),
        "/etc/mosquitto/moodline.acl": str(ACL),
    }
    text = (REPO / "docs" / "team" / "mosquitto.conf").read_text()
    for placeholder, value in replacements.items():
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value)
    as_root = "user root\n" if os.geteuid() == 0 else ""
    broker.config.write_text(f"{text}\nlog_dest file {broker.log}\n{as_root}")
    broker.start()
    try:
        ann, lead = login("ann", pki.ca.certificate), login("lead-eu", pki.ca.certificate)
        async with Recorder(broker.port, f"{EU}/#", lead) as lead_eu:
            async with client(broker.port, ann, "ann") as agent:
                await agent.publish(f"{EU}/agents/ann/status", b"online", qos=1, retain=True)
            message = await lead_eu.wait_for(lambda m: m.topic == f"{EU}/agents/ann/status")
            assert message.payload == b"online"
        assert "Error" not in broker.log.read_text()
    finally:
        broker.stop()
