"""A method a documented path does not take is a 405 whose Allow header lists the ones it does."""

import pytest

from backend.tests.conftest import assert_error

UNDECLARED = [
    ("DELETE", "/api/gates", "GET"),
    ("PATCH", "/api/workspaces/{id}", "DELETE, GET"),
    ("GET", "/api/workspaces", "POST"),
    ("GET", "/api/workspaces/{id}/backprop", "POST"),
    ("GET", "/api/workspaces/import", "POST"),
    ("OPTIONS", "/api/workspaces/import", "POST"),
    ("POST", "/api/workspaces/{id}/training", "GET, PATCH, PUT"),
    ("PUT", "/healthz", "GET"),
]


@pytest.mark.parametrize(("method", "path", "allowed"), UNDECLARED)
def test_an_undeclared_method_is_405_and_allow_lists_the_documented_ones(
    workspace, method, path, allowed
):
    response = workspace.client.request(method, path.format(id=workspace.id))
    error = assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allowed
    assert error["detail"] == {"allowed": allowed.split(", ")}


def test_every_documented_method_reaches_its_route(client):
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        url = path.replace("{workspace_id}", "w").replace("{name}", "n")
        for method in operations:
            with client.stream(method.upper(), url) as response:
                assert response.status_code != 405, (method, path)


def test_paths_outside_the_document_keep_their_own_answers(client):
    assert_error(client.get("/api/nothing"), 404, "not_found")
    assert client.post("/openapi.json").status_code == 405
