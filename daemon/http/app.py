"""The aiohttp application factory and the daemon's lifecycle (model load, retention, shutdown)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from moodline.daemon.api_models import MessagesRequest
from moodline.daemon.control import DaemonControl
from moodline.daemon.http import security
from moodline.daemon.http.batcher import IngestBatcher
from moodline.daemon.http.events import EventHub
from moodline.daemon.http.keys import (
    ACTIVITY,
    BATCHER,
    CONTROL,
    HUB,
    LOCATIONS,
    PAIRING,
    READINESS,
    READING,
    RUNNER,
    SERVICE,
    SETTINGS,
    TEAM,
    TOKEN,
)
from moodline.daemon.http.routes import routes
from moodline.daemon.http.runner import ServiceThread
from moodline.daemon.live import Activity, LiveSettings, ReadingLog, ServiceSlot
from moodline.daemon.locations import Locations
from moodline.daemon.pairing import PairingCodes
from moodline.daemon.privacy.policy import RedactionPolicy
from moodline.daemon.readiness import Readiness
from moodline.daemon.results import IngestResult
from moodline.daemon.scoring.encoders import OnnxEncoder
from moodline.daemon.scoring.heads import HeadRegistry
from moodline.daemon.service import Purged, SentimentService
from moodline.daemon.settings import Settings
from moodline.daemon.store.history import HistoryStore
from moodline.daemon.team.publisher import CredentialsLoader, TeamPublisher
from moodline.daemon.team_credentials import read_credentials

log = logging.getLogger(__name__)
PURGE_INTERVAL_S = 3600.0
ServiceFactory = Callable[[Settings, Locations], SentimentService]


def default_service_factory(encoder: OnnxEncoder | None = None) -> ServiceFactory:
    """Loads the shipped model (checked against its hashes) and opens the store."""

    def make(settings: Settings, locations: Locations) -> SentimentService:
        from moodline.daemon.runtime import load_scorer

        heads = HeadRegistry(locations.heads)
        scorer = load_scorer(
            heads,
            settings.active_head,
            settings.uncertain_below,
            encoder,
            tables=locations.encoder_tables,
        )
        store = HistoryStore(locations.history_database)
        redaction = RedactionPolicy.from_settings(settings)
        return SentimentService(store, scorer, settings.window_config(), redaction=redaction)

    return make


async def _load_service(app: web.Application, factory: ServiceFactory) -> None:
    runner, control = app[RUNNER], app[CONTROL]
    settings = app[SETTINGS].current
    try:
        service = await runner.run(factory, settings, app[LOCATIONS])
        purged = await runner.run(
            service.purge_expired, settings.retention_days, settings.corrections_retention_days
        )
        _expire_team_state(app, purged)
        recent = await runner.run(service.recent_reading_problems)
    except Exception as exc:
        log.exception("the daemon could not load its model or store")
        control.service_failed(exc)
        return
    app[READING].load(recent)
    events = control.service_loaded(service)
    app[BATCHER].start()
    app[HUB].publish_all(events)


async def _purge_periodically(app: web.Application) -> None:
    while True:
        await asyncio.sleep(PURGE_INTERVAL_S)
        service = app[SERVICE].service
        if service is not None:
            s = app[SETTINGS].current
            purged = await app[RUNNER].run(
                service.purge_expired, s.retention_days, s.corrections_retention_days
            )
            _expire_team_state(app, purged)
            log.info("retention purge removed %s", purged.counts)


def _expire_team_state(app: web.Application, purged: Purged) -> None:
    """Conversations deleted by retention also leave the team broker (their retained state)."""
    team = app.get(TEAM)
    if team is not None and purged.conversation_ids:
        team.expired(purged.conversation_ids)


def _install(
    app: web.Application,
    settings: Settings,
    locations: Locations,
    token: str,
    team_credentials: CredentialsLoader,
) -> None:
    """Put each part of the running daemon under its key."""
    live, services = LiveSettings(settings), ServiceSlot()
    readiness, activity, runner = Readiness(), Activity(), ServiceThread()

    async def run_batch(requests: list[MessagesRequest]) -> list[IngestResult]:
        return await runner.run(services.require().ingest_many, requests)

    app[SETTINGS], app[LOCATIONS], app[TOKEN] = live, locations, token
    app[READINESS], app[ACTIVITY], app[RUNNER], app[SERVICE] = readiness, activity, runner, services
    app[HUB], app[READING] = EventHub(), ReadingLog()
    app[PAIRING] = PairingCodes(lambda: token)
    app[CONTROL] = DaemonControl(live, locations, services, readiness, activity)
    app[BATCHER] = IngestBatcher(run_batch)
    if settings.team_broker is not None:
        publisher = TeamPublisher(settings, team_credentials)
        app[HUB].listen(publisher.observe)
        app[TEAM] = publisher


def create_app(
    settings: Settings,
    locations: Locations,
    token: str,
    factory: ServiceFactory | None = None,
    team_credentials: CredentialsLoader = read_credentials,
) -> web.Application:
    """The daemon application; the model loads in the background and /v1/health says when.
    With `team_broker` set, levels (never text) are also published to the team's broker."""
    app = web.Application(
        middlewares=[
            security.api_envelope,
            security.host_guard(settings.port),
            security.origin_guard(lambda: app[SETTINGS].current.allowed_extension_ids),
            security.bearer_guard(lambda: app[TOKEN]),
            security.body_guard(settings.max_body_bytes),
        ],
        client_max_size=settings.max_body_bytes,
    )
    _install(app, settings, locations, token, team_credentials)
    app.add_routes(routes)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        loader = asyncio.create_task(_load_service(app, factory or default_service_factory()))
        purger = asyncio.create_task(_purge_periodically(app))
        team = app.get(TEAM)
        team_task = asyncio.create_task(team.run()) if team is not None else None
        yield
        if team is not None and team_task is not None:
            await team.stop(team_task)
        for task in (loader, purger):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await app[BATCHER].stop()
        await app[HUB].close_all()
        service = app[SERVICE].service
        if service is not None:
            await app[RUNNER].run(service.store.close)
        app[RUNNER].shutdown()

    app.cleanup_ctx.append(lifecycle)
    return app
