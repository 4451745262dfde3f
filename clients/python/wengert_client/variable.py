"""Remote variables: a name in a workspace, with the engine's operators and methods.

Each operator or method applies a catalog gate on the server and returns the output as a
new remote variable; ``value`` and ``grad`` fetch the arrays as .npy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from wengert_client.workspace import Workspace


def index_spec(key: Any) -> list[Any]:
    """A Python index (ints, slices, ``...``, None, lists of ints) as the getitem gate's spec."""
    entries = key if isinstance(key, tuple) else (key,)
    spec: list[Any] = []
    for entry in entries:
        if isinstance(entry, slice):
            parts = {"start": entry.start, "stop": entry.stop, "step": entry.step}
            spec.append({k: v for k, v in parts.items() if v is not None})
        elif entry is Ellipsis:
            spec.append("...")
        elif isinstance(entry, list | tuple | np.ndarray):
            spec.append([int(i) for i in entry])
        else:
            spec.append(None if entry is None else int(entry))
    return spec


class Variable:
    """A variable of a remote workspace, known by its ``name``."""

    def __init__(self, workspace: Workspace, name: str) -> None:
        self.workspace = workspace
        self.name = name

    def __repr__(self) -> str:
        return f"Variable({self.name!r})"

    @property
    def value(self) -> np.ndarray:
        """Its value, fetched now."""
        return self.workspace.fetch(self.name, "value")

    @property
    def grad(self) -> np.ndarray:
        """Its gradient, fetched now (zeros before any backprop reached it)."""
        return self.workspace.fetch(self.name, "grad")

    def backprop(self, seed: Any = None) -> dict[str, np.ndarray]:
        """Backpropagate from this variable; every gradient it touched, by name."""
        return self.workspace.backprop(self, seed)

    def apply(self, gate: str, *others: Variable | float, **params: Any) -> Variable:
        """The catalog ``gate`` applied to this variable (first) and ``others``."""
        return self.workspace.gate(gate, self, *others, **params)

    def __add__(self, other: Variable | float) -> Variable:
        return self.apply("add", other)

    def __radd__(self, other: float) -> Variable:
        return self.workspace.gate("add", other, self)

    def __sub__(self, other: Variable | float) -> Variable:
        return self.apply("sub", other)

    def __rsub__(self, other: float) -> Variable:
        return self.workspace.gate("sub", other, self)

    def __mul__(self, other: Variable | float) -> Variable:
        return self.apply("mul", other)

    def __rmul__(self, other: float) -> Variable:
        return self.workspace.gate("mul", other, self)

    def __truediv__(self, other: Variable | float) -> Variable:
        return self.apply("div", other)

    def __rtruediv__(self, other: float) -> Variable:
        return self.workspace.gate("div", other, self)

    def __pow__(self, other: Variable | float) -> Variable:
        return self.apply("pow", other)

    def __rpow__(self, other: float) -> Variable:
        return self.workspace.gate("pow", other, self)

    def __matmul__(self, other: Variable) -> Variable:
        return self.apply("matmul", other)

    def __neg__(self) -> Variable:
        return self.apply("neg")

    def __getitem__(self, key: Any) -> Variable:
        return self.apply("getitem", index=index_spec(key))

    @property
    def T(self) -> Variable:
        """The transpose (axes reversed)."""
        return self.apply("transpose")

    def relu(self) -> Variable:
        """max(x, 0)."""
        return self.apply("relu")

    def tanh(self) -> Variable:
        """Hyperbolic tangent."""
        return self.apply("tanh")

    def sigmoid(self) -> Variable:
        """Logistic sigmoid."""
        return self.apply("sigmoid")

    def exp(self) -> Variable:
        """e ** x."""
        return self.apply("exp")

    def log(self) -> Variable:
        """Natural logarithm."""
        return self.apply("log")

    def sum(self, axis: int | list[int] | None = None, keepdims: bool = False) -> Variable:
        """Sum over ``axis`` (every axis when None)."""
        return self.apply("sum", axis=axis, keepdims=keepdims)

    def mean(self, axis: int | list[int] | None = None, keepdims: bool = False) -> Variable:
        """Mean over ``axis`` (every axis when None)."""
        return self.apply("mean", axis=axis, keepdims=keepdims)

    def reshape(self, *shape: int) -> Variable:
        """The same elements in ``shape``."""
        return self.apply("reshape", shape=list(shape))
