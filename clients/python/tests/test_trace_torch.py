"""ws.trace_torch: a PyTorch module rebuilt on the live tape, gradients equal to torch's."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn
from wengert_client import UnsupportedOperation, Variable, Workspace

TOLERANCE = 1e-5


class MLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(4, 16), nn.Linear(16, 16), nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc3(torch.sigmoid(self.fc2(torch.relu(self.fc1(x)))))


class SmallCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 3)
        )
        self.flatten, self.head = nn.Flatten(), nn.Linear(6 * 2 * 2, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.tanh(self.features(x))
        return self.head(self.flatten(h)).view(x.size(0), -1)


class ResidualBlock(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.inner, self.act = nn.Linear(width, width), nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.act(self.inner(x))


class Residual(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.block1, self.block2 = ResidualBlock(6), ResidualBlock(6)
        self.head = nn.Linear(12, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h1 = self.block1(x)
        return self.head(torch.cat([h1, self.block2(h1)], dim=-1))


class TinyTransformer(nn.Module):
    def __init__(self, vocab: int = 11, dim: int = 8) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.q, self.k, self.v = (nn.Linear(dim, dim) for _ in range(3))
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.scale = 1 / math.sqrt(dim)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        h = self.embed(tokens)
        x = self.ln1(h)
        scores = self.q(x) @ self.k(x).transpose(-2, -1) * self.scale
        h = h + scores.softmax(dim=-1) @ self.v(x)
        return h + self.mlp(self.ln2(h))


def traced_gradients_match(ws: Workspace, module: nn.Module, *inputs: torch.Tensor) -> None:
    """Trace, backprop (out * out).sum() in both, and compare every parameter's gradient."""
    out = ws.trace_torch(module, *inputs)
    assert isinstance(out, Variable)
    (out * out).sum().backprop()
    (module(*inputs) ** 2).sum().backward()
    for qualified, parameter in module.named_parameters():
        name = qualified.replace(".", "_")
        name = "_" + name if name[0].isdigit() else name
        assert parameter.grad is not None
        np.testing.assert_allclose(
            ws[name].grad, parameter.grad.numpy(), atol=TOLERANCE, rtol=0, err_msg=qualified
        )
    np.testing.assert_allclose(out.value, module(*inputs).detach().numpy(), atol=TOLERANCE)


@pytest.fixture(autouse=True)
def seeded() -> None:
    torch.manual_seed(0)


def test_an_mlp_gives_torchs_gradients(ws: Workspace) -> None:
    traced_gradients_match(ws, MLP(), torch.randn(5, 4))
    names = {v["name"]: v for v in ws.state()["variables"]}
    assert names["fc1_weight"]["requires_grad"] and names["fc1_weight"]["shape"] == [16, 4]
    assert not names["x"]["requires_grad"] and names["x"]["shape"] == [5, 4]


def test_a_small_cnn_gives_torchs_gradients(ws: Workspace) -> None:
    traced_gradients_match(ws, SmallCNN(), torch.randn(2, 1, 8, 8))
    gates = [node["gate"] for node in ws.state()["history"]]
    assert gates[:6] == ["conv2d", "relu", "maxpool2d", "conv2d", "tanh", "reshape"]


def test_a_residual_block_with_concatenation_gives_torchs_gradients(ws: Workspace) -> None:
    traced_gradients_match(ws, Residual(), torch.randn(3, 6))
    assert "concat" in [node["gate"] for node in ws.state()["history"]]


def test_a_tiny_transformer_block_gives_torchs_gradients(ws: Workspace) -> None:
    tokens = torch.tensor([[1, 4, 2, 9, 0], [3, 3, 10, 5, 7]])
    traced_gradients_match(ws, TinyTransformer(), tokens)
    gates = {node["gate"] for node in ws.state()["history"]}
    assert {"embedding", "layer_norm", "softmax", "matmul", "transpose", "gelu"} <= gates


def test_each_node_records_the_module_it_ran_in(ws: Workspace) -> None:
    ws.trace_torch(Residual(), torch.randn(3, 6))
    groups = [(node["gate"], node["group"]) for node in ws.state()["history"]]
    assert groups == [
        ("linear", "block1.inner"),
        ("gelu", "block1.act"),
        ("add", "block1"),
        ("linear", "block2.inner"),
        ("gelu", "block2.act"),
        ("add", "block2"),
        ("concat", None),
        ("linear", "head"),
    ]


class Cumulative(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc, self.inner = nn.Linear(3, 3), nn.Sequential(nn.Tanh(), CumSum())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(self.fc(x))


class CumSum(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cumsum(x, dim=1)


def test_an_unsupported_operation_is_refused_by_name_before_anything_is_made(
    ws: Workspace,
) -> None:
    with pytest.raises(UnsupportedOperation) as refused:
        ws.trace_torch(Cumulative(), torch.randn(2, 3))
    assert refused.value.operation == "torch.cumsum"
    assert "inner.1" in refused.value.where
    assert "torch.cumsum" in str(refused.value) and "inner.1" in str(refused.value)
    assert ws.state()["variables"] == [] and ws.state()["history"] == []


def test_an_unsupported_module_setting_is_named(ws: Workspace) -> None:
    module = nn.Sequential(nn.Conv2d(2, 2, 3, groups=2))
    with pytest.raises(UnsupportedOperation, match=r"nn.Conv2d in module '0'.*groups=1"):
        ws.trace_torch(module, torch.randn(1, 2, 5, 5))
    assert ws.state()["variables"] == []


def test_a_name_already_taken_is_refused_before_anything_is_made(ws: Workspace) -> None:
    ws.variable("fc1_bias", 1.0)
    with pytest.raises(ValueError, match=r"\['fc1_bias'\]"):
        ws.trace_torch(MLP(), torch.randn(2, 4))
    assert [v["name"] for v in ws.state()["variables"]] == ["fc1_bias"]


def test_several_outputs_come_back_as_a_tuple(ws: Workspace) -> None:
    class Two(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(3, 2)

        def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            h = self.fc(x)
            return torch.relu(h), torch.tanh(h)

    module, x = Two(), torch.randn(4, 3)
    relu, tanh = ws.trace_torch(module, x)
    expected = [t.detach().numpy() for t in module(x)]
    np.testing.assert_allclose(relu.value, expected[0], atol=TOLERANCE)
    np.testing.assert_allclose(tanh.value, expected[1], atol=TOLERANCE)


class RawParameter(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.randn(3, 4))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x @ self.w.T).mean(dim=0, keepdim=True)


def test_a_parameter_read_directly_and_its_transpose_give_torchs_gradients(ws: Workspace) -> None:
    traced_gradients_match(ws, RawParameter(), torch.randn(5, 4))
    assert [n["gate"] for n in ws.state()["history"][:4]] == ["transpose", "matmul", "tanh", "mean"]


def test_a_softmax_without_its_axis_is_refused(ws: Workspace) -> None:
    class Implicit(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.nn.functional.softmax(x)  # the axis left to a deprecated guess

    with pytest.raises(UnsupportedOperation, match=r"torch.softmax in forward .*give the axis"):
        ws.trace_torch(Implicit(), torch.randn(2, 3))
    assert ws.state()["variables"] == []
