"""The registry: credentials, how tokens are kept and checked, loading, deleting, expiring."""

import base64
import hashlib
import hmac
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.errors import Refused
from backend.http.app import create_app
from backend.http.errors import status_of
from backend.settings import Settings
from backend.store.registry import WorkspaceRegistry
from backend.tests.conftest import WorkspaceHandle, assert_error


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def registry_of(workspace: WorkspaceHandle) -> WorkspaceRegistry:
    return workspace.client.app.state.registry


def random_bytes_in(token: str) -> int:
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def test_tokens_carry_192_random_bits_and_ids_96(client):
    created = [client.post("/api/workspaces").json() for _ in range(3)]
    for body in created:
        assert random_bytes_in(body["token"]) == 24
        assert random_bytes_in(body["viewer_token"]) == 24
        assert random_bytes_in(body["id"]) == 12
    tokens = [body[key] for body in created for key in ("token", "viewer_token")]
    assert len(set(tokens)) == len(tokens)


def test_tokens_are_stored_only_as_their_sha256(settings, workspace):
    """No file of the data directory (the database, its WAL) holds a token; the database
    holds each token's SHA-256."""
    for path in Path(settings.data_dir).iterdir():
        content = path.read_bytes()
        assert workspace.token.encode() not in content, path
        assert workspace.viewer_token.encode() not in content, path
    with sqlite3.connect(settings.data_dir / "wengert.sqlite3") as db:
        stored = db.execute(
            "SELECT token_hash, viewer_token_hash FROM workspaces WHERE id = ?", (workspace.id,)
        ).fetchone()
    assert stored == (sha256(workspace.token), sha256(workspace.viewer_token))


def test_tokens_are_checked_by_hmac_compare_digest_of_their_hashes(workspace, monkeypatch):
    """Constant time cannot be measured reliably in a unit test (the difference is
    nanoseconds under a noisy scheduler), so this pins the mechanism that gives it: the
    hashes are compared by ``hmac.compare_digest``, and its answer alone decides. With
    ``==`` in its place the spy would see no call, and its refusal would not lock out the
    right token."""
    real_compare = hmac.compare_digest
    compared: list[tuple[str, str]] = []

    def spy(given: str, stored: str) -> bool:
        compared.append((given, stored))
        return real_compare(given, stored)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert workspace.get(token=workspace.viewer_token).status_code == 200
    digest = sha256(workspace.viewer_token)
    assert compared == [(digest, sha256(workspace.token)), (digest, digest)]

    monkeypatch.setattr(hmac, "compare_digest", lambda given, stored: False)
    assert_error(workspace.get(), 401, "unauthorized")
    assert_error(workspace.get(token=workspace.viewer_token), 401, "unauthorized")


def test_a_wrong_token_is_told_it_does_not_match(workspace):
    error = assert_error(workspace.get(token="not-the-token"), 401, "unauthorized")
    assert error["message"] == "the token does not match this workspace"


def test_an_unknown_workspace_is_404_naming_the_id(client):
    response = client.get("/api/workspaces/nope", headers={"Authorization": "Bearer x"})
    error = assert_error(response, 404, "workspace_not_found")
    assert error["message"] == "no workspace with id 'nope'"


def test_the_workspace_limit_is_413_saying_the_limit(settings):
    settings.max_workspaces = 2
    with TestClient(create_app(settings)) as client:
        assert [client.post("/api/workspaces").status_code for _ in range(2)] == [201, 201]
        error = assert_error(client.post("/api/workspaces"), 413, "too_many_workspaces")
        assert error["message"] == "the server holds at most 2 workspaces"
        assert client.app.state.registry.store.count_workspaces() == 2


def test_a_workspace_is_in_memory_from_creation_or_first_use_until_deleted(settings, workspace):
    assert registry_of(workspace).is_loaded(workspace.id)
    with TestClient(create_app(settings)) as restarted:
        registry = restarted.app.state.registry
        assert not registry.is_loaded(workspace.id)
        registry.authorize(workspace.id, workspace.viewer_token)
        assert registry.is_loaded(workspace.id)
        registry.delete(registry.authorize(workspace.id, workspace.token)[0])
        assert not registry.is_loaded(workspace.id)


def test_deleting_tells_subscribers_and_forgets_the_workspace_everywhere(workspace):
    registry = registry_of(workspace)
    hub = registry.authorize(workspace.id, workspace.token)[0].events
    seen = hub.last_seq
    response = workspace.client.delete(workspace.base, headers=workspace._auth(None))
    assert response.status_code == 204
    assert [(e.type, e.data) for e in hub.missed_since(seen)] == [("deleted", {})]
    assert registry.store.find_workspace(workspace.id) is None
    assert registry.store.operations(workspace.id) == []
    assert_error(workspace.get(), 404, "workspace_not_found")


def test_deleting_a_workspace_that_another_request_just_deleted_is_harmless(workspace):
    """Two DELETE requests may both pass the token check before either deletes."""
    registry = registry_of(workspace)
    resolved = registry.authorize(workspace.id, workspace.token)[0]
    registry.delete(resolved)
    registry.delete(resolved)
    assert registry.store.find_workspace(workspace.id) is None


def test_deleting_ends_a_running_training_loop_before_its_next_step(workspace):
    config = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 10_000, "batch_size": 10}
    response = workspace.client.put(
        workspace.base + "/training", json=config, headers=workspace._auth(None)
    )
    assert response.status_code == 200, response.text
    assert workspace.post("/training/start", {}).json()["state"] == "running"
    (loop,) = [t for t in threading.enumerate() if t.name == f"training-{workspace.id}"]
    trainer = registry_of(workspace).authorize(workspace.id, workspace.token)[0].training
    workspace.client.delete(workspace.base, headers=workspace._auth(None))
    steps_when_deleted = trainer.run.step
    loop.join(timeout=30)
    assert not loop.is_alive()
    assert trainer.run.step == steps_when_deleted


def test_a_restarted_workspace_resumes_its_event_numbers_and_its_journal(settings, workspace):
    headers = {"Authorization": f"Bearer {workspace.token}"}
    with TestClient(create_app(settings)) as restarted:
        assert restarted.get(workspace.base, headers=headers).json()["seq"] == 0
        body = {"name": "a", "value": 1.0}
        response = restarted.post(workspace.base + "/variables", json=body, headers=headers)
        assert response.status_code == 201
        seq = restarted.get(workspace.base, headers=headers).json()["seq"]
        assert seq > 0
    with TestClient(create_app(settings)) as again:
        state = again.get(workspace.base, headers=headers).json()
    assert [v["name"] for v in state["variables"]] == ["a"]
    assert state["seq"] == seq


def test_expiry_uses_the_current_time_when_none_is_given(tmp_path):
    settings = Settings(data_dir=tmp_path, idle_expiry_seconds=3600)
    with TestClient(create_app(settings)) as client:
        registry = client.app.state.registry
        old, new = (client.post("/api/workspaces").json()["id"] for _ in range(2))
        registry.store._db.execute(
            "UPDATE workspaces SET created_at = ? WHERE id = ?", (time.time() - 3601, old)
        )
        assert registry.expire_idle() == 1
        assert registry.store.find_workspace(old) is None
        assert registry.store.find_workspace(new) is not None


def test_a_stream_ticket_opens_its_workspace_read_only(workspace):
    registry = registry_of(workspace)
    ticket = registry.stream_ticket(workspace.id)
    opened = registry.authorize_ticket(workspace.id, ticket)
    assert opened is registry.authorize(workspace.id, workspace.token)[0]
    assert workspace.post("/events/ticket", {}).json()["expires_in"] == 60


def test_a_stream_ticket_of_another_workspace_or_forged_is_401(client, workspace):
    other = client.post("/api/workspaces").json()["id"]
    registry = registry_of(workspace)
    for workspace_id, ticket in [
        (other, registry.stream_ticket(workspace.id)),
        (workspace.id, "9999999999.forged"),
    ]:
        with pytest.raises(Refused) as refused:
            registry.authorize_ticket(workspace_id, ticket)
        assert (status_of(refused.value), refused.value.code) == (401, "unauthorized")
        assert refused.value.message == (
            "the stream ticket is wrong or expired; ask POST …/events/ticket for a new one"
        )


def test_a_viewer_may_ask_for_a_stream_ticket(workspace):
    answer = workspace.post("/events/ticket", {}, token=workspace.viewer_token)
    assert answer.status_code == 200
    assert registry_of(workspace).authorize_ticket(workspace.id, answer.json()["ticket"])
