"""Every response carries the security headers: API answers, errors, files, the event stream."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import create_workspace, send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def assert_secured(response) -> None:
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


def test_a_json_answer_is_secured(client):
    response = client.get("/api/gates")
    assert response.status_code == 200
    assert_secured(response)


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/nothing-here", None, 404),  # from the app's error handler
        ("/api/workspaces/import", b"[" * 100 + b"]" * 100, 422),  # from a middleware
        ("/api/workspaces/x/variables", b"1" * (17 * 2**20), 413),  # refused before reading
    ],
    ids=["handler", "depth limit", "size limit"],
)
def test_an_error_is_secured(client, path, body, status):
    if body is None:
        response = client.get(path)
    else:
        response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert_secured(response)


def test_index_html_and_a_static_file_are_secured(built_client):
    for path in ("/", "/w/abc", "/assets/app.js"):
        response = built_client.get(path)
        assert response.status_code == 200
        assert_secured(response)


def test_the_event_stream_is_secured_and_still_streams(client):
    workspace = create_workspace(client)
    response = send(client, "GET", workspace.base + "/events", headers=workspace._auth(None))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert_secured(response)


def test_the_api_docs_may_load_swagger_ui_from_its_cdn(client):
    response = client.get("/docs")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net;" in policy
    assert "frame-ancestors 'none'" in policy


def test_frame_ancestors_setting_lets_those_sites_embed_the_viewer(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", frame_ancestors="https://notebooks.example.org")
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/gates")
    policy = response.headers["content-security-policy"]
    assert policy.endswith("; frame-ancestors https://notebooks.example.org")
    assert "x-frame-options" not in response.headers


def test_frame_ancestors_cannot_smuggle_other_directives(tmp_path: Path):
    with pytest.raises(ValueError, match="frame_ancestors"):
        Settings(data_dir=tmp_path, frame_ancestors="* ; script-src *")
