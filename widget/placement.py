"""Where the glance window was on each screen, and whether it was expanded, kept in QSettings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QSettings, QTimer
from PySide6.QtGui import QGuiApplication, QScreen

if TYPE_CHECKING:
    from moodline.widget.glance import GlanceWindow

MIN_VISIBLE = 40  # px of the window, both ways, that must lie on a screen to restore it there
SAVE_DELAY_MS = 500


@dataclass(frozen=True)
class ScreenInfo:
    name: str
    geometry: QRect

    @classmethod
    def of(cls, screen: QScreen) -> ScreenInfo:
        return cls(screen.name(), screen.geometry())

    @property
    def key(self) -> str:
        g = self.geometry
        name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in self.name)
        return f"{name}_{g.x()}_{g.y()}_{g.width()}x{g.height()}"


def visible_on(rect: QRect, screen: QRect) -> bool:
    """True when enough of `rect` lies on `screen` to grab it and drag it back."""
    overlap = rect.intersected(screen)
    return overlap.width() >= min(MIN_VISIBLE, rect.width()) and overlap.height() >= min(
        MIN_VISIBLE, rect.height()
    )


def screen_for(rect: QRect, screens: Sequence[ScreenInfo]) -> ScreenInfo | None:
    """The screen showing most of `rect` (None if it is on none)."""

    def shown(screen: ScreenInfo) -> int:
        overlap = rect.intersected(screen.geometry)
        return overlap.width() * overlap.height() if overlap.isValid() else 0

    best = max(screens, key=shown, default=None)
    return best if best is not None and shown(best) > 0 else None


def current_screens() -> list[ScreenInfo]:
    return [ScreenInfo.of(screen) for screen in QGuiApplication.screens()]


class WindowPlacement:
    """Saved rectangles keyed by screen (name and geometry), the last screen used, and the
    compact/expanded state. A rectangle is restored only if it is still visible on that screen."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    def save(self, rect: QRect, screen: ScreenInfo) -> None:
        self.store.setValue(
            f"placement/{screen.key}", f"{rect.x()},{rect.y()},{rect.width()},{rect.height()}"
        )
        self.store.setValue("placement/last_screen", screen.key)
        self.store.sync()

    def restore(self, screens: Sequence[ScreenInfo]) -> QRect | None:
        """The saved rectangle to use now: the last screen's if it is still attached, else any
        current screen's; None when nothing saved would be visible."""
        last = self.store.value("placement/last_screen", "")
        ordered = sorted(screens, key=lambda s: s.key != last)
        for screen in ordered:
            rect = self._rect(screen.key)
            if rect is not None and visible_on(rect, screen.geometry):
                return rect
        return None

    def _rect(self, key: str) -> QRect | None:
        text = str(self.store.value(f"placement/{key}", ""))
        try:
            x, y, w, h = (int(part) for part in text.split(","))
        except ValueError:
            return None
        return QRect(x, y, w, h) if w > 0 and h > 0 else None

    @property
    def expanded(self) -> bool:
        return str(self.store.value("window/expanded", "false")).lower() == "true"

    @expanded.setter
    def expanded(self, value: bool) -> None:
        self.store.setValue("window/expanded", "true" if value else "false")
        self.store.sync()


class PlacementKeeper(QObject):
    """Restores the glance window's place, size and expanded state, and saves them (shortly
    after the agent stops moving or resizing it, and when it expands or collapses)."""

    def __init__(
        self,
        window: GlanceWindow,
        placement: WindowPlacement,
        screens: Callable[[], list[ScreenInfo]] = current_screens,
    ) -> None:
        super().__init__()
        self.window, self.placement, self.screens = window, placement, screens
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        self._restoring = False

    def restore(self) -> None:
        self._restoring = True
        try:
            self.window.set_expanded(self.placement.expanded)
            rect = self.placement.restore(self.screens())
            if rect is not None:
                self.window.setGeometry(rect)
        finally:
            self._restoring = False
        self.window.placeChanged.connect(self._later)
        self.window.expandedChanged.connect(self._on_expanded)

    def _later(self) -> None:
        if not self._restoring:
            self._timer.start()

    def _on_expanded(self, expanded: bool) -> None:
        if not self._restoring:
            self.placement.expanded = expanded
            self._timer.start()

    def save(self) -> None:
        rect = self.window.geometry()
        screen = screen_for(rect, self.screens())
        if screen is not None:
            self.placement.save(rect, screen)
