"""Moodline: live customer sentiment beside any web chat console, scored on the agent's machine."""

__version__ = "0.1.0"
