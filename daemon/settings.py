"""The one validated settings file (TOML in the user config dir) and its defaults."""

from __future__ import annotations

import getpass
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from moodline.daemon.levels import DEFAULT_THRESHOLDS, validate_thresholds
from moodline.daemon.scoring.window import WindowConfig
from moodline.daemon.team.tls import TeamTlsError, check_tls_files

DEFAULT_PORT = 47615
# The id fixed by the public key in extension/public-key.b64 (the manifest's "key").
DEFAULT_EXTENSION_ID = "baboeghhdeejdobimlkgoomgehfbpjnc"
_EXTENSION_ID = re.compile(r"^[a-p]{32}$")
AlertThreshold = Literal["off", "slightly_negative", "negative", "very_negative"]
ALERT_THRESHOLDS: tuple[str, ...] = ("off", "slightly_negative", "negative", "very_negative")
# Settings that take effect only when the daemon restarts (the port: the widget too).
RESTART_KEYS = frozenset(
    {
        "port",
        "allowed_extension_ids",
        "max_body_bytes",
        "active_head",
        "team_broker",
        "team_id",
        "team_agent",
        "team_alert_threshold",
        "team_ca_file",
        "team_client_cert",
        "team_client_key",
    }
)
# A team or agent name as it appears in an MQTT topic: no `/`, `+`, `#` or spaces.
_TOPIC_NAME = r"^[A-Za-z0-9_.@-]{1,64}$"
_BROKER_URL = re.compile(r"^(mqtts?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?/?$")
BROKER_URL_HELP = "mqtt://host:port or mqtts://host:port (for example mqtt://broker.example:1883)"


@dataclass(frozen=True)
class BrokerAddress:
    """Where the team's MQTT broker listens; `tls` for mqtts://."""

    host: str
    port: int
    tls: bool

    def __str__(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def parse_broker_url(url: str) -> BrokerAddress:
    """`mqtt://host[:port]` (default 1883) or `mqtts://host[:port]` (default 8883)."""
    match = _BROKER_URL.match(url.strip())
    if not match:
        raise ValueError(f"{url!r} is not a broker address: use {BROKER_URL_HELP}")
    scheme, host, port_text = match.groups()
    tls = scheme == "mqtts"
    port = int(port_text) if port_text else (8883 if tls else 1883)
    if not 1 <= port <= 65535:
        raise ValueError(f"{url!r}: the port must be 1..65535")
    return BrokerAddress(host.strip("[]"), port, tls)


def os_user_name() -> str:
    """The OS user name made topic-safe (the default `team_agent`)."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        name = "agent"
    safe = re.sub(r"[^A-Za-z0-9_.@-]", "_", name)[:64]
    return safe or "agent"


class SettingsError(ValueError):
    """The settings file is unreadable or holds invalid values; the message says which and why."""


class Settings(BaseModel):
    """Everything a user or IT can set. Unknown keys are errors, so typos are caught at start."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)

    port: Annotated[int, Field(ge=1024, le=65535)] = DEFAULT_PORT
    allowed_extension_ids: list[str] = Field(default_factory=lambda: [DEFAULT_EXTENSION_ID])
    window_size: Annotated[int, Field(ge=1, le=50)] = 6
    recency_decay: Annotated[float, Field(gt=0.0, le=1.0)] = 0.8
    prior_weight: Annotated[float, Field(ge=0.0, le=5.0)] = 0.5
    uncertain_weight: Annotated[float, Field(ge=0.0, le=1.0)] = 0.3
    uncertain_below: Annotated[float, Field(ge=0.34, le=0.99)] = 0.5
    hysteresis: Annotated[float, Field(ge=0.0, le=0.3)] = 0.05
    thresholds: list[float] = Field(default_factory=lambda: list(DEFAULT_THRESHOLDS))
    retention_days: Annotated[int, Field(ge=1, le=3650)] = 30
    corrections_retention_days: Annotated[int, Field(ge=1, le=3650)] = 365
    paused: bool = False
    active_head: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")] = "shipped"
    max_text_chars: Annotated[int, Field(ge=100, le=100_000)] = 4000
    max_messages_per_request: Annotated[int, Field(ge=1, le=5000)] = 500
    max_body_bytes: Annotated[int, Field(ge=10_000, le=50_000_000)] = 1_000_000
    # Card numbers (Luhn-valid), emails and phone numbers become placeholders before storage.
    redact_personal_data: bool = True
    # Two-letter region for phone numbers written without +country code (default: the locale's).
    phone_region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    # SHA-256 (hex) of the secret IT put in the extension's policy: pairing without a code.
    provisioning_secret_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    # The desktop widget's settings (kept here so there is one source of truth).
    alert_threshold: AlertThreshold = "negative"
    alert_fast_drop: bool = True
    alert_recovery: bool = True
    widget_always_on_top: bool = True
    widget_opacity: Annotated[float, Field(ge=0.3, le=1.0)] = 1.0
    # The team view (off when `team_broker` is unset): levels, never text, to the team's MQTT
    # broker. Credentials live in the OS keyring (`team_credentials.py`), never here.
    team_broker: str | None = None
    team_id: Annotated[str, Field(pattern=_TOPIC_NAME)] | None = None
    team_agent: Annotated[str, Field(pattern=_TOPIC_NAME)] = Field(default_factory=os_user_name)
    team_alert_threshold: AlertThreshold = "negative"
    # TLS (mqtts:// only): a CA file instead of the system trust store, a client certificate and
    # its key (PEM files, absolute paths).
    team_ca_file: str | None = None
    team_client_cert: str | None = None
    team_client_key: str | None = None
    # Keys IT set with `moodline install`: the widget shows them read-only and neither it nor
    # PATCH /v1/settings changes them (`update_settings(..., by_it=False)` refuses).
    set_by_it: list[str] = Field(default_factory=list)

    @field_validator("allowed_extension_ids")
    @classmethod
    def _check_ids(cls, value: list[str]) -> list[str]:
        for item in value:
            if not _EXTENSION_ID.match(item):
                raise ValueError(f"{item!r} is not a Chrome/Edge extension id (32 letters a-p)")
        return value

    @field_validator("thresholds")
    @classmethod
    def _check_thresholds(cls, value: list[float]) -> list[float]:
        return list(validate_thresholds(value))

    @field_validator("team_broker")
    @classmethod
    def _check_broker(cls, value: str | None) -> str | None:
        if value is not None:
            parse_broker_url(value)
        return value

    @field_validator("set_by_it")
    @classmethod
    def _check_set_by_it(cls, value: list[str]) -> list[str]:
        unknown = [key for key in value if key not in cls.model_fields or key == "set_by_it"]
        if unknown:
            raise ValueError(f"not settings: {', '.join(map(repr, unknown))}")
        return sorted(set(value))

    @model_validator(mode="after")
    def _team_needs_an_id(self) -> Settings:
        if self.team_broker is not None and self.team_id is None:
            raise ValueError("team_broker is set but team_id is not: name the team")
        return self

    @model_validator(mode="after")
    def _team_tls_files(self) -> Settings:
        address = self.team_address
        try:
            check_tls_files(
                address is not None and address.tls,
                self.team_ca_file,
                self.team_client_cert,
                self.team_client_key,
            )
        except TeamTlsError as exc:
            raise ValueError(str(exc)) from exc
        return self

    @property
    def team_address(self) -> BrokerAddress | None:
        """The team broker's address, or None when the team view is off."""
        return None if self.team_broker is None else parse_broker_url(self.team_broker)

    def window_config(self) -> WindowConfig:
        return WindowConfig(
            size=self.window_size,
            recency_decay=self.recency_decay,
            prior_weight=self.prior_weight,
            uncertain_weight=self.uncertain_weight,
            hysteresis=self.hysteresis,
            thresholds=tuple(self.thresholds),
        )


def _describe(error: ValidationError, path: Path) -> str:
    lines = [f"invalid settings in {path}:"]
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(file)"
        lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)


def load_settings(path: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Read and validate the settings file (defaults when absent), applying `overrides`."""
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"cannot read settings file {path}: {exc}") from exc
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, path)) from exc


def save_settings(settings: Settings, path: Path) -> Path:
    """Write the settings atomically; return the file's path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".toml.tmp")
    # TOML has no null: a key left unset (None) is simply absent from the file.
    temporary.write_text(tomli_w.dumps(settings.model_dump(exclude_none=True)), encoding="utf-8")
    temporary.replace(path)
    return path


def update_settings(changes: dict[str, Any], path: Path, *, by_it: bool = False) -> Settings:
    """Validate `changes` on top of the current file and save; nothing is written if invalid.
    Only IT (`by_it`: `moodline install`) may change the keys listed in `set_by_it`."""
    current = load_settings(path).model_dump()
    if not by_it:
        protected = {*current["set_by_it"], "set_by_it"}
        locked = sorted(k for k, v in changes.items() if k in protected and current.get(k) != v)
        if locked:
            raise SettingsError(
                f"set by IT with `moodline install`, not changeable here: {', '.join(locked)}"
            )
    current.update(changes)
    try:
        updated = Settings.model_validate(current)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, path)) from exc
    save_settings(updated, path)
    return updated
