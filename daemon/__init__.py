"""The local service: scores customer messages, keeps their history, pushes updates on 127.0.0.1."""

API_VERSION = 1
