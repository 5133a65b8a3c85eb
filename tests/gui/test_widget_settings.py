"""The settings form, the widget's live settings and the dialog: without a daemon (the settings
file) and against a real running daemon (PATCH, pushed `settings` events, live apply)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moodline.daemon.alerts import Alert, AlertKind
from moodline.daemon.levels import Level
from moodline.daemon.locations import Locations
from moodline.daemon.scoring.encoders import Encoder
from moodline.daemon.settings import Settings, load_settings
from moodline.widget.alert_feed import AlertFeed
from moodline.widget.link import Backoff, ConnectionState, DaemonLink
from moodline.widget.preferences import WidgetPreferences
from moodline.widget.settings_client import SettingsClient
from moodline.widget.settings_dialog import START_AT_LOGIN_TIP, SettingsDialog
from moodline.widget.settings_form import SettingsForm
from tests.conftest import free_port
from tests.support.daemon_process import TOKEN, DaemonProcess

pytestmark = pytest.mark.gui


def defaults() -> dict[str, Any]:
    return Settings().model_dump()


def test_form_validates_with_clear_messages() -> None:
    form = SettingsForm.from_settings(defaults())
    assert form.errors() == {} and form.changes(defaults()) == {}
    form.port, form.retention_days = "80", "0"
    errors = form.errors()
    assert errors["port"] == "Daemon port must be a whole number from 1024 to 65535."
    assert (
        errors["retention_days"] == "Keep history for (days) must be a whole number from 1 to 3650."
    )
    for bad in ("abc", "", "4.5", "²"):
        form.port = bad
        assert "port" in form.errors(), bad
    form.port, form.retention_days = " 47700 ", "90"
    form.alert_threshold, form.opacity_percent = "off", 70
    assert form.errors() == {}
    assert form.changes(defaults()) == {
        "port": 47700,
        "retention_days": 90,
        "alert_threshold": "off",
        "widget_opacity": 0.7,
    }
    form.alert_threshold = "furious"
    assert "alert_threshold" in form.errors()


def test_preferences_follow_settings_events(qtbot: QtBot) -> None:
    preferences = WidgetPreferences()
    assert preferences.alert_settings.threshold == Level.NEGATIVE and preferences.always_on_top
    with qtbot.waitSignal(preferences.changed, timeout=1000):
        preferences.on_event(
            {"type": "settings", "settings": {**defaults(), "alert_threshold": "off"}}
        )
    assert preferences.alert_settings.threshold is None
    with qtbot.assertNotEmitted(preferences.changed):
        preferences.on_event({"type": "settings", "settings": {"widget_opacity": 5}})
        preferences.on_event({"type": "status", "settings": {"alert_recovery": False}})
        preferences.apply({"alert_threshold": "off", "port": 1})
    preferences.apply({"widget_opacity": 0.5, "alert_recovery": False})
    assert preferences.opacity == 0.5 and not preferences.alert_settings.recovery


def test_alert_feed_takes_new_settings(qtbot: QtBot) -> None:
    preferences = WidgetPreferences()
    feed = AlertFeed(preferences.alert_settings)
    seen: list[Alert] = []
    feed.alert.connect(seen.append)
    preferences.apply({"alert_threshold": "very_negative", "alert_fast_drop": False})
    feed.set_settings(preferences.alert_settings)
    feed.on_event({"type": "sentiment", "conversation_id": "c", "level": "negative"})
    assert seen == [], "negative is above the very-negative threshold; fast drop is off"
    feed.on_event({"type": "sentiment", "conversation_id": "c", "level": "very_negative"})
    assert [a.kind for a in seen] == [AlertKind.THRESHOLD]


def test_dialog_without_a_daemon_edits_the_settings_file(qtbot: QtBot, isolated_dirs: Path) -> None:
    link = DaemonLink(free_port(), lambda: TOKEN)  # never started: the daemon is not running
    client = SettingsClient(link, Locations.resolve().settings_file)
    dialog = SettingsDialog(client)
    qtbot.addWidget(dialog)
    saved: list[dict[str, Any]] = []
    client.saved.connect(saved.append)
    dialog.open_settings()
    assert dialog.port.text() == "47615" and "settings file" in dialog.notice.text()
    assert not dialog.start_at_login.isEnabled()
    assert dialog.start_at_login.toolTip() == START_AT_LOGIN_TIP
    assert dialog.threshold.currentData() == "negative"
    dialog.port.setText("99999")
    assert not dialog.save_button.isEnabled()
    assert "1024 to 65535" in dialog.errors.text()
    assert dialog.errors.textFormat() == Qt.TextFormat.PlainText
    dialog.port.setText("47615")
    assert dialog.save_button.isEnabled() and dialog.errors.text() == ""
    dialog.threshold.setCurrentIndex(dialog.threshold.findData("slightly_negative"))
    dialog.opacity.setValue(80)
    dialog.on_top.setChecked(False)
    dialog.save_button.click()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    stored = load_settings(Locations.resolve().settings_file)
    assert stored.alert_threshold == "slightly_negative" and stored.widget_opacity == 0.8
    assert stored.widget_always_on_top is False
    assert saved[-1]["restart_required"] == []
    dialog.open_settings()
    dialog.port.setText("47700")
    dialog.save_button.click()
    assert "after restarting the daemon and the widget" in dialog.notice.text()
    assert dialog.isVisible(), "stays open to say so"
    assert load_settings(Locations.resolve().settings_file).port == 47700


@pytest.mark.e2e
@pytest.mark.slow
def test_settings_dialog_against_a_real_daemon(
    qtbot: QtBot, tmp_path: Path, fast_encoder: Encoder
) -> None:
    from moodline.widget.app import build_widget
    from moodline.widget.windows import WidgetWindows

    daemon = DaemonProcess(tmp_path, free_port())
    daemon.start()
    parts = build_widget(
        DaemonLink(daemon.port, lambda: TOKEN, Backoff(0.2, 1.0)),
        load_settings(Locations.resolve().settings_file),
    )
    other = DaemonLink(daemon.port, lambda: TOKEN, Backoff(0.2, 1.0))
    pushed: list[dict[str, Any]] = []
    other.received.connect(lambda event: pushed.append(event) if event["type"] == "settings" else 0)
    window = parts.window
    qtbot.addWidget(window)
    window.show()
    window.move(120, 90)
    windows = WidgetWindows(parts.link, parts.preferences, Locations.resolve())
    parts.link.start()
    other.start()
    try:
        qtbot.waitUntil(lambda: parts.link.state == ConnectionState.READY, timeout=20000)
        qtbot.waitUntil(lambda: other.state == ConnectionState.READY, timeout=20000)
        pushed.clear()
        dialog = windows.open_settings()
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: "from the daemon" in dialog.notice.text(), timeout=10000)
        assert window.always_on_top and window.windowOpacity() == pytest.approx(1.0)
        dialog.threshold.setCurrentIndex(dialog.threshold.findData("very_negative"))
        dialog.fast_drop.setChecked(False)
        dialog.opacity.setValue(60)
        dialog.on_top.setChecked(False)
        dialog.retention.setText("45")
        position = window.pos()
        dialog.save_button.click()
        qtbot.waitUntil(
            lambda: dialog.result() == SettingsDialog.DialogCode.Accepted, timeout=10000
        )
        qtbot.waitUntil(lambda: not window.always_on_top, timeout=10000)
        assert window.windowOpacity() == pytest.approx(0.6, abs=0.01)
        assert window.pos() == position, "switching always-on-top keeps the window in place"
        rules = parts.alerts.rules.settings
        assert rules.threshold == Level.VERY_NEGATIVE and not rules.fast_drop
        qtbot.waitUntil(lambda: bool(pushed), timeout=10000)
        assert pushed[-1]["settings"]["alert_threshold"] == "very_negative", "a second client"
        on_disk = daemon.request("GET", "/v1/settings")
        assert on_disk["retention_days"] == 45 and on_disk["widget_opacity"] == 0.6
        assert load_settings(tmp_path / "config" / "settings.toml").alert_fast_drop is False
        dialog.open_settings()
        qtbot.waitUntil(lambda: dialog.port.isEnabled(), timeout=10000)
        dialog.port.setText(str(daemon.port + 1))
        dialog.save_button.click()
        qtbot.waitUntil(
            lambda: "takes effect after restarting" in dialog.notice.text(), timeout=10000
        )
        assert daemon.request("GET", "/v1/health")["ready"], "the running daemon keeps its port"
    finally:
        parts.link.stop()
        other.stop()
        daemon.stop()


def test_start_at_login_switch_writes_and_removes_the_autostart_entry(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from moodline.deploy import backend_for
    from moodline.widget.login_start import LoginStart

    home = tmp_path / "home"
    backend = backend_for("linux", home=home, env={})
    login = LoginStart(tmp_path / "record.json", backend, ["/opt/moodline/bin/moodline", "up"])
    dialog = SettingsDialog(
        SettingsClient(DaemonLink(free_port(), lambda: TOKEN), Locations.resolve().settings_file),
        login=login,
    )
    qtbot.addWidget(dialog)
    dialog.open_settings()
    entry = home / ".config/autostart/moodline.desktop"
    assert dialog.start_at_login.isEnabled() and not dialog.start_at_login.isChecked()
    dialog.start_at_login.setChecked(True)
    dialog.save_button.click()
    assert entry.is_file() and "Exec=/opt/moodline/bin/moodline up" in entry.read_text()
    dialog.open_settings()
    assert dialog.start_at_login.isChecked()
    dialog.start_at_login.setChecked(False)
    dialog.save_button.click()
    assert not entry.exists()
