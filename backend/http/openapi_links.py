"""OpenAPI links: from a created workspace's answer to every operation on that workspace.

They tell clients, and generators such as schemathesis, how calls chain: the 201 of
`POST /api/workspaces` (or of an import) gives `id`, the `workspace_id` of every workspace
route, and `token`, their bearer token. They are made from the document itself, so a new
workspace route is linked without being listed here.
"""

from typing import Any

from fastapi import FastAPI

from backend.http.openapi_document import add_to_openapi

CREATING = [("/api/workspaces", "post"), ("/api/workspaces/import", "post")]
ON_A_WORKSPACE = "/api/workspaces/{workspace_id}"
PARAMETERS = {
    "path.workspace_id": "$response.body#/id",
    "header.Authorization": "Bearer {$response.body#/token}",
}


def workspace_links(document: dict[str, Any]) -> dict[str, Any]:
    """A link to each operation whose path is on one workspace, named by its operationId."""
    return {
        operation["operationId"]: {
            "operationId": operation["operationId"],
            "parameters": PARAMETERS,
            "description": f"{method.upper()} {path} on the new workspace, with its token.",
        }
        for path, operations in document["paths"].items()
        if path.startswith(ON_A_WORKSPACE)
        for method, operation in operations.items()
    }


def add_links(document: dict[str, Any]) -> None:
    """Add the links to the answers that create a workspace."""
    links = workspace_links(document)
    for path, method in CREATING:
        document["paths"][path][method]["responses"]["201"]["links"] = links


def install_links(app: FastAPI) -> None:
    """Make ``app.openapi()`` add the links to the answers that create a workspace."""
    add_to_openapi(app, add_links)
