"""The settings dialog's logic: the entered values, their validation and the changes to save."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from moodline.daemon.settings import ALERT_THRESHOLDS, Settings

LABELS = {
    "port": "Daemon port",
    "retention_days": "Keep history for (days)",
    "widget_opacity": "Opacity",
    "alert_threshold": "Alert when a chat reaches",
    "team_broker": "Team broker",
    "team_id": "Team",
    "team_agent": "Shared as",
    "team_alert_threshold": "Team alert when a chat reaches",
    "settings": "Team view",  # the checks across keys (a broker needs a team)
}
THRESHOLD_NAMES = {
    "off": "Off",
    "slightly_negative": "Slightly negative",
    "negative": "Negative",
    "very_negative": "Very negative",
}
assert tuple(THRESHOLD_NAMES) == ALERT_THRESHOLDS


def bounds(name: str) -> tuple[int, int]:
    """The inclusive range the settings file allows for a whole-number setting."""
    low = high = None
    for rule in Settings.model_fields[name].metadata:
        low = getattr(rule, "ge", low)
        high = getattr(rule, "le", high)
    assert low is not None and high is not None, name
    return int(low), int(high)


@dataclass
class SettingsForm:
    """What the dialog shows; text fields hold what the agent typed."""

    port: str
    alert_threshold: str
    alert_fast_drop: bool
    alert_recovery: bool
    widget_always_on_top: bool
    opacity_percent: int
    retention_days: str
    team_broker: str = ""  # empty: the team view is off
    team_id: str = ""
    team_agent: str = ""
    team_alert_threshold: str = "negative"

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> SettingsForm:
        return cls(
            port=str(settings["port"]),
            alert_threshold=str(settings["alert_threshold"]),
            alert_fast_drop=bool(settings["alert_fast_drop"]),
            alert_recovery=bool(settings["alert_recovery"]),
            widget_always_on_top=bool(settings["widget_always_on_top"]),
            opacity_percent=round(float(settings["widget_opacity"]) * 100),
            retention_days=str(settings["retention_days"]),
            team_broker=str(settings.get("team_broker") or ""),
            team_id=str(settings.get("team_id") or ""),
            team_agent=str(settings.get("team_agent") or ""),
            team_alert_threshold=str(settings.get("team_alert_threshold", "negative")),
        )

    def errors(self) -> dict[str, str]:
        """One plain message per invalid field; empty when everything can be saved."""
        errors: dict[str, str] = {}
        for name in ("port", "retention_days"):
            low, high = bounds(name)
            text = getattr(self, name).strip()
            if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
                errors[name] = f"{LABELS[name]} must be a whole number from {low} to {high}."
        if errors:
            return errors
        try:
            Settings.model_validate(self.values())
        except ValidationError as exc:
            for item in exc.errors():
                name = str(item["loc"][0]) if item["loc"] else "settings"
                errors[name] = f"{LABELS.get(name, name)}: {item['msg']}"
        return errors

    def values(self) -> dict[str, Any]:
        """The form as settings (only valid to call when `errors()` is empty for numbers)."""
        return {
            "port": int(self.port),
            "alert_threshold": self.alert_threshold,
            "alert_fast_drop": self.alert_fast_drop,
            "alert_recovery": self.alert_recovery,
            "widget_always_on_top": self.widget_always_on_top,
            "widget_opacity": round(self.opacity_percent / 100, 2),
            "retention_days": int(self.retention_days),
            "team_broker": self.team_broker.strip() or None,
            "team_id": self.team_id.strip() or None,
            "team_agent": self.team_agent.strip(),
            "team_alert_threshold": self.team_alert_threshold,
        }

    def changes(self, current: dict[str, Any]) -> dict[str, Any]:
        """The settings that differ from `current` (what a PATCH should carry)."""
        return {k: v for k, v in self.values().items() if current.get(k) != v}
