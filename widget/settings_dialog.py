"""The settings dialog: a thin view over SettingsForm, loading and saving through SettingsClient."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from moodline.daemon.settings import RESTART_KEYS
from moodline.widget.login_start import LoginStart
from moodline.widget.plain_text import plain_label
from moodline.widget.settings_client import SettingsClient
from moodline.widget.settings_form import LABELS, THRESHOLD_NAMES, SettingsForm
from moodline.widget.team_notice import SET_BY_IT, sharing_text

START_AT_LOGIN_TIP = "set by `moodline install`"


class SettingsDialog(QDialog):
    """Edits the settings file's widget, alert, port, retention and team view settings. Save
    stays disabled while a field is invalid, and each invalid field says why; what IT set with
    `moodline install` (`set_by_it`) is shown read-only. A line says what the team view shares."""

    def __init__(
        self,
        client: SettingsClient,
        parent: QWidget | None = None,
        login: LoginStart | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.login = login
        self.current: dict[str, Any] | None = None
        self.setWindowTitle("Moodline settings")
        self.port = QLineEdit()
        self.threshold = QComboBox()
        for value, name in THRESHOLD_NAMES.items():
            self.threshold.addItem(name, value)
        self.fast_drop = QCheckBox("Fast drop (two levels within three messages)")
        self.recovery = QCheckBox("Recovery (back to neutral after an alert)")
        self.on_top = QCheckBox("Keep the widget above other windows")
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(30, 100)
        self.opacity_text = QLabel()
        self.start_at_login = QCheckBox("Start Moodline when I log in")
        self.start_at_login.setEnabled(False)
        self.start_at_login.setToolTip(START_AT_LOGIN_TIP if login is None else "")
        self.retention = QLineEdit()
        self.team_broker = QLineEdit()
        self.team_broker.setPlaceholderText("off (mqtt://host:port or mqtts://host:port)")
        self.team_id = QLineEdit()
        self.team_agent = QLineEdit()
        self.team_threshold = QComboBox()
        for value, name in THRESHOLD_NAMES.items():
            self.team_threshold.addItem(name, value)
        self.sharing = plain_label("", wrap=True)
        self.sharing.setObjectName("team-sharing")
        self.set_by_it: frozenset[str] = frozenset()
        self.errors = plain_label("", wrap=True)
        self.errors.setStyleSheet("color: #b00020")
        self.notice = plain_label("Loading…", wrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        self._name_controls()
        self._lay_out()
        for edit in (self.port, self.retention, self.team_broker, self.team_id, self.team_agent):
            edit.textChanged.connect(self.validate)
        self.opacity.valueChanged.connect(self._show_opacity)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        client.loaded.connect(self.show_settings)
        client.saved.connect(self._on_saved)
        client.failed.connect(self._on_failed)
        self._set_editable(False)

    def _name_controls(self) -> None:
        self.port.setAccessibleName(LABELS["port"])
        self.threshold.setAccessibleName(LABELS["alert_threshold"])
        self.fast_drop.setAccessibleName("alert on a fast drop")
        self.recovery.setAccessibleName("alert on recovery")
        self.on_top.setAccessibleName("always on top")
        self.opacity.setAccessibleName("widget opacity in percent")
        self.start_at_login.setAccessibleName("start Moodline at login")
        self.retention.setAccessibleName(LABELS["retention_days"])
        for key, control in self._team_controls().items():
            control.setAccessibleName(LABELS[key])
        self.sharing.setAccessibleName("what the team view shares")
        self.errors.setAccessibleName("problems with the settings")
        self.save_button.setAccessibleName("save settings")

    def _lay_out(self) -> None:
        opacity_row = QHBoxLayout()
        opacity_row.addWidget(self.opacity, 1)
        opacity_row.addWidget(self.opacity_text)
        form = QFormLayout()
        form.addRow(LABELS["port"], self.port)
        form.addRow(LABELS["alert_threshold"], self.threshold)
        form.addRow("Also alert on", self.fast_drop)
        form.addRow("", self.recovery)
        form.addRow("Window", self.on_top)
        form.addRow(LABELS["widget_opacity"], opacity_row)
        form.addRow("", self.start_at_login)
        form.addRow(LABELS["retention_days"], self.retention)
        form.addRow(plain_label("Team view"))
        form.addRow(LABELS["team_broker"], self.team_broker)
        form.addRow(LABELS["team_id"], self.team_id)
        form.addRow(LABELS["team_agent"], self.team_agent)
        form.addRow(LABELS["team_alert_threshold"], self.team_threshold)
        form.addRow(self.sharing)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.errors)
        column.addWidget(self.notice)
        column.addWidget(self.buttons)

    def open_settings(self) -> None:
        """Show the dialog and (re)load the settings into it."""
        self.notice.setText("Loading…")
        self._set_editable(False)
        self.show()
        self.raise_()
        self.client.load()

    @Slot(dict)
    def show_settings(self, settings: dict[str, Any]) -> None:
        self.current = settings
        form = SettingsForm.from_settings(settings)
        self.port.setText(form.port)
        self.threshold.setCurrentIndex(max(0, self.threshold.findData(form.alert_threshold)))
        self.fast_drop.setChecked(form.alert_fast_drop)
        self.recovery.setChecked(form.alert_recovery)
        self.on_top.setChecked(form.widget_always_on_top)
        self.opacity.setValue(form.opacity_percent)
        self.retention.setText(form.retention_days)
        self.team_broker.setText(form.team_broker)
        self.team_id.setText(form.team_id)
        self.team_agent.setText(form.team_agent)
        self.team_threshold.setCurrentIndex(
            max(0, self.team_threshold.findData(form.team_alert_threshold))
        )
        self.set_by_it = frozenset(settings.get("set_by_it", ()))
        self.sharing.setText(sharing_text(settings))
        if self.login is not None:
            self.start_at_login.setChecked(self.login.is_on())
        where = "the daemon" if self.client.daemon_running else "the settings file"
        self.notice.setText(f"Settings from {where}.")
        self._set_editable(True)
        self.validate()

    def form(self) -> SettingsForm:
        return SettingsForm(
            port=self.port.text(),
            alert_threshold=str(self.threshold.currentData()),
            alert_fast_drop=self.fast_drop.isChecked(),
            alert_recovery=self.recovery.isChecked(),
            widget_always_on_top=self.on_top.isChecked(),
            opacity_percent=self.opacity.value(),
            retention_days=self.retention.text(),
            team_broker=self.team_broker.text(),
            team_id=self.team_id.text(),
            team_agent=self.team_agent.text(),
            team_alert_threshold=str(self.team_threshold.currentData()),
        )

    @Slot()
    def validate(self) -> bool:
        errors = self.form().errors() if self.current is not None else {"": ""}
        self.errors.setText("\n".join(message for message in errors.values() if message))
        self.save_button.setEnabled(not errors)
        return not errors

    @Slot()
    def save(self) -> None:
        if self.current is None or not self.validate():
            return
        if self.login is not None and self.start_at_login.isChecked() != self.login.is_on():
            try:
                self.login.set_on(self.start_at_login.isChecked())
            except (RuntimeError, OSError) as exc:
                self.notice.setText(f"Start at login not changed: {exc}")
                return
        changes = self.form().changes(self.current)
        if not changes:
            self.accept()
            return
        self.notice.setText("Saving…")
        self.save_button.setEnabled(False)
        self.client.save(changes)

    @Slot(dict)
    def _on_saved(self, answer: dict[str, Any]) -> None:
        self.current = {k: v for k, v in answer.items() if k != "restart_required"}
        restart = set(answer.get("restart_required", [])) & RESTART_KEYS
        self.sharing.setText(sharing_text(self.current))
        self.validate()
        if "port" in restart:
            self.notice.setText(
                f"Saved. The new port ({answer['port']}) takes effect after restarting the "
                "daemon and the widget."
            )
            return
        if restart:
            self.notice.setText("Saved. The team view changes when the daemon restarts.")
            return
        self.notice.setText("Saved.")
        self.accept()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.notice.setText(f"Not saved: {message}" if self.current else f"Cannot load: {message}")
        self.validate()

    def _show_opacity(self, value: int) -> None:
        self.opacity_text.setText(f"{value} %")

    def _controls(self) -> dict[str, QWidget]:
        """Each setting's control, by its key."""
        return {
            "port": self.port,
            "alert_threshold": self.threshold,
            "alert_fast_drop": self.fast_drop,
            "alert_recovery": self.recovery,
            "widget_always_on_top": self.on_top,
            "widget_opacity": self.opacity,
            "retention_days": self.retention,
            **self._team_controls(),
        }

    def _team_controls(self) -> dict[str, QWidget]:
        return {
            "team_broker": self.team_broker,
            "team_id": self.team_id,
            "team_agent": self.team_agent,
            "team_alert_threshold": self.team_threshold,
        }

    def _set_editable(self, editable: bool) -> None:
        for key, control in self._controls().items():
            by_it = key in self.set_by_it
            control.setEnabled(editable and not by_it)
            control.setToolTip(SET_BY_IT if by_it else "")
            control.setAccessibleDescription(SET_BY_IT if by_it else "")
        self.start_at_login.setEnabled(editable and self.login is not None)
