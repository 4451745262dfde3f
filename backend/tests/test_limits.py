"""The body size limit: refused with the JSON error contract, whether declared or streamed."""

import asyncio
import json
from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.http.limits import BodyRefused, BodySizeLimit, HeldBodies
from backend.settings import Settings
from backend.tests.conftest import assert_error, create_workspace, snapshot

LIMIT = 1024


@dataclass
class Exchange:
    """What the app behind the limit read, and what the client got back."""

    read: bytes = b""
    sent: list[dict] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.sent[0]["status"]

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.sent[0]["headers"])

    @property
    def body(self) -> bytes:
        return b"".join(message.get("body", b"") for message in self.sent[1:])


def exchange(
    chunks: list[bytes], declared: int | str | None = None, held: int | None = None
) -> Exchange:
    """Send ``chunks`` as one request's body through the limit to an app that reads it all
    and answers 200; ``declared`` is the Content-Length header, if any."""
    result = Exchange()
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]

    async def app(scope: dict, receive, send) -> None:
        while True:
            message = await receive()
            result.read += message["body"]
            if not message["more_body"]:
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read"})

    async def receive() -> dict:
        return incoming.pop(0)

    async def send(message: dict) -> None:
        result.sent.append(message)

    headers = [] if declared is None else [(b"content-length", str(declared).encode())]
    scope = {"type": "http", "path": "/api/workspaces", "headers": headers}
    limit = BodySizeLimit(app, max_bytes=LIMIT, max_held_bytes=held)
    asyncio.run(limit(scope, receive, send))
    return result


def assert_refused(result: Exchange) -> None:
    assert result.status == 413
    assert result.headers == {
        b"content-type": b"application/json",
        b"content-length": str(len(result.body)).encode(),
    }
    assert json.loads(result.body) == {
        "error": {
            "code": "request_too_large",
            "message": f"the request body is over the limit of {LIMIT} bytes",
            "detail": None,
        }
    }


def test_a_declared_body_at_the_limit_is_let_through():
    result = exchange([b"x" * LIMIT], declared=LIMIT)
    assert (result.status, result.read) == (200, b"x" * LIMIT)


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read():
    result = exchange([b"x" * (LIMIT + 1)], declared=LIMIT + 1)
    assert_refused(result)
    assert result.read == b""


def test_a_streamed_body_at_the_limit_is_let_through():
    chunks = [b"x" * 500, b"y" * 500, b"z" * (LIMIT - 1000)]
    result = exchange(chunks)
    assert (result.status, result.read) == (200, b"".join(chunks))


def test_a_streamed_body_is_refused_once_its_chunks_add_up_to_more_than_the_limit():
    result = exchange([b"x" * 500, b"y" * 500, b"z" * (LIMIT - 999), b"never read"])
    assert_refused(result)
    assert len(result.read) == 1000


def test_a_body_that_lies_about_its_length_is_counted_all_the_same():
    assert_refused(exchange([b"x" * 600, b"y" * 600], declared=10))


def test_a_length_that_is_not_a_number_is_left_to_the_count():
    result = exchange([b"x" * 10], declared="ten")
    assert (result.status, result.read) == (200, b"x" * 10)


def test_other_connections_than_http_pass_untouched():
    passed: list[dict] = []

    async def app(scope: dict, receive, send) -> None:
        passed.append(scope)

    scope = {"type": "lifespan"}
    asyncio.run(BodySizeLimit(app, max_bytes=LIMIT)(scope, None, None))
    assert passed == [scope]


def test_a_gate_application_has_a_small_body_limit_of_its_own(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", max_gate_request_bytes=2048)
    with TestClient(create_app(settings)) as client:
        created = client.post("/api/workspaces").json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        base = f"/api/workspaces/{created['id']}"
        client.post(f"{base}/variables", json={"name": "x", "value": 1.0}, headers=headers)
        literals = {"gate": "stack", "inputs": ["x", *([1.0] * 1000)]}
        refused = client.post(f"{base}/gates", json=literals, headers=headers)
        variable = {"name": "v", "value": [1.0] * 1000}
        allowed = client.post(f"{base}/variables", json=variable, headers=headers)
    assert refused.status_code == 413
    assert refused.json()["error"] == {
        "code": "request_too_large",
        "message": "the request body is over the limit of 2048 bytes",
        "detail": None,
    }
    assert allowed.status_code == 201


def test_a_chunked_body_over_the_limit_is_413_and_creates_nothing(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", max_request_bytes=LIMIT)
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        before = snapshot(workspace)

        def chunks():  # a generator body is sent chunked, with no Content-Length
            yield b'{"name": "v", "value": ['
            yield from [b"1.0, "] * LIMIT
            yield b"1.0]}"

        response = client.post(
            workspace.base + "/variables",
            content=chunks(),
            headers={**workspace._auth(None), "Content-Type": "application/json"},
        )
        assert "content-length" not in response.request.headers
        assert response.request.headers["transfer-encoding"] == "chunked"
        assert_error(response, 413, "request_too_large")
        assert response.json()["error"]["message"] == (
            f"the request body is over the limit of {LIMIT} bytes"
        )
        assert snapshot(workspace) == before


def test_bodies_held_at_once_are_capped_and_given_back():
    held = HeldBodies(100)
    held.take(60)
    try:
        held.take(50)
    except BodyRefused as refusal:
        assert (refusal.status_code, refusal.code) == (429, "too_many_requests")
        assert refusal.headers == {"Retry-After": "5"}
    else:
        raise AssertionError("a body over the cap was taken")
    held.give_back(60)
    held.take(50)
    assert held.held == 50


def test_a_body_that_would_pass_the_held_cap_is_429_with_retry_after():
    result = exchange([b"x" * 600, b"y" * 300], held=800)
    assert result.status == 429
    assert result.headers[b"retry-after"] == b"5"
    assert json.loads(result.body)["error"]["code"] == "too_many_requests"
    assert exchange([b"x" * 600, b"y" * 300], held=900).status == 200


def test_a_body_to_a_route_that_takes_none_is_refused_from_its_headers(client):
    refused = client.request("GET", "/healthz", content=b"x" * 1000)
    error = assert_error(refused, 413, "request_too_large")
    assert "takes no request body" in error["message"]
    chunked = client.request("GET", "/healthz", content=iter([b"x"]))  # no length: chunks
    assert_error(chunked, 413, "request_too_large")
    # What clients send to body-free actions, such as {} to start training, still passes.
    workspace = create_workspace(client)
    assert workspace.post("/training/start", {}).status_code == 404  # none configured
    assert client.request("GET", "/healthz", content=b"{}").status_code == 200
