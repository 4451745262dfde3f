"""How each PyTorch operation torch.fx records is rebuilt with Wengert gates.

Modules (``call_module``) are rebuilt from their parameters and settings; functions
(``torch.relu``, ``operator.add``) and tensor methods (``x.view(...)``) from their
arguments. Shape changes (``view``, ``reshape``, ``flatten``) become one ``reshape`` to the
shape the example run gave, so sizes computed from ``x.size(0)`` need no gate.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from wengert_client.tracing.plan import Operand, Out, Plan, UnsupportedOperation, parameter_name


class SizeOnly:
    """A size or shape read from a tensor: only a shape change may take it (and ignores it,
    using the shape the example run gave)."""


@dataclass
class Site:
    """One recorded operation: its resolved arguments, where it is, and its output's shape."""

    plan: Plan
    operation: str
    args: list[Any]
    kwargs: dict[str, Any]
    group: str | None
    where: str
    shape: tuple[int, ...] | None

    def refuse(self, reason: str = "") -> UnsupportedOperation:
        """The error for this operation (with ``reason`` when it is a setting, not the op)."""
        return UnsupportedOperation(self.operation, self.where, reason)

    def arg(self, index: int, keyword: str, default: Any = None) -> Any:
        """Argument ``index``, or by ``keyword``, or ``default``."""
        if index < len(self.args):
            return self.args[index]
        return self.kwargs.get(keyword, default)

    def operand(self, value: Any) -> Operand:
        """A tensor or a number as a gate input; anything else is refused."""
        if isinstance(value, str | Out):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise self.refuse(f"takes {type(value).__name__} {value!r} where a tensor is needed")

    def apply(self, gate: str, *inputs: Any, **params: Any) -> Out:
        """Plan ``gate`` on ``inputs`` in this operation's module."""
        return self.plan.apply(gate, [self.operand(v) for v in inputs], self.group, **params)

    def reshaped(self) -> Out:
        """The first argument reshaped to the shape the example run gave."""
        assert self.shape is not None, "a shape change gives a tensor"
        return self.apply("reshape", self.args[0], shape=list(self.shape))


def _unary(gate: str) -> Callable[[Site], Out]:
    return lambda site: site.apply(gate, site.args[0])


def _binary(gate: str) -> Callable[[Site], Out]:
    def convert(site: Site) -> Out:
        if len(site.args) != 2 or site.kwargs:
            raise site.refuse("only its two-operand form is supported")
        return site.apply(gate, *site.args)

    return convert


def _softmax(site: Site) -> Out:
    axis = site.arg(1, "dim")
    if axis is None:
        raise site.refuse("give the axis: softmax(dim=...)")
    return site.apply("softmax", site.args[0], axis=axis)


def _gelu(site: Site) -> Out:
    return site.apply("gelu", site.args[0], approximate=site.kwargs.get("approximate", "none"))


def _concat(site: Site) -> Out:
    tensors = site.args[0]
    return site.apply("concat", *tensors, axis=site.arg(1, "dim", 0))


def _transpose(site: Site) -> Out:
    ndim = len(site.shape or ())
    first, second = (d % ndim for d in (site.arg(1, "dim0"), site.arg(2, "dim1")))
    axes = list(range(ndim))
    axes[first], axes[second] = axes[second], axes[first]
    return site.apply("transpose", site.args[0], axes=axes)


def _permute(site: Site) -> Out:
    dims = (
        site.args[1:] if not isinstance(site.arg(1, "dims"), list | tuple) else site.arg(1, "dims")
    )
    return site.apply("transpose", site.args[0], axes=[int(d) for d in dims])


def _reduce(gate: str) -> Callable[[Site], Out]:
    def convert(site: Site) -> Out:
        axis = site.arg(1, "dim")
        params: dict[str, Any] = {"keepdims": bool(site.arg(2, "keepdim", False))}
        if axis is not None:
            params["axis"] = list(axis) if isinstance(axis, list | tuple) else int(axis)
        return site.apply(gate, site.args[0], **params)

    return convert


def _same(site: Site) -> Operand:
    return site.operand(site.args[0])


def _size(site: Site) -> SizeOnly:
    return SizeOnly()


def _attribute(site: Site) -> Operand | SizeOnly:
    name = site.args[1]
    if name == "shape":
        return SizeOnly()
    if name == "T":
        return site.apply("transpose", site.args[0])  # the engine's default reverses the axes
    raise site.refuse(f"its attribute .{name} is not supported")


FUNCTIONS: dict[Any, Callable[[Site], Any]] = {
    operator.add: _binary("add"),
    torch.add: _binary("add"),
    operator.sub: _binary("sub"),
    torch.sub: _binary("sub"),
    operator.mul: _binary("mul"),
    torch.mul: _binary("mul"),
    operator.truediv: _binary("div"),
    torch.div: _binary("div"),
    operator.matmul: _binary("matmul"),
    torch.matmul: _binary("matmul"),
    operator.neg: _unary("neg"),
    operator.pow: _binary("pow"),
    torch.pow: _binary("pow"),
    torch.relu: _unary("relu"),
    F.relu: _unary("relu"),
    torch.tanh: _unary("tanh"),
    F.tanh: _unary("tanh"),
    torch.sigmoid: _unary("sigmoid"),
    F.sigmoid: _unary("sigmoid"),
    torch.exp: _unary("exp"),
    torch.log: _unary("log"),
    torch.sqrt: _unary("sqrt"),
    F.gelu: _gelu,
    torch.softmax: _softmax,
    F.softmax: _softmax,
    torch.cat: _concat,
    torch.concat: _concat,
    torch.flatten: Site.reshaped,
    torch.reshape: Site.reshaped,
    torch.transpose: _transpose,
    torch.permute: _permute,
    torch.sum: _reduce("sum"),
    torch.mean: _reduce("mean"),
    getattr: _attribute,  # x.shape, x.T
}

METHODS: dict[str, Callable[[Site], Any]] = {
    "add": _binary("add"),
    "sub": _binary("sub"),
    "mul": _binary("mul"),
    "div": _binary("div"),
    "matmul": _binary("matmul"),
    "neg": _unary("neg"),
    "pow": _binary("pow"),
    "relu": _unary("relu"),
    "tanh": _unary("tanh"),
    "sigmoid": _unary("sigmoid"),
    "exp": _unary("exp"),
    "log": _unary("log"),
    "sqrt": _unary("sqrt"),
    "softmax": _softmax,
    "view": Site.reshaped,
    "reshape": Site.reshaped,
    "flatten": Site.reshaped,
    "transpose": _transpose,
    "permute": _permute,
    "sum": _reduce("sum"),
    "mean": _reduce("mean"),
    "contiguous": _same,
    "size": _size,
    "dim": _size,
}


def convert_function(site: Site, target: Any) -> Any:
    """Rebuild a ``call_function`` node."""
    if target is operator.getitem and isinstance(site.args[0], SizeOnly):
        return SizeOnly()  # x.shape[0]
    convert = FUNCTIONS.get(target)
    if convert is None:
        raise site.refuse()
    return convert(site)


def convert_method(site: Site, name: str) -> Any:
    """Rebuild a ``call_method`` node."""
    convert = METHODS.get(name)
    if convert is None:
        raise site.refuse()
    return convert(site)


def convert_module(site: Site, module: nn.Module, qualified: str) -> Operand:
    """Rebuild a ``call_module`` node from the module's parameters and settings."""
    for kind, convert in MODULES:
        if type(module) is kind:
            return convert(site, module, qualified)
    raise site.refuse()


def _weights(site: Site, module: nn.Module, qualified: str, *names: str) -> list[str]:
    """Leaves for the module's parameters ``names``; a missing bias is a zero constant."""
    leaves = []
    for name in names:
        tensor = getattr(module, name)
        full = f"{qualified}.{name}"
        if tensor is None:
            weight = as_array(module.get_parameter("weight"))
            zeros = np.zeros(weight.shape[0], weight.dtype)
            leaves.append(site.plan.leaf(parameter_name(full) + "_zero", zeros, False))
        else:
            leaves.append(site.plan.leaf(parameter_name(full), as_array(tensor), True))
    return leaves


def _linear(site: Site, module: nn.Linear, qualified: str) -> Out:
    return site.apply("linear", site.args[0], *_weights(site, module, qualified, "weight", "bias"))


def _conv2d(site: Site, module: nn.Conv2d, qualified: str) -> Out:
    if module.groups != 1 or tuple(module.dilation) != (1, 1) or module.padding_mode != "zeros":
        raise site.refuse("only groups=1, dilation=1 and zero padding are supported")
    if isinstance(module.padding, str):
        raise site.refuse(f"padding={module.padding!r} is not supported; give sizes")
    weights = _weights(site, module, qualified, "weight", "bias")
    stride, padding = list(module.stride), list(module.padding)
    return site.apply("conv2d", site.args[0], *weights, stride=stride, padding=padding)


def _maxpool2d(site: Site, module: nn.MaxPool2d, qualified: str) -> Out:
    if module.dilation not in (1, (1, 1)) or module.ceil_mode or module.return_indices:
        raise site.refuse("only dilation=1 without ceil_mode or return_indices is supported")
    params = {
        "kernel_size": _pair(module.kernel_size),
        "stride": _pair(module.stride),
        "padding": _pair(module.padding),
    }
    return site.apply("maxpool2d", site.args[0], **params)


def _pair(value: int | tuple[int, ...]) -> int | list[int]:
    return list(value) if isinstance(value, tuple) else value


def _embedding(site: Site, module: nn.Embedding, qualified: str) -> Out:
    if module.padding_idx is not None or module.max_norm is not None:
        raise site.refuse("padding_idx and max_norm are not supported")
    (weight,) = _weights(site, module, qualified, "weight")
    return site.apply("embedding", site.args[0], weight)


def _layer_norm(site: Site, module: nn.LayerNorm, qualified: str) -> Out:
    if not module.elementwise_affine or module.bias is None:
        raise site.refuse("only elementwise_affine=True with a bias is supported")
    weights = _weights(site, module, qualified, "weight", "bias")
    return site.apply("layer_norm", site.args[0], *weights, eps=float(module.eps))


MODULES: list[tuple[type[nn.Module], Callable[[Site, Any, str], Operand]]] = [
    (nn.Linear, _linear),
    (nn.Conv2d, _conv2d),
    (nn.MaxPool2d, _maxpool2d),
    (nn.Embedding, _embedding),
    (nn.LayerNorm, _layer_norm),
    (nn.ReLU, lambda site, m, q: site.apply("relu", site.args[0])),
    (nn.Tanh, lambda site, m, q: site.apply("tanh", site.args[0])),
    (nn.Sigmoid, lambda site, m, q: site.apply("sigmoid", site.args[0])),
    (nn.GELU, lambda site, m, q: site.apply("gelu", site.args[0], approximate=m.approximate)),
    (nn.Softmax, lambda site, m, q: site.apply("softmax", site.args[0], axis=m.dim)),
    (nn.Flatten, lambda site, m, q: site.reshaped()),
    (nn.Identity, lambda site, m, q: site.operand(site.args[0])),
]


def as_array(tensor: torch.Tensor) -> np.ndarray:
    """A tensor's values as a NumPy array (detached, on the CPU)."""
    array: np.ndarray = tensor.detach().cpu().numpy()
    return array
