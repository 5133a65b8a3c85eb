"""Opens the settings dialog and the review window on demand (one of each, kept for reuse)."""

from __future__ import annotations

from moodline.daemon.locations import Locations
from moodline.widget.details import DetailLoader, ExpandedView
from moodline.widget.link import DaemonLink
from moodline.widget.login_start import LoginStart
from moodline.widget.preferences import WidgetPreferences
from moodline.widget.review import FileChooser, ReviewWindow, choose_export_file
from moodline.widget.review_loader import ExportJob, HistoryLoader
from moodline.widget.settings_client import SettingsClient
from moodline.widget.settings_dialog import SettingsDialog
from moodline.widget.trend_chart import TrendChart


class WidgetWindows:
    """The tray's "Settings…" and "Review…" targets, built from the one daemon link."""

    def __init__(
        self,
        link: DaemonLink,
        preferences: WidgetPreferences,
        locations: Locations,
        choose_file: FileChooser = choose_export_file,
    ) -> None:
        self.link, self.preferences = link, preferences
        self.locations, self.choose_file = locations, choose_file
        self.settings: SettingsDialog | None = None
        self.review: ReviewWindow | None = None

    def open_settings(self) -> SettingsDialog:
        if self.settings is None:
            client = SettingsClient(self.link, self.locations.settings_file)
            client.saved.connect(self.preferences.apply)  # live, even with no daemon running
            login = LoginStart(self.locations.install_record())
            self.settings = SettingsDialog(client, login=login)
        self.settings.open_settings()
        return self.settings

    def open_review(self) -> ReviewWindow:
        if self.review is None:
            timeline = ExpandedView(DetailLoader(self.link), TrendChart())
            self.link.received.connect(timeline.on_event)
            self.review = ReviewWindow(
                HistoryLoader(self.link), ExportJob(self.link), timeline, self.choose_file
            )
        self.review.show()
        self.review.raise_()
        self.review.search()
        return self.review
