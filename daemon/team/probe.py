"""One test connection to the team broker (for `moodline doctor`), and broker errors in words."""

from __future__ import annotations

import asyncio
import ssl
import uuid

import aiomqtt
from paho.mqtt.reasoncodes import ReasonCode

from moodline.daemon.settings import BrokerAddress
from moodline.daemon.team_credentials import BrokerCredentials

# CONNACK codes: MQTT 3.1.1 (4, 5) and MQTT 5 (134 bad user name or password, 135 not authorized).
REFUSED_CREDENTIALS = frozenset({4, 5, 134, 135})


class BrokerError(Exception):
    """The broker could not be used; `refused` when it rejected the credentials."""

    def __init__(self, message: str, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused


def _code(error: aiomqtt.MqttError) -> int | None:
    rc = getattr(error, "rc", None)
    if isinstance(rc, ReasonCode):
        return int(rc.value)
    return rc if isinstance(rc, int) else None


def describe_error(error: BaseException) -> str:
    """The broker's error in plain words (never a password: none is ever in these errors)."""
    if isinstance(error, aiomqtt.MqttError) and _code(error) in REFUSED_CREDENTIALS:
        return f"the broker refused the user name, password or certificate ({error})"
    text = str(error) or type(error).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return f"the broker's certificate is not trusted by team_ca_file or the system ({text})"
    if "Connection refused" in text and not isinstance(error, aiomqtt.MqttCodeError):
        return f"nothing is listening there ({text})"
    if "timed out" in text.lower() or isinstance(error, TimeoutError):
        return f"no answer from the broker ({text})"
    return text


async def _connect(
    address: BrokerAddress,
    credentials: BrokerCredentials | None,
    tls: ssl.SSLContext | None,
    agent: str,
    timeout: float,
) -> None:
    client = aiomqtt.Client(
        address.host,
        address.port,
        username=credentials.username if credentials else None,
        password=credentials.password if credentials else None,
        identifier=f"moodline-doctor-{agent}-{uuid.uuid4().hex[:8]}",
        timeout=timeout,
        tls_context=tls,
    )
    async with asyncio.timeout(timeout):
        async with client:
            pass


def probe(
    address: BrokerAddress,
    credentials: BrokerCredentials | None,
    tls: ssl.SSLContext | None,
    agent: str,
    timeout: float = 5.0,
) -> None:
    """Connect (publishing nothing) and disconnect; BrokerError says why it failed."""
    try:
        asyncio.run(_connect(address, credentials, tls, agent, timeout))
    except (aiomqtt.MqttError, OSError, TimeoutError) as exc:
        refused = isinstance(exc, aiomqtt.MqttError) and _code(exc) in REFUSED_CREDENTIALS
        if isinstance(exc, TimeoutError) and not str(exc):
            exc = TimeoutError(f"timed out after {timeout:g} s")
        raise BrokerError(describe_error(exc), refused) from exc
