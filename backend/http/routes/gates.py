"""Gates: the catalog, and applying a gate in a workspace."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

import engine
from backend.errors import TooLarge
from backend.http.deps import WritableWorkspace
from backend.http.heavy import run_heavy
from backend.http.routes.responses import operation_errors
from backend.schemas import GateApplied, GateApply, GateInfo, GatePreview
from backend.workspace.operations import (
    INLINE_BYTES,
    estimated_bytes,
    perform,
    perform_soon,
    preview_gate,
)

router = APIRouter(tags=["gates"])


@router.get("/api/gates", response_model=list[GateInfo])
def list_gates() -> list[GateInfo]:
    """Every gate of the engine registry: name, arity, params JSON schema, doc."""
    return [GateInfo(**entry) for entry in engine.catalog()]


@router.post(
    "/api/workspaces/{workspace_id}/gates",
    status_code=201,
    response_model=GateApplied,
    responses={
        200: {"model": GatePreview, "description": "The dry run's answer; nothing recorded."},
        # The edge's own 413: a large gate past its time budget.
        **operation_errors("apply_gate", TooLarge),
    },
)
async def apply_gate(
    request: Request, workspace: WritableWorkspace, body: GateApply
) -> GateApplied | JSONResponse:
    """Apply a gate to named variables or numbers; the node is recorded on the tape.

    Its output shapes and memory are known before any work: what would go over a size or
    memory limit is a 413 naming the gate, the shapes and the limit. With `dry_run`, the
    answer (200) is only those shapes and the estimated bytes. A large gate waits for one
    of the server's heavy slots, is dropped when its client goes before it is recorded
    (499) and answers 413 `work_too_long` past `WENGERT_HEAVY_WORK_SECONDS`, recording
    nothing.
    """
    if body.dry_run:
        preview = await asyncio.to_thread(preview_gate, workspace, body)
        return JSONResponse(preview.model_dump())
    if estimated_bytes(workspace, body) <= INLINE_BYTES:
        return await perform_soon(workspace, "apply_gate", body)
    async with request.app.state.heavy_slots.slot():
        return await run_heavy(
            request, f"the {body.gate} gate", lambda: perform(workspace, "apply_gate", body)
        )
