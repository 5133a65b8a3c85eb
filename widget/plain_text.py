"""Showing scraped text safely: Qt renders tooltips that look like HTML as rich text, so a
customer typing `<img src=...>` must be escaped and wrapped to be shown literally."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_tooltip(text: str) -> str:
    """A tooltip string that Qt shows exactly as `text` reads."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def plain_label(text: str = "", wrap: bool = False) -> QLabel:
    """A label that never interprets its text as rich text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label
