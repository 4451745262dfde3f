"""Liveness and readiness: answered on the event loop, never queued behind workspace work."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from backend.deps import RegistryDep
from backend.errors import error_body
from backend.schemas import ErrorResponse

router = APIRouter(tags=["health"])
# Its own thread: the shared pool may be full of workspace work, and a readiness probe
# must still answer.
_STORE_PROBE = ThreadPoolExecutor(1, thread_name_prefix="readyz")


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={503: {"model": ErrorResponse, "description": "The store is not reachable."}},
)
async def readyz(registry: RegistryDep) -> JSONResponse:
    """The store is reachable, so the server can take work; `damaged_workspaces` counts the
    loaded workspaces that could not be loaded whole (they are read-only until repaired)."""
    loop = asyncio.get_running_loop()
    if await loop.run_in_executor(_STORE_PROBE, registry.store.is_reachable):
        return JSONResponse(
            {"status": "ready", "store": {"damaged_workspaces": registry.damaged_workspaces()}}
        )
    return JSONResponse(error_body("not_ready", "the store is not reachable"), status_code=503)
