"""Feeds the daemon's sentiment events through the alert rules and emits the alerts as a signal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from moodline.daemon.alerts import Alert, AlertRules, AlertSettings
from moodline.daemon.levels import Level


class AlertFeed(QObject):
    """One `alert` signal per alert; nothing while paused; closed chats are forgotten."""

    alert = Signal(object)

    def __init__(self, settings: AlertSettings | None = None) -> None:
        super().__init__()
        self.rules = AlertRules(settings or AlertSettings())
        self.paused = False

    def set_settings(self, settings: AlertSettings) -> None:
        """New threshold and toggles; what each chat already alerted on is kept."""
        self.rules.settings = settings

    @Slot(str)
    def on_state(self, state: str) -> None:
        self.paused = state == "paused"

    @Slot(dict)
    def on_event(self, event: dict[str, Any]) -> None:
        conversation_id = event.get("conversation_id")
        if not isinstance(conversation_id, str):
            return
        if event.get("type") == "closed":
            self.rules.forget(conversation_id)
        elif event.get("type") == "sentiment" and event.get("level") in Level.__members__.values():
            for alert in self.rules.observe(conversation_id, Level(event["level"]), self.paused):
                self.alert.emit(alert)


def describe(alert: Alert, label: str) -> tuple[str, str]:
    """Title and body of the notification for `alert` about the chat called `label`."""
    level = alert.level.value.replace("_", " ")
    if alert.kind.value == "threshold":
        return f"{label} is {level}", "The customer's mood reached your alert level."
    if alert.kind.value == "fast_drop":
        was = alert.previous_level.value.replace("_", " ")
        return f"{label} is dropping fast", f"From {was} to {level} within a few messages."
    return f"{label} has recovered", f"Back to {level}."
