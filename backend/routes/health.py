"""Liveness and readiness."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from backend.deps import RegistryDep
from backend.errors import error_body
from backend.schemas import ErrorResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={503: {"model": ErrorResponse, "description": "The store is not reachable."}},
)
def readyz(registry: RegistryDep) -> JSONResponse:
    """The store is reachable, so the server can take work."""
    if registry.store.is_reachable():
        return JSONResponse({"status": "ready"})
    return JSONResponse(error_body("not_ready", "the store is not reachable"), status_code=503)
