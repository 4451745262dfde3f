"""Pictures of the graph: the workspace drawn as SVG, PNG or DOT."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from backend.export.graph_picture import PictureOptions, draw
from backend.export.graph_picture.picture import MEDIA_TYPES, Format
from backend.export.graph_picture.theme import ThemeName
from backend.http.deps import HeavyReadableWorkspace
from backend.http.errors import ApiError
from backend.http.routes.responses import errors
from backend.schemas import Group

router = APIRouter(prefix="/api/workspaces", tags=["pictures"])

INCLUDABLE = ("values", "grads")


@router.get(
    "/{workspace_id}/graph",
    response_model=None,
    responses={
        200: {
            "description": "The picture.",
            "content": {
                "image/svg+xml": {"schema": {"type": "string"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "text/vnd.graphviz": {"schema": {"type": "string"}},
            },
        },
        **errors(401, 404, 413, 429),
    },
)
def graph_picture(
    workspace: HeavyReadableWorkspace,
    format: Annotated[
        Format, Query(description="`svg` (standalone), `png`, or `dot` for Graphviz.")
    ] = "svg",
    theme: Annotated[ThemeName, Query(description="The playground's light or dark colours.")] = (
        "light"
    ),
    include: Annotated[
        str,
        Query(
            description="What the variable cards show besides name, role, shape and dtype: "
            "`values`, `grads`, both comma-separated, or nothing (empty).",
            max_length=32,
        ),
    ] = "values,grads",
    around: Annotated[
        str | None,
        Query(description="Draw only the variables near this one.", max_length=128),
    ] = None,
    depth: Annotated[
        int, Query(ge=0, le=50, description="With `around`: how many gates away to reach.")
    ] = 2,
    fold: Annotated[
        list[Group],
        Query(
            description="A module group to draw as one card (repeat for several).",
            max_length=64,
        ),
    ] = [],  # noqa: B006 (FastAPI copies a query default; it is never mutated)
    scale: Annotated[
        float, Query(gt=0, le=8, description="For `png`: pixels per unit of the SVG.")
    ] = 1.0,
) -> Response:
    """The workspace's graph as the page draws it: variable cards (name, role, shape, value
    and gradient: scalars in full, tensors as shape with min, max and mean), gate pills
    (dashed once backprop consumed them), numbers typed as inputs, anomalies outlined.
    Laid out by the server (no Graphviz needed); DOT leaves the layout to Graphviz. The
    viewer token may read it. 404 names an unknown `around` variable or `fold` group; 413 a
    picture of more than 4,000 boxes or a PNG over 50 million pixels."""
    options = PictureOptions(
        format=format,
        theme=theme,
        include=_included(include),
        around=around,
        depth=depth,
        fold=tuple(fold),
        scale=scale,
    )
    return Response(draw(workspace, options), media_type=MEDIA_TYPES[format])


def _included(include: str) -> frozenset:
    parts = {part.strip() for part in include.split(",") if part.strip()}
    unknown = sorted(parts - set(INCLUDABLE))
    if unknown:
        raise ApiError(
            422,
            "invalid_request",
            f"invalid request: include: {unknown[0]!r} is not one of {', '.join(INCLUDABLE)}",
            [{"field": "include", "problem": f"unknown item {unknown[0]!r}"}],
        )
    return frozenset(parts)
