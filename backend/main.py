"""The FastAPI app (``backend.main:app``): routers, error handlers, the built frontend."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend.errors import install_error_handlers
from backend.limits import BodySizeLimit
from backend.routes import backprop, gates, health, variables, workspaces
from backend.routes.frontend import frontend_router
from backend.settings import Settings, get_settings
from backend.workspaces import WorkspaceRegistry

API_ROUTERS = (health.router, workspaces.router, variables.router, gates.router, backprop.router)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (the environment's when None)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.registry = WorkspaceRegistry(settings)
        yield

    app = FastAPI(
        title="Wengert",
        summary="Reverse-mode automatic differentiation, visible and scriptable.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for router in API_ROUTERS:
        app.include_router(router)
    app.include_router(frontend_router(settings.frontend_dist))
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    return app


app = create_app()
