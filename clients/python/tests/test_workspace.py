"""The synchronous client against a real server: remote variables behave like the engine's."""

from __future__ import annotations

import numpy as np
import pytest
from wengert_client import Workspace


def test_micrograd_expression_gives_micrograds_gradients(ws: Workspace) -> None:
    a = ws.variable("a", -4.0, requires_grad=True)
    b = ws.variable("b", 2.0, requires_grad=True)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    gradients = g.backprop()
    # The values micrograd's README prints for this expression.
    assert float(g.value) == pytest.approx(24.7041, abs=1e-4)
    assert float(a.grad) == pytest.approx(138.8338, abs=1e-4)
    assert float(b.grad) == pytest.approx(645.5773, abs=1e-4)
    assert float(gradients["a"]) == pytest.approx(138.8338, abs=1e-4)


def test_reflected_operators_put_the_number_first(ws: Workspace) -> None:
    x = ws.variable("x", 2.0, requires_grad=True)
    assert float((10 - x).value) == 8.0
    assert float((3 / x).value) == 1.5
    assert float((2**x).value) == 4.0
    assert float((1 + x).value) == 3.0


def test_value_and_grad_come_back_as_arrays_of_their_shape(ws: Workspace) -> None:
    w = ws.variable("w", np.arange(6.0).reshape(2, 3), requires_grad=True)
    x = ws.variable("x", [1.0, 2.0, 3.0])
    y = (w @ x).sum()
    y.backprop()
    assert w.value.shape == (2, 3)
    # d(sum(w @ x))/dw[i, j] = x[j]
    np.testing.assert_array_equal(w.grad, [[1, 2, 3], [1, 2, 3]])
    assert x.value.dtype == np.float64


def test_methods_getitem_and_transpose_apply_gates(ws: Workspace) -> None:
    m = ws.variable("m", [[1.0, -2.0], [3.0, -4.0]], requires_grad=True)
    np.testing.assert_array_equal(m.relu().value, [[1, 0], [3, 0]])
    np.testing.assert_array_equal(m.T.value, [[1, 3], [-2, -4]])
    np.testing.assert_array_equal(m[0, 1:].value, [-2.0])
    np.testing.assert_array_equal(m[:, [1, 0]].value, [[-2, 1], [-4, 3]])
    np.testing.assert_array_equal(m.sum(axis=0).value, [4, -6])
    np.testing.assert_array_equal(m.mean(axis=1, keepdims=True).value, [[-0.5], [-0.5]])
    np.testing.assert_array_equal(m.reshape(4).value, [1, -2, 3, -4])
    np.testing.assert_allclose(m.tanh().value, np.tanh([[1, -2], [3, -4]]))
    np.testing.assert_allclose(m.sigmoid().value, 1 / (1 + np.exp(-np.array([[1, -2], [3, -4]]))))
    np.testing.assert_allclose(m.exp().log().value, [[1, -2], [3, -4]])


def test_gate_with_params_runs_conv2d(ws: Workspace) -> None:
    x = ws.variable("x", np.ones((1, 1, 4, 4)), requires_grad=True)
    w = ws.variable("w", np.ones((1, 1, 2, 2)), requires_grad=True)
    bias = ws.variable("bias", [0.5], requires_grad=True)
    y = ws.gate("conv2d", x, w, bias, stride=2)
    assert y.value.shape == (1, 1, 2, 2)
    np.testing.assert_array_equal(y.value, np.full((1, 1, 2, 2), 4.5))
    y.sum().backprop()
    # With stride 2 the 2x2 windows do not overlap: each input pixel is in one window.
    np.testing.assert_array_equal(x.grad, np.ones((1, 1, 4, 4)))
    np.testing.assert_array_equal(w.grad, np.full((1, 1, 2, 2), 4.0))
    np.testing.assert_array_equal(bias.grad, [4.0])


def test_named_output_and_multi_output_gates(ws: Workspace) -> None:
    v = ws.variable("v", [1.0, 2.0, 3.0, 4.0])
    doubled = ws.gate("mul", v, 2.0, output="doubled")
    assert doubled.name == "doubled"
    halves = ws.gate_outputs("chunk", v, chunks=2)
    assert [h.value.tolist() for h in halves] == [[1.0, 2.0], [3.0, 4.0]]


def test_eval_returns_the_assigned_variables(ws: Workspace) -> None:
    ws.variable("a", 3.0, requires_grad=True)
    assigned = ws.eval("c = a * a + 1\nd = c * 2")
    assert set(assigned) == {"c", "d"}
    assert float(assigned["d"].value) == 20.0
    assigned["d"].backprop()
    assert float(ws["a"].grad) == 12.0  # d = 2(a² + 1): dd/da = 4a


def test_zero_grad_resets_gradients(ws: Workspace) -> None:
    a = ws.variable("a", 3.0, requires_grad=True)
    (a * a).backprop()
    assert float(a.grad) == 6.0
    ws.zero_grad()
    assert float(a.grad) == 0.0
    (a * 5).backprop()
    ws.zero_grad([a])
    assert float(a.grad) == 0.0


def test_no_grad_records_nothing_and_turns_itself_off(ws: Workspace) -> None:
    a = ws.variable("a", 3.0, requires_grad=True)
    with ws.no_grad():
        a * 2
        assert ws.state()["no_grad"] is True
    state = ws.state()
    assert state["no_grad"] is False
    assert state["tape"] == []


def test_optimizer_step_moves_parameters(ws: Workspace) -> None:
    w = ws.variable("w", 3.0, requires_grad=True)
    (w * w).backprop()  # grad 6
    ws.optimizer_step("sgd", 0.1, [w])
    assert float(w.value) == pytest.approx(3.0 - 0.1 * 6.0)
    ws.optimizer_step("momentum", 0.1, ["w"], momentum=0.5)
    assert float(w.value) == pytest.approx(2.4 - 0.1 * 6.0)


def test_gradcheck_agrees_for_a_smooth_function(ws: Workspace) -> None:
    a = ws.variable("a", [0.5, -1.0], requires_grad=True)
    (a.tanh() * a).sum().backprop()
    result = ws.gradcheck([a])
    assert result["results"]["a"]["max_abs_error"] < 1e-6


def test_export_and_import_make_an_identical_workspace(ws: Workspace, url: str) -> None:
    a = ws.variable("a", [1.0, 2.0], requires_grad=True)
    (a * a).sum().backprop()
    document = ws.export()
    with Workspace.import_document(url, document) as copy:
        np.testing.assert_array_equal(copy["a"].grad, [2.0, 4.0])
        assert copy.id != ws.id


def test_engine_script_export(ws: Workspace) -> None:
    ws.variable("a", 2.0, requires_grad=True)
    script = ws.export_script()
    assert "import engine" in script
    assert "ctx.variable(" in script


def test_open_a_workspace_by_its_url_and_its_viewer_url(ws: Workspace) -> None:
    ws.variable("a", 5.0)
    owner = Workspace.open(ws.url)
    assert float(owner["a"].value) == 5.0
    assert owner.viewer_url is None
    assert ws.viewer_url is not None
    viewer = Workspace.open(ws.viewer_url)
    assert viewer.viewer_url == ws.viewer_url
    assert float(viewer["a"].value) == 5.0


def test_open_refuses_a_url_without_a_token() -> None:
    with pytest.raises(ValueError, match="not a workspace URL"):
        Workspace.open("http://127.0.0.1:1/w/abc")


def test_delete_removes_the_workspace(url: str) -> None:
    from wengert_client import NotFound

    ws = Workspace.create(url)
    ws.delete()
    with pytest.raises(NotFound):
        ws.state()


def test_training_configure_step_start_pause_metrics(ws: Workspace) -> None:
    config = {"dataset": {"kind": "moons", "n": 100, "seed": 0}, "epochs": 500, "batch_size": 25}
    status = ws.training.configure(config)
    assert status["state"] == "idle"
    assert ws.training.step()["step"] == 1
    assert set(ws.training.metrics) >= {"train_loss", "test_accuracy"}
    assert ws.training.start()["state"] == "running"
    assert ws.training.pause()["state"] == "paused"
    assert ws.training.reset()["step"] == 0
    assert ws.training.status()["step"] == 0
