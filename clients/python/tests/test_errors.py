"""Every refusal of the server arrives as a typed exception with its code, message, detail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import run_server
from wengert_client import (
    Conflict,
    Forbidden,
    Invalid,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    ServerError,
    StaleTape,
    TooLarge,
    Unauthorized,
    WengertError,
    Workspace,
)
from wengert_client.errors import error_for
from wengert_client.protocol import Call, as_json

from e2e.server import ServerProcess


def test_shapes_a_gate_cannot_take_are_invalid(ws: Workspace) -> None:
    a = ws.variable("a", np.ones((2, 3)))
    with pytest.raises(Invalid) as caught:
        a @ a
    assert caught.value.status == 422
    assert "matmul" in caught.value.message


def test_an_unknown_variable_in_the_path_is_not_found(ws: Workspace) -> None:
    with pytest.raises(NotFound) as caught:
        ws.fetch("nope", "value")
    assert caught.value.code == "variable_not_found"
    assert caught.value.message == "no variable named 'nope'"


def test_an_unknown_variable_in_a_body_is_invalid_naming_its_field(ws: Workspace) -> None:
    with pytest.raises(Invalid) as caught:
        ws["nope"].backprop()
    assert caught.value.code == "unknown_variable"
    assert caught.value.message == "no variable named 'nope'"
    assert caught.value.detail == {"field": "variable", "name": "nope"}


def test_a_wrong_token_is_unauthorized(ws: Workspace) -> None:
    with pytest.raises(Unauthorized) as caught:
        Workspace.open(ws.url.split("#")[0] + "#not-the-token")
    assert caught.value.status == 401


def test_the_viewer_cannot_write(ws: Workspace) -> None:
    assert ws.viewer_url is not None
    viewer = Workspace.open(ws.viewer_url)
    with pytest.raises(Forbidden):
        viewer.variable("a", 1.0)


def test_a_taken_name_conflicts(ws: Workspace) -> None:
    ws.variable("a", 1.0)
    with pytest.raises(Conflict) as caught:
        ws.variable("a", 2.0)
    assert caught.value.status == 409
    assert not isinstance(caught.value, StaleTape)


def test_backprop_through_a_changed_value_is_a_stale_tape(ws: Workspace) -> None:
    w = ws.variable("w", 3.0, requires_grad=True)
    loss = w * w
    ws.optimizer_step("sgd", 0.1, [w])
    with pytest.raises(StaleTape) as caught:
        loss.backprop()
    assert isinstance(caught.value, Conflict)
    assert caught.value.code == "stale_tape"
    assert caught.value.detail


def test_a_tensor_over_the_limit_is_too_large(ws: Workspace) -> None:
    with pytest.raises(TooLarge) as caught:
        ws.variable("big", init={"kind": "zeros", "shape": [100_000, 100_000]})
    assert caught.value.status == 413


def test_a_method_the_path_does_not_take(ws: Workspace) -> None:
    with pytest.raises(MethodNotAllowed):
        ws.transport.send(Call("PATCH", ws.api.base, as_json))


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {"WENGERT_CREATE_BURST": "1", "WENGERT_CREATE_PER_MINUTE": "1"}
    yield from run_server(Path(tmp_path_factory.mktemp("strict")), env)


def test_creating_too_fast_is_rate_limited(strict_server: ServerProcess) -> None:
    Workspace.create(strict_server.url)
    with pytest.raises(RateLimited) as caught:
        Workspace.create(strict_server.url)
    assert caught.value.retry_after is not None and caught.value.retry_after > 0


def test_a_server_failure_and_a_body_that_is_not_the_contract() -> None:
    error = error_for(502, "<html>Bad gateway</html>")
    assert isinstance(error, ServerError)
    assert error.code == "http_502"
    assert "Bad gateway" in error.message
    other = error_for(418, {"error": {"code": "teapot", "message": "short and stout"}})
    assert type(other) is WengertError
    assert other.code == "teapot"
