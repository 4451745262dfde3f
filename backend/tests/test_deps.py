"""Access control on every workspace route: the token decides, once, for reads and writes.

The workspace token may do everything, its viewer token may only read, and any other
token (a wrong one, or another workspace's) gets a 401, whatever the route.
"""

import secrets

from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import (
    WorkspaceHandle,
    assert_error,
    create_workspace,
    error_of,
    send,
)

# Long enough that a run started by a test is still running when the test pauses it.
TRAINING = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 10_000, "batch_size": 10}

# Every route only the workspace token may use: those that change a workspace, and the
# repair's dry run; each with a body it would accept.
WRITE_ROUTES = [
    ("POST", "/variables", {"name": "v", "value": 1.0}),
    ("POST", "/gates", {"gate": "mul", "inputs": ["x", "x"], "output": "z"}),
    ("POST", "/backprop", {"variable": "y"}),
    ("POST", "/zero_grad", {}),
    ("PUT", "/no_grad", {"enabled": True}),
    ("POST", "/eval", {"source": "z = x * x"}),
    ("POST", "/optimizer/step", {"optimizer": "sgd", "lr": 0.1, "params": ["x"]}),
    ("PUT", "/training", TRAINING),
    ("PATCH", "/training", {"optimizer": {"lr": 0.02}}),
    ("POST", "/training/start", {}),
    ("POST", "/training/pause", {}),
    ("POST", "/training/step", {}),
    ("POST", "/training/reset", {}),
    ("POST", "/training/fork", {"step": 0}),
    ("PUT", "/training/weights", {"parameter": "net_W1", "index": [0, 0], "value": 0.5}),
    ("PUT", "/training/data", {"points": []}),
    ("GET", "/repair", None),
    ("POST", "/repair", None),
    ("DELETE", "", None),
]
# Every route that only reads a workspace (the event stream is checked on its own).
READ_ROUTES = [
    ("GET", "", None),
    ("GET", "/variables/x", None),
    ("GET", "/export", None),
    ("GET", "/export.py", None),
    ("GET", "/graph", None),
    ("GET", "/training", None),
    ("GET", "/training/points", None),
    ("GET", "/training/boundary", None),
    ("GET", "/training/network", None),
    ("GET", "/training/data", None),
    ("GET", "/training/timeline", None),
    ("GET", "/training/at/0", None),
    ("GET", "/training/runs", None),
    ("GET", "/training/histograms", None),
    ("POST", "/training/points/preview", {"noise": 0.2}),
    ("POST", "/gradcheck", {"variable": "y", "wrt": ["x"]}),
    ("POST", "/events/ticket", None),
]
EVENTS = ("GET", "/events", None)


def prepared(workspace: WorkspaceHandle) -> WorkspaceHandle:
    """A workspace where every route above has something to act on."""
    for method, path, body in [
        ("POST", "/variables", {"name": "x", "value": 2.0, "requires_grad": True}),
        ("POST", "/gates", {"gate": "mul", "inputs": ["x", "x"], "output": "y"}),
        ("PUT", "/training", TRAINING),
    ]:
        response = workspace.request(method, path, body)
        assert response.status_code < 300, response.text
    return workspace


def test_the_route_lists_above_cover_every_workspace_route(client):
    base = "/api/workspaces/{workspace_id}"
    served = {
        (method.upper(), path.removeprefix(base).format(name="x", step=0))
        for path, methods in client.app.openapi()["paths"].items()
        if path.startswith(base)
        for method in methods
    }
    listed = {(method, path) for method, path, _ in [*WRITE_ROUTES, *READ_ROUTES, EVENTS]}
    assert served == listed


def test_a_wrong_token_is_401_on_every_route(workspace):
    prepared(workspace)
    before = workspace.get().json()
    wrong = secrets.token_urlsafe(24)
    routes = [*WRITE_ROUTES, *READ_ROUTES, EVENTS]
    answers = {
        (method, path): error_of(workspace.request(method, path, body, token=wrong))
        for method, path, body in routes
    }
    assert answers == {(method, path): (401, "unauthorized") for method, path, _ in routes}
    assert workspace.get().json() == before


def test_a_wrong_token_in_the_event_streams_query_is_401(workspace):
    url = f"{workspace.base}/events?token={secrets.token_urlsafe(24)}"
    response = send(workspace.client, "GET", url)
    assert_error(response, 401, "unauthorized")


def test_the_viewer_token_is_403_read_only_on_every_write_route(workspace):
    prepared(workspace)
    before = workspace.get().json()
    answers = {
        (method, path): error_of(workspace.request(method, path, body, workspace.viewer_token))
        for method, path, body in WRITE_ROUTES
    }
    assert answers == {(method, path): (403, "read_only") for method, path, _ in WRITE_ROUTES}
    assert workspace.get().json() == before


def test_the_viewer_token_reads_every_read_route(workspace):
    prepared(workspace)
    for method, path, body in READ_ROUTES:
        response = workspace.request(method, path, body, token=workspace.viewer_token)
        assert response.status_code == 200, (method, path, response.text)


def test_the_workspace_token_may_use_every_write_route(workspace):
    prepared(workspace)
    for method, path, body in WRITE_ROUTES:
        response = workspace.request(method, path, body)
        assert response.status_code < 300, (method, path, response.text)


def test_one_workspaces_tokens_do_not_open_another(client):
    a, b = prepared(create_workspace(client)), prepared(create_workspace(client))
    before = b.get().json()
    routes = [*WRITE_ROUTES, *READ_ROUTES, EVENTS]
    for token in (a.token, a.viewer_token):
        answers = {
            (method, path): error_of(b.request(method, path, body, token=token))
            for method, path, body in routes
        }
        assert answers == {(method, path): (401, "unauthorized") for method, path, _ in routes}
    assert b.get().json() == before


def test_a_wrong_token_is_401_also_when_the_workspace_is_first_loaded_after_a_restart(
    settings, workspace
):
    with TestClient(create_app(settings)) as restarted:
        url, wrong = workspace.base, secrets.token_urlsafe(24)
        response = restarted.get(url, headers={"Authorization": f"Bearer {wrong}"})
        assert_error(response, 401, "unauthorized")
        response = restarted.get(url, headers={"Authorization": f"Bearer {workspace.token}"})
        assert response.status_code == 200


def test_an_authorization_header_that_is_not_bearer_and_a_token_is_401(workspace):
    for header in ["Bearer", "Bearer    ", "Basic {token}", "{token}", "Token {token}"]:
        headers = {"Authorization": header.format(token=workspace.token)}
        error = assert_error(
            workspace.client.get(workspace.base, headers=headers), 401, "unauthorized"
        )
        assert error["message"] == "the Authorization header must be 'Bearer <token>'", header


def test_the_bearer_scheme_is_case_insensitive_and_spaces_around_the_token_are_ignored(
    workspace,
):
    for header in ["bearer {token}", "BEARER {token}", "Bearer   {token}  "]:
        headers = {"Authorization": header.format(token=workspace.token)}
        response = workspace.client.get(workspace.base, headers=headers)
        assert response.json()["access"] == "write", header


def test_a_missing_or_empty_token_is_401_and_says_how_to_send_it(workspace):
    for headers in ({}, {"Authorization": ""}):
        response = workspace.client.get(workspace.base, headers=headers)
        error = assert_error(response, 401, "unauthorized")
        assert error["message"] == "send the workspace token as 'Authorization: Bearer …'"


def test_the_viewer_token_is_told_it_can_only_read(workspace):
    response = workspace.post("/zero_grad", {}, token=workspace.viewer_token)
    error = assert_error(response, 403, "read_only")
    assert error["message"] == "the viewer token can read but not change this workspace"
