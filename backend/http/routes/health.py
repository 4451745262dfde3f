"""Liveness and readiness: answered on the event loop, never queued behind workspace work."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from backend.http.deps import RegistryDep
from backend.http.errors import error_body
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
    responses={
        503: {
            "model": ErrorResponse,
            "description": "The store is not reachable, or cannot take writes (a full disk).",
        }
    },
)
async def readyz(registry: RegistryDep) -> JSONResponse:
    """The store is reachable and takes writes, so the server can take work;
    `damaged_workspaces` counts the loaded workspaces that could not be loaded whole (they
    are read-only until repaired)."""
    loop = asyncio.get_running_loop()
    store = registry.store
    if not await loop.run_in_executor(_STORE_PROBE, store.is_reachable):
        return JSONResponse(error_body("not_ready", "the store is not reachable"), status_code=503)
    if not await loop.run_in_executor(_STORE_PROBE, store.can_write):
        message = f"the store cannot take writes: {store.write_failure}"
        return JSONResponse(error_body("not_ready", message), status_code=503)
    return JSONResponse(
        {"status": "ready", "store": {"damaged_workspaces": registry.damaged_workspaces()}}
    )
