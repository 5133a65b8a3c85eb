"""The widget's settings (alerts, always-on-top, opacity, whether the team view shares levels) as
kept in the daemon's settings file."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from moodline.daemon.alerts import AlertSettings
from moodline.daemon.levels import Level
from moodline.daemon.settings import Settings

WIDGET_KEYS = (
    "alert_threshold",
    "alert_fast_drop",
    "alert_recovery",
    "widget_always_on_top",
    "widget_opacity",
    # The team view: the widget only says whether and with whom levels are shared.
    "team_broker",
    "team_id",
    "team_agent",
)


class WidgetPreferences(QObject):
    """A copy of the widget's part of the settings; `changed` when any of it changes. Fed from
    the settings file at start, then from the daemon's `settings` events and saved changes."""

    changed = Signal()

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        defaults = (settings or Settings()).model_dump()
        self._values: dict[str, Any] = {key: defaults[key] for key in WIDGET_KEYS}

    @Slot(dict)
    def on_event(self, event: dict[str, Any]) -> None:
        settings = event.get("settings")
        if event.get("type") == "settings" and isinstance(settings, dict):
            self.apply(settings)

    @Slot(dict)
    def apply(self, settings: dict[str, Any]) -> None:
        """Take the widget's keys from a full or partial settings dict (others are ignored)."""
        merged = {**self._values, **{k: settings[k] for k in WIDGET_KEYS if k in settings}}
        try:
            checked = Settings.model_validate(merged).model_dump()
        except ValueError:
            return  # a newer or broken daemon: keep what we have
        values = {key: checked[key] for key in WIDGET_KEYS}
        if values != self._values:
            self._values = values
            self.changed.emit()

    @property
    def alert_settings(self) -> AlertSettings:
        threshold = self._values["alert_threshold"]
        return AlertSettings(
            threshold=None if threshold == "off" else Level(threshold),
            fast_drop=bool(self._values["alert_fast_drop"]),
            recovery=bool(self._values["alert_recovery"]),
        )

    @property
    def team(self) -> dict[str, Any]:
        """The team view's settings (for `team_notice`)."""
        return {key: self._values[key] for key in ("team_broker", "team_id", "team_agent")}

    @property
    def always_on_top(self) -> bool:
        return bool(self._values["widget_always_on_top"])

    @property
    def opacity(self) -> float:
        return float(self._values["widget_opacity"])
