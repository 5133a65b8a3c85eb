"""Moodline's test suite."""
