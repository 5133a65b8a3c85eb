"""DaemonControl: the daemon's decisions on settings, the model's head, focus and pause.

Every method but `set_focus` runs on the service thread (the one thread that may touch the
service): they write the settings file and reconfigure the running service. Each returns a typed
result with the events to publish; the HTTP layer only decodes, calls, publishes and encodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moodline.daemon.events import Event, FocusEvent, SettingsEvent, StatusEvent
from moodline.daemon.live import Activity, LiveSettings, ServiceSlot
from moodline.daemon.locations import Locations
from moodline.daemon.privacy.policy import RedactionPolicy
from moodline.daemon.readiness import Readiness
from moodline.daemon.scoring.hashing import ModelIntegrityError
from moodline.daemon.scoring.heads import HeadRegistry
from moodline.daemon.service import SentimentService
from moodline.daemon.settings import (
    RESTART_KEYS,
    Settings,
    SettingsError,
    load_settings,
    update_settings,
)


class HeadError(ValueError):
    """A head could not be used (unknown, unreadable settings, failed hash check); the old head
    stays in use. The message says why."""


@dataclass(frozen=True)
class SettingsChange:
    """Settings saved and applied: the new settings, the keys whose value changed, the keys sent
    that take effect only after a restart, and the events to publish."""

    settings: Settings
    changed: frozenset[str]
    restart_required: tuple[str, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class HeadChange:
    """The scorer now uses head `head`."""

    head: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class FocusChange:
    """The agent now looks at `conversation_id` (None: at none)."""

    conversation_id: str | None
    events: tuple[Event, ...]


class DaemonControl:
    """Owns the live settings, the service slot, readiness and the agent's focus."""

    def __init__(
        self,
        settings: LiveSettings,
        locations: Locations,
        services: ServiceSlot | None = None,
        readiness: Readiness | None = None,
        activity: Activity | None = None,
    ) -> None:
        self.settings = settings
        self.locations = locations
        self.services = services or ServiceSlot()
        self.readiness = readiness or Readiness()
        self.activity = activity or Activity()

    @property
    def heads(self) -> HeadRegistry:
        return HeadRegistry(self.locations.heads)

    def service_loaded(self, service: SentimentService) -> tuple[Event, ...]:
        """The model and store are up: serve with `service` from now on."""
        settings = self.settings.current
        self.services.service = service
        self.readiness.mark_ready(service.scorer.encoder.name, settings.active_head)
        return (StatusEvent(ready=True, paused=settings.paused),)

    def service_failed(self, exc: BaseException) -> None:
        """The model or store failed to load; /v1/health says why."""
        self.readiness.mark_failed(f"{type(exc).__name__}: {exc}")

    def apply_settings(self, changes: Mapping[str, Any]) -> SettingsChange:
        """Validate `changes` on top of the settings file and save them (SettingsError, and
        nothing written, if invalid); window and redaction settings apply to the running
        service at once."""
        before = self.settings.current.model_dump()
        updated = update_settings(dict(changes), self.locations.settings_file)
        self.settings.current = updated
        service = self.services.service
        if service is not None:
            service.configure(
                updated.window_config(),
                updated.uncertain_below,
                RedactionPolicy.from_settings(updated),
            )
        after = updated.model_dump()
        return SettingsChange(
            settings=updated,
            changed=frozenset(k for k, v in after.items() if before.get(k) != v),
            restart_required=tuple(sorted(RESTART_KEYS & set(changes))),
            events=(StatusEvent(paused=updated.paused), SettingsEvent(updated)),
        )

    def pause(self, paused: bool) -> SettingsChange:
        """Pause or resume scoring; saved in the settings file like any setting."""
        return self.apply_settings({"paused": paused})

    def use_head(self, name: str) -> HeadChange:
        """Load head `name` (checked against its hashes) and score with it from now on."""
        service = self.services.require()
        try:
            head, _ = self.heads.load(name)
            multilingual = self.heads.load_multilingual(name)
        except ModelIntegrityError as exc:
            raise HeadError(str(exc)) from exc
        service.use_head(head, multilingual)
        self.readiness.head = name
        return HeadChange(name, (StatusEvent(head=name),))

    def reload_head(self) -> HeadChange:
        """Re-read the settings file and switch to its `active_head` (after `moodline train
        --activate` or `moodline model use`); the file's settings become the live ones."""
        self.services.require()
        try:
            settings = load_settings(self.locations.settings_file)
        except SettingsError as exc:
            raise HeadError(str(exc)) from exc
        change = self.use_head(settings.active_head)
        self.settings.current = settings
        return change

    def set_focus(self, conversation_id: str | None) -> FocusChange:
        """The conversation the agent is looking at (any thread: touches no service or file)."""
        self.activity.focus = conversation_id
        return FocusChange(conversation_id, (FocusEvent(conversation_id),))
