"""The FastAPI app (``backend.http.app:app``): routers, error handlers, the built frontend."""

import asyncio
import contextlib
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend.http.access_log import mask_secrets_in_access_log
from backend.http.errors import install_error_handlers, logger
from backend.http.json_depth import JsonDepthLimit
from backend.http.limits import BodySizeLimit
from backend.http.methods import MethodNotAllowed
from backend.http.openapi_events import install_event_schemas
from backend.http.openapi_links import install_links
from backend.http.openapi_names import install_schema_names
from backend.http.openapi_refusals import install_refusals
from backend.http.ratelimit import CreationLimit
from backend.http.routes import (
    events,
    gates,
    graph,
    health,
    programs,
    tape,
    training,
    training_timeline,
    variables,
    workspaces,
)
from backend.http.routes.frontend import frontend_router
from backend.http.routes.responses import error_response
from backend.http.security_headers import SecurityHeaders
from backend.http.token_first import TokenBeforeBody
from backend.settings import Settings, get_settings
from backend.store.checks import open_checked, report_over_limits
from backend.store.registry import WorkspaceRegistry
from backend.training.pool import close_pool
from backend.workspace.scheduling import HeavySlots

API_ROUTERS = (
    health.router,
    workspaces.router,
    variables.router,
    gates.router,
    tape.router,
    programs.router,
    training.router,
    training_timeline.router,
    events.router,
    graph.router,
)


async def every(seconds: float, job: Callable[[], object], failed: str) -> None:
    """Run the blocking ``job`` in a thread, then again every ``seconds``; a round that
    fails is logged as ``failed`` and the next one comes as usual (the store away for a
    moment must not end the job for good)."""
    while True:
        try:
            await asyncio.to_thread(job)
        except Exception:
            logger.exception(failed)
        await asyncio.sleep(seconds)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (the environment's when None)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Non-finite results are checked and reported explicitly; NumPy's warnings would
        # only repeat that in the log.
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"(engine|numpy)\.")
        mask_secrets_in_access_log()
        store = open_checked(settings)
        report_over_limits(store, settings)
        app.state.registry = WorkspaceRegistry(settings, store)
        app.state.creation_limit = CreationLimit(settings.create_burst, settings.create_per_minute)
        app.state.heavy_slots = HeavySlots(settings.heavy_slots, settings.max_queued_heavy_jobs)
        # Built now, not at the first 401, 404 or 405 (MethodNotAllowed reads it): building
        # it takes the loop for a tenth of a second or more, which any client could cause.
        await asyncio.to_thread(app.openapi)
        registry = app.state.registry
        # Workspaces idle past the configured expiry are deleted.
        expiry = every(
            settings.expiry_check_seconds,
            registry.expire_idle,
            "deleting idle workspaces failed; trying again next round",
        )
        tasks = [asyncio.create_task(expiry)]
        if store.shared:
            # A lease that cannot be renewed lapses, and its workspace is then refused here
            # rather than written by two processes.
            leases = every(
                settings.lease_renew_seconds,
                registry.keep_leases,
                "renewing the workspaces' leases failed; trying again",
            )
            tasks.append(asyncio.create_task(leases))
        yield
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.to_thread(close_pool, app.state.registry.training_pool)
        store.close()

    app = FastAPI(
        title="Wengert",
        summary="Reverse-mode automatic differentiation, visible and scriptable.",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    for router in (*API_ROUTERS, frontend_router(settings.frontend_dist)):
        app.include_router(router)
    install_schema_names(app)
    install_refusals(app, [r for router in API_ROUTERS for r in router.routes], error_response)
    install_links(app)
    install_event_schemas(app)
    app.add_middleware(MethodNotAllowed, openapi=app.openapi)
    app.add_middleware(JsonDepthLimit)
    app.add_middleware(TokenBeforeBody)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_request_bytes,
        max_gate_bytes=settings.max_gate_request_bytes,
        max_import_bytes=settings.max_import_bytes,
        routes=[route for router in API_ROUTERS for route in router.routes],
        max_held_bytes=settings.max_held_body_bytes,
    )
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    return app


app = create_app()
