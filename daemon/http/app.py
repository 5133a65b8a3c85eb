"""The aiohttp application factory and the daemon's lifecycle (model load, retention, shutdown)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from moodline.daemon.api_models import MessagesRequest
from moodline.daemon.http import security
from moodline.daemon.http.batcher import IngestBatcher
from moodline.daemon.http.routes import routes
from moodline.daemon.http.state import STATE, DaemonState
from moodline.daemon.scoring.encoders import OnnxEncoder
from moodline.daemon.service import IngestResult, SentimentService
from moodline.daemon.store.history import HistoryStore

log = logging.getLogger(__name__)
PURGE_INTERVAL_S = 3600.0
ScorerFactory = Callable[[DaemonState], SentimentService]


def default_service_factory(encoder: OnnxEncoder | None = None) -> ScorerFactory:
    """Loads the shipped model (checked against its hashes) and opens the store."""

    def make(state: DaemonState) -> SentimentService:
        from moodline.daemon.runtime import load_scorer

        settings = state.settings
        head, _ = state.heads.load(settings.active_head)
        scorer = load_scorer(head, settings.uncertain_below, encoder=encoder)
        store = HistoryStore(state.locations.history_database)
        return SentimentService(store, scorer, settings.window_config())

    return make


async def _load_service(app: web.Application, factory: ScorerFactory) -> None:
    state = app[STATE]
    try:
        service = await state.run(factory, state)
        settings = state.settings
        await state.run(service.purge, settings.retention_days, settings.corrections_retention_days)
    except Exception as exc:
        log.exception("the daemon could not load its model or store")
        state.readiness.mark_failed(f"{type(exc).__name__}: {exc}")
        return
    state.service = service

    async def run_batch(requests: list[MessagesRequest]) -> list[IngestResult]:
        return await state.run(service.ingest_many, requests)

    state.batcher = IngestBatcher(run_batch)
    state.batcher.start()
    state.readiness.mark_ready(service.scorer.encoder.name, settings.active_head)
    state.hub.publish({"type": "status", "ready": True, "paused": settings.paused})


async def _purge_periodically(app: web.Application) -> None:
    state = app[STATE]
    while True:
        await asyncio.sleep(PURGE_INTERVAL_S)
        if state.service is not None:
            s = state.settings
            counts = await state.run(
                state.service.purge, s.retention_days, s.corrections_retention_days
            )
            log.info("retention purge removed %s", counts)


def create_app(state: DaemonState, factory: ScorerFactory | None = None) -> web.Application:
    """The daemon application; the model loads in the background and /v1/health says when."""
    settings = state.settings
    app = web.Application(
        middlewares=[
            security.api_envelope,
            security.host_guard(settings.port),
            security.origin_guard(lambda: app[STATE].settings.allowed_extension_ids),
            security.bearer_guard(lambda: app[STATE].token),
            security.body_guard(settings.max_body_bytes),
        ],
        client_max_size=settings.max_body_bytes,
    )
    app[STATE] = state
    app.add_routes(routes)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        loader = asyncio.create_task(_load_service(app, factory or default_service_factory()))
        purger = asyncio.create_task(_purge_periodically(app))
        yield
        for task in (loader, purger):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if state.batcher is not None:
            await state.batcher.stop()
        await state.hub.close_all()
        service = state.service
        if service is not None:
            await state.run(service.store.close)
        state.executor.shutdown(wait=True)

    app.cleanup_ctx.append(lifecycle)
    return app
