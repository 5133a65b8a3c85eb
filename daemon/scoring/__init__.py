"""Turning customer messages into sentiment: encoder, head, per-message scorer and window."""
