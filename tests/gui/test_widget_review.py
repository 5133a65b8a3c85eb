"""The review window: filters as API queries, the table model without views, the window without
a daemon, and the whole window driven against a real running daemon (filter, timeline, export)."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from moodline.daemon.levels import Level
from moodline.daemon.locations import Locations
from moodline.daemon.scoring.encoders import Encoder
from moodline.widget.details import DetailLoader, ExpandedView
from moodline.widget.link import Backoff, ConnectionState, DaemonLink
from moodline.widget.preferences import WidgetPreferences
from moodline.widget.review import ReviewWindow
from moodline.widget.review_filter import ReviewFilter
from moodline.widget.review_loader import ExportJob, HistoryLoader
from moodline.widget.review_model import ID_ROLE, SORT_ROLE, ReviewTableModel
from moodline.widget.trend_chart import TrendChart
from moodline.widget.windows import WidgetWindows
from tests.conftest import free_port
from tests.support.daemon_process import TOKEN, DaemonProcess

pytestmark = pytest.mark.gui


def query(path: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}


def test_filter_becomes_api_queries() -> None:
    assert query(ReviewFilter().conversations_path()) == {"status": "all", "limit": "500"}
    which = ReviewFilter(date(2026, 3, 1), date(2026, 3, 7), " zendesk ", Level.NEGATIVE)
    since, until = which.bounds()
    assert since == datetime(2026, 3, 1).timestamp()
    assert until == datetime(2026, 3, 8).timestamp(), "the 'to' day is included"
    listing = query(which.conversations_path())
    assert listing["site"] == "zendesk" and listing["reached"] == "negative"
    assert float(listing["since"]) == since and float(listing["until"]) == until
    export = query(which.export_path("csv"))
    assert export == {k: v for k, v in listing.items() if k not in ("status", "limit")} | {
        "format": "csv"
    }
    assert (
        which.describe() == "chats active 2026-03-01 to 2026-03-07 on zendesk that reached negative"
    )
    assert ReviewFilter(date(2026, 3, 2), date(2026, 3, 1)).error() is not None
    with pytest.raises(ValueError):
        which.export_path("xml")


def item(cid: str, title: str, site: str, lowest: str, updated: float) -> dict[str, object]:
    return {
        "conversation_id": cid,
        "source": {"site": site, "url": "", "title": title},
        "level": "neutral",
        "lowest_level": lowest,
        "message_count": 3,
        "created_at": updated - 60,
        "updated_at": updated,
        "closed_at": updated if cid == "b" else None,
        "score": 0.0,
        "uncertain": False,
        "open": cid != "b",
    }


def test_table_model_without_views(qtbot: QtBot) -> None:
    model = ReviewTableModel()
    model.load(
        [
            item("a", "<b>Ann</b> <img src=x>", "zendesk", "very_negative", 2000.0),
            item("b", "", "intercom", "slightly_negative", 1000.0),
        ]
    )
    assert model.rowCount() == 2 and model.columnCount() == 7
    assert model.rowCount(model.index(0, 0)) == 0
    cells = [model.data(model.index(0, c)) for c in range(7)]
    assert cells[1:] == [
        "<b>Ann</b> <img src=x>",
        "zendesk",
        "very negative",
        "neutral",
        "3",
        "open",
    ]
    assert model.data(model.index(1, 1)) == "b", "untitled chats show their id"
    assert model.data(model.index(1, 6)) == "closed"
    tip = model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=x&gt;" in tip and "<img" not in tip
    assert "lowest very negative" in model.data(
        model.index(0, 1), Qt.ItemDataRole.AccessibleTextRole
    )
    assert model.data(model.index(0, 3), SORT_ROLE) < model.data(model.index(1, 3), SORT_ROLE)
    assert model.data(model.index(1, 0), ID_ROLE) == "b"
    assert model.data(model.index(0, 3), Qt.ItemDataRole.DecorationRole) is not None
    assert model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Lowest"
    assert model.sites() == ["intercom", "zendesk"]
    assert model.data(QModelIndex()) is None


def review_window(link: DaemonLink, chooser: object = None) -> ReviewWindow:
    timeline = ExpandedView(DetailLoader(link), TrendChart())
    return ReviewWindow(
        HistoryLoader(link),
        ExportJob(link),
        timeline,
        chooser or (lambda _parent, fmt: None),  # type: ignore[arg-type]
    )


def test_window_without_a_daemon_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    link = DaemonLink(free_port(), lambda: TOKEN)  # never started
    window = review_window(link, lambda _parent, fmt: str(tmp_path / f"out.{fmt}"))
    qtbot.addWidget(window)
    window.search()
    assert window.status.text() == "Cannot load history: not linked to the daemon"
    window.use_from.setChecked(True)
    window.use_to.setChecked(True)
    window.date_to.setDate(window.date_from.date().addDays(-1))
    window.search()
    assert "after" in window.status.text()
    window.export("csv")
    assert window.status.text() == "Export failed: not linked to the daemon"
    assert not (tmp_path / "out.csv").exists() and not window.progress.isVisible()
    window.open_selected()
    assert "Select a conversation" in window.opened.text()


ANGRY = ["this is the third time I'm asking, I'm furious", "useless, I'm cancelling today"]


@pytest.mark.e2e
@pytest.mark.slow
def test_review_window_against_a_real_daemon(
    qtbot: QtBot, tmp_path: Path, fast_encoder: Encoder
) -> None:
    daemon = DaemonProcess(tmp_path, free_port())
    daemon.start()
    chats = {
        "z:1": ("zendesk", "Ann <b>angry</b>", ANGRY),
        "z:2": ("zendesk", "Bo", ["thanks, that fixed it, brilliant"]),
        "i:1": ("intercom", "Cy", [*ANGRY, "ok whatever"]),
    }
    for cid, (site, title, texts) in chats.items():
        daemon.request(
            "POST",
            "/v1/messages",
            {
                "conversation_id": cid,
                "source": {"site": site, "title": title},
                "messages": [
                    {"id": str(n), "role": "customer", "text": t} for n, t in enumerate(texts)
                ],
            },
        )
    daemon.request("POST", "/v1/conversations/i:1/close", {})
    target = tmp_path / "exports" / "chats.csv"
    target.parent.mkdir()
    link = DaemonLink(daemon.port, lambda: TOKEN, Backoff(0.2, 1.0))
    windows = WidgetWindows(
        link,
        WidgetPreferences(),
        Locations.resolve(),
        choose_file=lambda _parent, fmt: str(target.with_suffix("." + fmt)),
    )
    link.start()
    try:
        qtbot.waitUntil(lambda: link.state == ConnectionState.READY, timeout=20000)
        window = windows.open_review()
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=10000)
        assert window.status.text() == "3 chats."
        assert [window.site.itemText(i) for i in range(window.site.count())] == [
            "Any site",
            "intercom",
            "zendesk",
        ]
        window.reached.setCurrentIndex(window.reached.findData("negative"))
        qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10000)
        assert {c.conversation_id for c in window.model.conversations()} == {"z:1", "i:1"}
        window.site.setCurrentText("zendesk")
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)
        assert window.status.text() == "1 chat on zendesk that reached negative."
        window.use_from.setChecked(True)
        window.date_from.setDate(window.date_from.date().addDays(30))
        qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=10000)
        window.use_from.setChecked(False)
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)
        window.table.selectRow(0)
        window.open_selected()
        chart = window.timeline.chart
        assert isinstance(chart, TrendChart)
        qtbot.waitUntil(lambda: len(chart.points) == 2, timeout=10000)
        assert "Ann <b>angry</b>" in window.opened.text()
        assert window.opened.textFormat() == Qt.TextFormat.PlainText
        qtbot.waitUntil(lambda: len(window.timeline.why.rows) == 2, timeout=10000)
        window.export_csv.click()
        qtbot.waitUntil(lambda: window.status.text().startswith("Exported"), timeout=10000)
        assert window.status.text() == (
            f"Exported 2 messages of chats on zendesk that reached negative to {target}."
        )
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert [(r["conversation_id"], r["text"]) for r in rows] == [
            ("z:1", ANGRY[0]),
            ("z:1", ANGRY[1]),
        ]
        window.site.setCurrentText("Any site")
        qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10000)
        window.export_jsonl.click()
        qtbot.waitUntil(lambda: "Exported 5 messages" in window.status.text(), timeout=10000)
        lines = target.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()
        assert {json.loads(line)["conversation_id"] for line in lines} == {"z:1", "i:1"}
        assert not list(target.parent.glob("*.part")), "no partial file left behind"
    finally:
        link.stop()
        daemon.stop()
