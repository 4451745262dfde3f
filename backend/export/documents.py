"""Export a workspace as a versioned JSON document, and import one into a new workspace.

Version 2 (what export gives) is the workspace's state, see ``backend/export/state_document.py``.
Version 1, written by earlier servers, held the journal: importing it replays its operations.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, ValidationError

from backend.errors import Invalid, Refused, TooLarge
from backend.export.state_document import FORMAT, StateDocument, build
from backend.schemas import NodeOut, Strict, VariableOut
from backend.store.registry import Credentials, WorkspaceRegistry
from backend.workspace.operations import OPERATIONS, REPLAY_FAILURES, perform, request_of
from backend.workspace.workspace import Workspace


class ExportedOperation(Strict):
    """One journaled change: its kind and its request body."""

    kind: str
    body: dict[str, Any]


class JournalDocument(Strict):
    """A workspace as earlier servers exported it (format version 1): its journal."""

    format: Literal["wengert-workspace"] = FORMAT
    version: Literal[1] = 1
    exported_at: str | None = None
    operations: list[ExportedOperation]
    variables: list[VariableOut] = Field(default_factory=list)
    history: list[NodeOut] = Field(default_factory=list)
    no_grad: bool = False
    optimizer_state: dict[str, dict[str, Any]] = Field(default_factory=dict)


def _version_of(document: Any) -> str | None:
    """The document's version as a tag; None (refused) for what is not a document at all."""
    if isinstance(document, dict):
        # Version 1 documents written before the field was required may lack it.
        return str(document.get("version", 1))
    version = getattr(document, "version", None)
    return None if version is None else str(version)


ExportDocument = Annotated[
    Annotated[StateDocument, Tag("2")] | Annotated[JournalDocument, Tag("1")],
    Discriminator(
        _version_of,
        custom_error_type="unsupported_version",
        custom_error_message="this server reads export documents of version 1 and 2",
    ),
]
"""What import takes: the state (version 2) or a journal from an earlier server (version 1)."""


def import_document(
    document: StateDocument | JournalDocument, registry: WorkspaceRegistry
) -> Credentials:
    """A new workspace with the document's state, stored only once it is whole: nothing is
    kept on error, or when the server stops part-way."""
    if isinstance(document, StateDocument):
        return registry.create_built(lambda workspace: _build(workspace, document))
    return registry.create_built(lambda workspace: _replay(workspace, document))


def _build(ws: Workspace, document: StateDocument) -> None:
    try:
        build(ws, document)
    except Refused as exc:
        if exc.code == "invalid_document" or isinstance(exc, TooLarge):
            raise
        # The inner detail (the checkpoint field at fault, say) stays with the error's code.
        inner = exc.detail if isinstance(exc.detail, dict) else {}
        raise Invalid("invalid_document", exc.message, {"error": exc.code, **inner}) from exc
    except REPLAY_FAILURES as exc:
        raise Invalid("invalid_document", f"the document cannot be built: {exc}") from exc
    ws.recount()


def _replay(ws: Workspace, document: JournalDocument) -> None:
    for index, operation in enumerate(document.operations):
        _replay_one(ws, index, operation)


def _replay_one(ws: Workspace, index: int, operation: ExportedOperation) -> None:
    if operation.kind not in OPERATIONS:
        raise Invalid(
            "invalid_document",
            f"operation {index} has the unknown kind {operation.kind!r}",
            {"operation": index},
        )
    try:
        perform(ws, operation.kind, request_of(operation.kind, operation.body))
    except ValidationError as exc:
        raise Invalid(
            "invalid_document",
            f"operation {index} ({operation.kind}) is malformed",
            {"operation": index, "problems": exc.errors(include_url=False, include_context=False)},
        ) from exc
    except Refused as exc:
        raise Invalid(
            "invalid_document",
            f"operation {index} ({operation.kind}) failed: {exc.message}",
            {"operation": index, "error": exc.code},
        ) from exc
    except REPLAY_FAILURES as exc:
        # A document can hold what no request could (values nested too deep, numbers that
        # overflow): the document is at fault, not the server.
        raise Invalid(
            "invalid_document",
            f"operation {index} ({operation.kind}) cannot be replayed: {exc}",
            {"operation": index, "error": type(exc).__name__},
        ) from exc
