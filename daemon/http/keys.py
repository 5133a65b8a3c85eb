"""The application's keys: each part of the running daemon under its own `web.AppKey`."""

from __future__ import annotations

from aiohttp import web

from moodline.daemon.control import DaemonControl
from moodline.daemon.http.batcher import IngestBatcher
from moodline.daemon.http.errors import ApiError
from moodline.daemon.http.events import EventHub
from moodline.daemon.http.runner import ServiceThread
from moodline.daemon.live import Activity, LiveSettings, ReadingLog, ServiceSlot
from moodline.daemon.locations import Locations
from moodline.daemon.pairing import PairingCodes
from moodline.daemon.readiness import Readiness
from moodline.daemon.service import SentimentService
from moodline.daemon.team.publisher import TeamPublisher

SETTINGS = web.AppKey("settings", LiveSettings)
LOCATIONS = web.AppKey("locations", Locations)
TOKEN = web.AppKey("token", str)
READINESS = web.AppKey("readiness", Readiness)
HUB = web.AppKey("hub", EventHub)
PAIRING = web.AppKey("pairing", PairingCodes)
RUNNER = web.AppKey("runner", ServiceThread)
SERVICE = web.AppKey("service", ServiceSlot)
CONTROL = web.AppKey("control", DaemonControl)
BATCHER = web.AppKey("batcher", IngestBatcher)
ACTIVITY = web.AppKey("activity", Activity)
READING = web.AppKey("reading", ReadingLog)
TEAM = web.AppKey("team", TeamPublisher)  # only when the team view is on (`team_broker` set)


def require_service(app: web.Application) -> SentimentService:
    """The loaded service, or 503 `not_ready` saying why there is none yet."""
    service = app[SERVICE].service
    if service is None:
        readiness = app[READINESS]
        raise ApiError(503, "not_ready", f"the daemon is {readiness.status}: {readiness.detail}")
    return service
