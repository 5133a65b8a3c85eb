"""The widget says in words when the agent's levels are shared with the team (glance window and
settings dialog), and the dialog's team view fields: read-only when IT set them, validated
otherwise. Real Qt windows (offscreen), the real settings file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from moodline.daemon.locations import Locations
from moodline.daemon.settings import Settings, load_settings, update_settings
from moodline.widget.app import build_widget
from moodline.widget.link import DaemonLink
from moodline.widget.settings_client import SettingsClient
from moodline.widget.settings_dialog import SettingsDialog
from moodline.widget.team_notice import SET_BY_IT
from tests.conftest import free_port
from tests.support.daemon_process import TOKEN

pytestmark = pytest.mark.gui
BROKER = "mqtts://mqtt.example.internal:8883"
TEAM = {"team_broker": BROKER, "team_id": "support-eu", "team_agent": "ann"}


def dialog_on_file(qtbot: QtBot) -> tuple[SettingsDialog, Path]:
    path = Locations.resolve().settings_file
    link = DaemonLink(free_port(), lambda: TOKEN)  # never started: the file is edited
    dialog = SettingsDialog(SettingsClient(link, path))
    qtbot.addWidget(dialog)
    dialog.open_settings()
    return dialog, path


def test_team_fields_set_by_it_are_read_only_and_the_sharing_is_said(
    qtbot: QtBot, isolated_dirs: Path
) -> None:
    path = Locations.resolve().settings_file
    update_settings({**TEAM, "set_by_it": list(TEAM)}, path, by_it=True)
    dialog, _ = dialog_on_file(qtbot)
    assert dialog.team_broker.text() == BROKER and dialog.team_id.text() == "support-eu"
    for field in (dialog.team_broker, dialog.team_id, dialog.team_agent):
        assert not field.isEnabled() and field.toolTip() == SET_BY_IT
    assert dialog.team_threshold.isEnabled() and dialog.port.isEnabled()
    said = dialog.sharing.text()
    assert "shared with team support-eu as ann, through " + BROKER in said
    assert "level, score" in said and "trend" in said and "Never what anyone wrote" in said
    dialog.team_threshold.setCurrentIndex(dialog.team_threshold.findData("very_negative"))
    dialog.save_button.click()
    assert "daemon restarts" in dialog.notice.text()
    saved = load_settings(path)
    assert saved.team_alert_threshold == "very_negative" and saved.team_broker == BROKER


def test_an_agent_may_turn_the_team_view_on_with_clear_errors(
    qtbot: QtBot, isolated_dirs: Path
) -> None:
    dialog, path = dialog_on_file(qtbot)
    assert dialog.team_broker.isEnabled() and dialog.team_broker.text() == ""
    assert dialog.sharing.text() == "Team view off: nothing is shared with your team."
    dialog.team_broker.setText("http://mqtt.example.internal")
    assert not dialog.save_button.isEnabled()
    assert "Team broker" in dialog.errors.text() and "mqtt://host:port" in dialog.errors.text()
    dialog.team_broker.setText(BROKER)
    assert "team_broker is set but team_id is not" in dialog.errors.text()
    dialog.team_id.setText("support eu")
    assert "Team:" in dialog.errors.text()
    dialog.team_id.setText("support-eu")
    assert dialog.errors.text() == "" and dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert load_settings(path).team_id == "support-eu"
    assert "shared with team support-eu" in dialog.sharing.text()


def test_the_glance_window_says_the_levels_are_shared(qtbot: QtBot) -> None:
    parts = build_widget(DaemonLink(free_port(), lambda: TOKEN), Settings.model_validate(TEAM))
    qtbot.addWidget(parts.window)
    parts.window.show()
    notice = parts.window.team
    assert notice.isVisible() and "Levels shared with team support-eu" in notice.text()
    assert "through " + BROKER in notice.accessibleName()
    assert "Never what anyone wrote" in notice.accessibleName()
    parts.preferences.apply({"team_broker": None, "team_id": None})
    assert not notice.isVisible() and notice.text() == ""
    parts.preferences.apply(TEAM)
    assert notice.isVisible()
