"""Compare with PyTorch: the server's torch script rebuilds a battery of graphs, and its
gradients equal the workspace's; a workspace whose gradients are off makes it fail."""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

import numpy as np
import pytest
from wengert_client import Invalid, Workspace

pytest.importorskip("torch")

RNG = np.random.default_rng(0)


def _randn(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def _check(ws: Workspace, tmp_path: Path) -> None:
    """Run the workspace's torch script here, where torch is imported once (a subprocess
    per graph would import it again each time); it exits 0 when the gradients agree."""
    path = tmp_path / "compare.py"
    path.write_text(ws.export_script("torch"))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(path), run_name="__main__")
    assert exit_.value.code == 0, printed.getvalue()
    assert "every gradient matches" in printed.getvalue()


def test_broadcasting_arithmetic(ws: Workspace, tmp_path: Path) -> None:
    x = ws.variable("x", _randn(3, 4), requires_grad=True)
    row = ws.variable("row", _randn(4), requires_grad=True)
    col = ws.variable("col", np.abs(_randn(3, 1)) + 0.5, requires_grad=True)
    y = (x * row - col) / col + x**2 - (-row)
    z = (y.exp() + ws.gate("abs", y) + ws.gate("sqrt", col) + ws.gate("log", col)).sum()
    w = z + ws.gate("clamp", x, min=-0.5, max=0.5).sum() + (2.0**col).sum()
    w.backprop()
    _check(ws, tmp_path)


def test_matmul_and_reductions(ws: Workspace, tmp_path: Path) -> None:
    a = ws.variable("a", _randn(2, 3, 4), requires_grad=True)
    b = ws.variable("b", _randn(4, 5), requires_grad=True)
    v = ws.variable("v", _randn(5), requires_grad=True)
    h = (a @ b) @ v
    total = h.mean(axis=1).sum() + ws.gate("max", a, axis=2).sum()
    total = total + ws.gate("max", b) + a.sum(axis=[0, 2], keepdims=True).mean()
    total.backprop()
    _check(ws, tmp_path)


def test_activations_and_shapes(ws: Workspace, tmp_path: Path) -> None:
    x = ws.variable("x", _randn(2, 3, 4), requires_grad=True)
    parts = [
        x.relu(),
        ws.gate("leaky_relu", x, slope=0.2),
        x.sigmoid(),
        x.tanh(),
        ws.gate("gelu", x),
        ws.gate("gelu", x, approximate="none"),
        ws.gate("softmax", x, axis=1),
        ws.gate("log_softmax", x),
    ]
    stacked = ws.gate("stack", *parts, axis=0)
    joined = ws.gate("concat", x, x * 2.0, axis=2)
    shaped = ws.gate("flatten", ws.gate("transpose", joined, axes=[2, 0, 1]), start_axis=1)
    squeezed = ws.gate("squeeze", ws.gate("unsqueeze", x, axis=1), axis=1)
    picked = x[0, 1:, ::2] * x[..., [0, 0, 3]][:, :2, 0:2]
    total = (stacked * stacked).sum() + (shaped * shaped).mean() + squeezed.T.sum()
    total = total + picked.sum() + x.reshape(4, 6).sum(axis=0).sum()
    total.backprop()
    _check(ws, tmp_path)


def test_losses_and_layers(ws: Workspace, tmp_path: Path) -> None:
    x = ws.variable("x", _randn(4, 3), requires_grad=True)
    w = ws.variable("w", _randn(5, 3), requires_grad=True)
    b = ws.variable("b", _randn(5), requires_grad=True)
    target = ws.variable("target", _randn(4, 5), requires_grad=True)
    probs = ws.variable("probs", np.full((4, 5), 0.2), requires_grad=True)
    labels = ws.variable("labels", [0.0, 4.0, 2.0, 1.0])
    binary = ws.variable("binary", RNG.uniform(size=(4, 5)), requires_grad=True)
    logits = ws.gate("linear", x, w, b)
    loss = ws.gate("mse_loss", logits, target)
    loss = loss + ws.gate("softmax_cross_entropy", logits, probs)
    loss = loss + ws.gate("sparse_softmax_cross_entropy", logits, labels)
    loss = loss + ws.gate("sigmoid_cross_entropy", logits, binary)
    gain = ws.variable("gain", _randn(5), requires_grad=True)
    normed = ws.gate("layer_norm", logits, gain, b, eps=1e-3)
    loss = loss + (normed * normed).sum()
    loss.backprop()
    _check(ws, tmp_path)


def test_conv2d_and_maxpool(ws: Workspace, tmp_path: Path) -> None:
    x = ws.variable("x", _randn(2, 3, 7, 7), requires_grad=True)
    k = ws.variable("k", _randn(4, 3, 3, 3), requires_grad=True)
    bias = ws.variable("bias", _randn(4), requires_grad=True)
    y = ws.gate("conv2d", x, k, bias, stride=2, padding=1)
    pooled = ws.gate("maxpool2d", y, kernel_size=2, stride=1, padding=1)
    narrow = ws.gate("conv2d", x, k, bias, stride=[1, 2], padding=[0, 1])
    (pooled.tanh().sum() + (narrow * narrow).mean()).backprop()
    _check(ws, tmp_path)


def test_compare_with_torch_runs_the_script_and_passes(ws: Workspace) -> None:
    a = ws.variable("a", [1.0, -2.0], requires_grad=True)
    ((a * a).sum() * 0.5).backprop()
    comparison = ws.compare_with_torch()
    assert comparison.passed, comparison.output
    assert "a: torch [1.0, -2.0]  workspace [1.0, -2.0]" in comparison.output


def test_gradients_that_disagree_fail_the_comparison(ws: Workspace) -> None:
    ws.variable("a", 3.0, requires_grad=True)
    ws.eval("c = a * a")
    ws["c"].backprop()
    ws.eval("c = a * a")
    ws["c"].backprop()  # without zero_grad the workspace holds twice torch's gradient
    comparison = ws.compare_with_torch()
    assert not comparison.passed
    assert "DIFFERS" in comparison.output
    assert "torch 6.0  workspace 12.0" in comparison.output


def test_a_gate_without_a_torch_counterpart_is_refused(ws: Workspace) -> None:
    v = ws.variable("v", [1.0, 2.0], requires_grad=True)
    ws.gate("dropout", v, p=0.5, seed=1).sum().backprop()
    with pytest.raises(Invalid) as caught:
        ws.compare_with_torch()
    assert caught.value.code == "no_torch_mapping"
    assert "dropout" in caught.value.message
