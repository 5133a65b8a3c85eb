"""DaemonControl without a web server: settings, pause, focus and heads, with their events."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from moodline.daemon.control import DaemonControl, HeadError
from moodline.daemon.events import FocusEvent, SettingsEvent, StatusEvent
from moodline.daemon.live import LiveSettings, NotLoadedError, ServiceSlot
from moodline.daemon.locations import Locations
from moodline.daemon.scoring.heads import load_shipped_head
from moodline.daemon.scoring.scorer import MessageScorer
from moodline.daemon.service import SentimentService
from moodline.daemon.settings import Settings, SettingsError, load_settings, update_settings
from moodline.daemon.store.history import HistoryStore


class ZeroEncoder:
    """Stand-in encoder: the control never scores, it only reconfigures the service."""

    name = "zero"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 384), dtype=np.float32)


@pytest.fixture
def service(locations: Locations) -> SentimentService:
    head, _ = load_shipped_head()
    locations.data.mkdir(parents=True, exist_ok=True)
    store = HistoryStore(locations.history_database)
    return SentimentService(store, MessageScorer(ZeroEncoder(), head), Settings().window_config())


@pytest.fixture
def control(locations: Locations, service: SentimentService) -> DaemonControl:
    control = DaemonControl(LiveSettings(Settings()), locations, ServiceSlot())
    control.service_loaded(service)
    return control


def test_loading_the_service_makes_the_daemon_ready(
    locations: Locations, service: SentimentService
) -> None:
    control = DaemonControl(LiveSettings(Settings(paused=True)), locations)
    with pytest.raises(NotLoadedError):
        control.use_head("shipped")
    events = control.service_loaded(service)
    assert events == (StatusEvent(ready=True, paused=True),)
    assert control.readiness.ready and control.readiness.head == "shipped"
    assert control.services.require() is service


def test_apply_settings_saves_applies_and_says_what_changed(
    control: DaemonControl, service: SentimentService, locations: Locations
) -> None:
    change = control.apply_settings({"window_size": 3, "uncertain_below": 0.7, "port": 48001})
    assert change.changed == {"window_size", "uncertain_below", "port"}
    assert change.restart_required == ("port",)
    assert change.events == (StatusEvent(paused=False), SettingsEvent(change.settings))
    assert load_settings(locations.settings_file).window_size == 3
    assert control.settings.current is change.settings
    assert service.window.size == 3 and service.scorer.uncertain_below == 0.7
    # A restart key that is sent is reported even when its value stays (the wire's rule).
    again = control.apply_settings({"port": 48001, "alert_recovery": False})
    assert again.changed == {"alert_recovery"} and again.restart_required == ("port",)


def test_invalid_settings_raise_and_change_nothing(
    control: DaemonControl, service: SentimentService, locations: Locations
) -> None:
    control.apply_settings({"window_size": 4})
    saved = locations.settings_file.read_text()
    before = control.settings.current
    with pytest.raises(SettingsError, match="window_size"):
        control.apply_settings({"window_size": 0, "alert_recovery": False})
    with pytest.raises(SettingsError, match="nope"):
        control.apply_settings({"nope": 1})
    assert locations.settings_file.read_text() == saved
    assert control.settings.current is before and service.window.size == 4


def test_pause_is_saved_and_pushed_as_status_and_settings(
    control: DaemonControl, locations: Locations
) -> None:
    change = control.pause(True)
    assert change.settings.paused and control.settings.current.paused
    assert "paused = true" in locations.settings_file.read_text()
    assert change.events == (StatusEvent(paused=True), SettingsEvent(change.settings))
    assert change.restart_required == () and change.changed == {"paused"}
    assert control.pause(False).events[0] == StatusEvent(paused=False)


def test_focus_is_remembered_and_pushed(control: DaemonControl) -> None:
    change = control.set_focus("zendesk:1")
    assert change.conversation_id == "zendesk:1" and control.activity.focus == "zendesk:1"
    assert change.events == (FocusEvent("zendesk:1"),)
    assert control.set_focus(None).events == (FocusEvent(None),)
    assert control.activity.focus is None


def test_an_unknown_head_is_a_clear_error_and_the_old_head_stays(
    control: DaemonControl, service: SentimentService
) -> None:
    old = service.scorer.head
    with pytest.raises(HeadError, match="no head named 'missing'"):
        control.use_head("missing")
    with pytest.raises(HeadError, match="invalid head name"):
        control.use_head("../elsewhere")
    assert service.scorer.head is old and control.readiness.head == "shipped"


def test_reload_switches_to_the_settings_files_head(
    control: DaemonControl, service: SentimentService, locations: Locations
) -> None:
    update_settings({"active_head": "missing"}, locations.settings_file)
    before = control.settings.current
    with pytest.raises(HeadError, match="missing"):
        control.reload_head()
    assert control.settings.current is before, "settings stay until the head is in use"
    update_settings({"active_head": "shipped", "alert_recovery": False}, locations.settings_file)
    old = service.scorer.head
    change = control.reload_head()
    assert change.head == "shipped" and change.events == (StatusEvent(head="shipped"),)
    assert service.scorer.head is not old, "the head was loaded again"
    assert control.settings.current.alert_recovery is False
    assert control.readiness.head == "shipped"


def test_redaction_settings_reach_the_running_service(
    control: DaemonControl, service: SentimentService
) -> None:
    assert service.redaction.enabled
    control.apply_settings({"redact_personal_data": False, "phone_region": "GB"})
    assert not service.redaction.enabled and service.redaction.phone_region == "GB"
    control.apply_settings({"redact_personal_data": True})
    assert service.redaction.enabled
