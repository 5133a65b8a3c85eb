"""Showing scraped text safely: Qt renders tooltips that look like HTML as rich text, so a
customer typing `<img src=...>` must be escaped and wrapped to be shown literally."""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """A tooltip string that Qt shows exactly as `text` reads."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
