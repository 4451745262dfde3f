"""Export a workspace as a versioned JSON document, and import one into a new workspace.

The document's ``operations`` (the journal) are what an import replays; ``variables``,
``history``, ``no_grad`` and ``optimizer_state`` show the result for people and tools.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from backend.errors import ApiError
from backend.operations import OPERATIONS, perform
from backend.registry import Credentials, WorkspaceRegistry
from backend.schemas import NodeOut, VariableOut
from backend.tensors import encode
from backend.workspaces import Workspace

FORMAT = "wengert-workspace"
REPLAY_FAILURES = (ValueError, TypeError, ArithmeticError, RecursionError, IndexError)
VERSION = 1


class ExportedOperation(BaseModel):
    """One journaled change: its kind and its request body."""

    kind: str
    body: dict[str, Any]


class ExportDocument(BaseModel):
    """A workspace as a file: import it to get an identical workspace."""

    format: Literal["wengert-workspace"] = FORMAT
    version: int = Field(VERSION, description="Format version; this server reads version 1.")
    exported_at: str | None = None
    operations: list[ExportedOperation]
    variables: list[VariableOut] = Field(default_factory=list)
    history: list[NodeOut] = Field(default_factory=list)
    no_grad: bool = False
    optimizer_state: dict[str, dict[str, Any]] = Field(default_factory=dict)


def export_document(ws: Workspace, registry: WorkspaceRegistry) -> ExportDocument:
    """The journal and the resulting state of ``ws``."""
    with ws.lock:
        operations = registry.store.operations(ws.id)
        state = ws.state()
        optimizer_state = {
            key: {name: encode(array) for name, array in optimizer.state_dict().items()}
            for key, optimizer in ws.optimizers.items()
        }
    return ExportDocument(
        exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
        operations=[ExportedOperation(kind=op.kind, body=op.body) for op in operations],
        variables=state.variables,
        history=state.history,
        no_grad=state.no_grad,
        optimizer_state=optimizer_state,
    )


def import_document(document: ExportDocument, registry: WorkspaceRegistry) -> Credentials:
    """A new workspace built by replaying the document's operations; nothing is kept on error."""
    if document.version != VERSION:
        raise ApiError(
            422,
            "unsupported_version",
            f"this server reads version {VERSION}, not {document.version}",
        )
    credentials = registry.create()
    workspace, _ = registry.authorize(credentials.id, credentials.token)
    try:
        for index, operation in enumerate(document.operations):
            _replay_one(workspace, index, operation)
    except BaseException:
        registry.delete(workspace)
        raise
    return credentials


def _replay_one(ws: Workspace, index: int, operation: ExportedOperation) -> None:
    known = OPERATIONS.get(operation.kind)
    if known is None:
        raise ApiError(
            422,
            "invalid_document",
            f"operation {index} has the unknown kind {operation.kind!r}",
            {"operation": index},
        )
    try:
        request = known.request.model_validate(operation.body)
        perform(ws, operation.kind, request)
    except ValidationError as exc:
        raise ApiError(
            422,
            "invalid_document",
            f"operation {index} ({operation.kind}) is malformed",
            {"operation": index, "problems": exc.errors(include_url=False, include_context=False)},
        ) from exc
    except ApiError as exc:
        raise ApiError(
            422,
            "invalid_document",
            f"operation {index} ({operation.kind}) failed: {exc.message}",
            {"operation": index, "error": exc.code},
        ) from exc
    except REPLAY_FAILURES as exc:
        # A document can hold what no request could (values nested too deep, numbers that
        # overflow): the document is at fault, not the server.
        raise ApiError(
            422,
            "invalid_document",
            f"operation {index} ({operation.kind}) cannot be replayed: {exc}",
            {"operation": index, "error": type(exc).__name__},
        ) from exc
