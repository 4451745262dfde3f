"""Variable: a value tracked by the tape, its gradient, and its operators."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

# The operators reach the gate functions through the package at call time, because the
# gate modules themselves build Variables and so import this module first.
import engine
from engine.tape import Context, backprop, backprop_steps, context_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from engine.tape import BackpropStep, Node


class Variable:
    """A tensor tracked by a Context.

    Holds a weak reference to its ``context``, the ``value``, the ``grad`` (zeros of the
    value's shape once gradients are needed, None otherwise) and ``requires_grad``.
    ``creator`` is the node that produced it, None for a leaf.

    The creator is held weakly: the tape owns its nodes, so a graph is freed as soon as
    backprop pops it (nothing points back from a variable to keep it alive in a cycle).
    After that ``creator`` is None unless someone else keeps the node.

    ``version`` counts the in-place changes of ``value`` (PyTorch's version counter): whoever
    changes ``value`` in place calls :meth:`mark_changed`, so that backprop through a node
    that saved the old value refuses instead of giving wrong gradients.
    """

    __slots__ = (
        "_context",
        "_creator",
        "_grad",
        "_owns_grad",
        "changed_by",
        "name",
        "requires_grad",
        "value",
        "version",
    )

    def __init__(
        self,
        context: Context,
        value: np.ndarray,
        requires_grad: bool = False,
        name: str | None = None,
    ) -> None:
        self._context = context.ref
        self.value = value
        self.requires_grad = requires_grad
        self.name = name
        self._creator: weakref.ref[Node] | None = None
        self._grad: np.ndarray | None = None
        # Whether ``_grad`` is an array nobody else was handed, so adding in place is safe.
        self._owns_grad = False
        self.version = 0
        self.changed_by: str | None = None

    def mark_changed(self, cause: str) -> None:
        """Note that ``value`` changed in place; ``cause`` says what did ("an optimizer step")."""
        self.version += 1
        self.changed_by = cause
        ctx = self._context()
        if ctx is not None:
            ctx.changes += 1

    @property
    def context(self) -> Context:
        """The Context this variable belongs to; raises if it no longer exists."""
        return context_of(self._context)

    @property
    def creator(self) -> Node | None:
        """The node that produced this variable while it exists; None for a leaf."""
        return None if self._creator is None else self._creator()

    @creator.setter
    def creator(self, node: Node | None) -> None:
        self._creator = None if node is None else weakref.ref(node)

    def has_creator(self) -> bool:
        """True when a node produced this variable, even one that no longer exists."""
        return self._creator is not None

    @property
    def grad(self) -> np.ndarray | None:
        """The accumulated gradient: zeros until backprop adds to it; None if not required."""
        if self._grad is None and self.requires_grad:
            self._grad = np.zeros_like(self.value)
            self._owns_grad = True
        return self._grad

    @grad.setter
    def grad(self, value: np.ndarray | None) -> None:
        self._grad = value
        self._owns_grad = False

    @property
    def raw_grad(self) -> np.ndarray | None:
        """The gradient without allocating zeros: None until something was added."""
        return self._grad

    def accumulate_grad(self, diff: np.ndarray, adopt: bool = False) -> None:
        """Add ``diff`` into ``grad``; gradients are always added so fan-out is correct.

        ``adopt=True`` promises that no one else holds ``diff``: the first gradient is then
        kept as it is instead of copied. An adopted array may still be reported (a
        BackpropStep's diffs), so it is never added to in place afterwards.
        """
        if self._grad is None:
            dtype = self.value.dtype
            # NumPy's dtypes are shared objects: ``is`` settles nearly every comparison.
            if adopt and (diff.dtype is dtype or diff.dtype == dtype):
                self._grad, self._owns_grad = diff, False
            else:
                self._grad, self._owns_grad = diff.astype(dtype), True
        elif self._owns_grad:
            self._grad += diff
        else:
            self._grad = np.add(self._grad, diff, dtype=self.value.dtype)
            self._owns_grad = True

    def zero_grad(self) -> None:
        """Reset the gradient: ``grad`` reads as zeros again (None if no gradient is required)."""
        self._grad = None

    def is_grad_needed(self) -> bool:
        """True when this variable requires grad and its context is not in no-grad mode."""
        return self.requires_grad and not self.context.no_grad

    def backprop(self, seed: Any = None) -> None:
        """Backpropagate from this variable and empty the tape (see ``engine.backprop``)."""
        backprop(self, seed)

    def backprop_steps(self, seed: Any = None) -> Iterator[BackpropStep]:
        """Backpropagate one node at a time (see ``engine.backprop_steps``)."""
        return backprop_steps(self, seed)

    @property
    def shape(self) -> tuple[int, ...]:
        """The value's shape."""
        return self.value.shape

    @property
    def dtype(self) -> np.dtype:
        """The value's dtype: float64 or float32."""
        return self.value.dtype

    @property
    def ndim(self) -> int:
        """The value's number of axes."""
        return self.value.ndim

    def item(self) -> float:
        """The value of a one-element variable as a Python float."""
        return float(self.value.item())

    def __getstate__(self) -> dict[str, Any]:
        # Pickling (a server's snapshot of a workspace) stores what the weak references point
        # to; the whole graph is pickled at once, so they point at the same objects on load.
        return {
            "context": self._context(),
            "creator": self.creator,
            "had_creator": self.has_creator(),
            "value": self.value,
            "grad": self._grad,
            "owns_grad": self._owns_grad,
            "name": self.name,
            "requires_grad": self.requires_grad,
            "version": self.version,
            "changed_by": self.changed_by,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        context, creator = state["context"], state["creator"]
        self._context = _dead_reference() if context is None else weakref.ref(context)
        self._creator = None
        if creator is not None:
            self._creator = weakref.ref(creator)
        elif state["had_creator"]:
            self._creator = _dead_reference()
        self.value, self._grad, self._owns_grad = state["value"], state["grad"], state["owns_grad"]
        self.name, self.requires_grad = state["name"], state["requires_grad"]
        # Snapshots written before version counters carry none: they start counting now.
        self.version, self.changed_by = state.get("version", 0), state.get("changed_by")

    def __repr__(self) -> str:
        label = f"{self.name}, " if self.name else ""
        return f"Variable({label}shape={self.shape}, requires_grad={self.requires_grad})"

    # Arithmetic operators, reflected ones for scalar literals on the left, and methods
    # for the common gates. NumPy must not claim ``ndarray op Variable``: with
    # __array_ufunc__ = None it defers to the reflected operator here.
    __array_ufunc__ = None

    def __add__(self, other: Any) -> Variable:
        return engine.gates.add(self, other)

    def __radd__(self, other: Any) -> Variable:
        return engine.gates.add(other, self)

    def __sub__(self, other: Any) -> Variable:
        return engine.gates.sub(self, other)

    def __rsub__(self, other: Any) -> Variable:
        return engine.gates.sub(other, self)

    def __mul__(self, other: Any) -> Variable:
        return engine.gates.mul(self, other)

    def __rmul__(self, other: Any) -> Variable:
        return engine.gates.mul(other, self)

    def __truediv__(self, other: Any) -> Variable:
        return engine.gates.div(self, other)

    def __rtruediv__(self, other: Any) -> Variable:
        return engine.gates.div(other, self)

    def __matmul__(self, other: Any) -> Variable:
        return engine.gates.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Variable:
        return engine.gates.matmul(other, self)

    def __pow__(self, other: Any) -> Variable:
        return engine.gates.pow(self, other)

    def __rpow__(self, other: Any) -> Variable:
        return engine.gates.pow(other, self)

    def __neg__(self) -> Variable:
        return engine.gates.neg(self)

    def __getitem__(self, key: Any) -> Variable:
        return engine.gates.getitem(self, key)

    @property
    def T(self) -> Variable:
        """The transpose: the axes reversed."""
        return engine.gates.transpose(self)

    def sum(self, axis: int | list[int] | None = None, keepdims: bool = False) -> Variable:
        """Sum over every axis, or along ``axis``."""
        return engine.gates.sum(self, axis, keepdims)

    def mean(self, axis: int | list[int] | None = None, keepdims: bool = False) -> Variable:
        """Mean over every axis, or along ``axis``."""
        return engine.gates.mean(self, axis, keepdims)

    def max(self, axis: int | None = None, keepdims: bool = False) -> Variable:
        """Maximum along ``axis``, or over every element."""
        return engine.gates.max(self, axis, keepdims)

    def reshape(self, *shape: int | list[int] | tuple[int, ...]) -> Variable:
        """The same elements in a new shape (ints or one list; one entry may be -1)."""
        return engine.gates.reshape(self, *shape)

    def transpose(self, axes: list[int] | None = None) -> Variable:
        """Permute the axes; None reverses them."""
        return engine.gates.transpose(self, axes)

    def flatten(self, start_axis: int = 0, end_axis: int = -1) -> Variable:
        """Merge the axes from ``start_axis`` to ``end_axis`` into one."""
        return engine.gates.flatten(self, start_axis, end_axis)

    def relu(self) -> Variable:
        """max(self, 0) elementwise."""
        return engine.gates.relu(self)

    def tanh(self) -> Variable:
        """Hyperbolic tangent elementwise."""
        return engine.gates.tanh(self)

    def sigmoid(self) -> Variable:
        """Logistic sigmoid elementwise."""
        return engine.gates.sigmoid(self)

    def exp(self) -> Variable:
        """e ** self elementwise."""
        return engine.gates.exp(self)

    def log(self) -> Variable:
        """Natural logarithm elementwise."""
        return engine.gates.log(self)

    def sqrt(self) -> Variable:
        """Square root elementwise."""
        return engine.gates.sqrt(self)

    def abs(self) -> Variable:
        """Absolute value elementwise."""
        return engine.gates.abs(self)

    def clamp(self, min: float | None = None, max: float | None = None) -> Variable:
        """Each element limited to [min, max] (PyTorch's spelling; NumPy's is ``clip``)."""
        return engine.gates.clamp(self, min, max)

    def clip(self, min: float | None = None, max: float | None = None) -> Variable:
        """NumPy's spelling of :meth:`clamp`."""
        return engine.gates.clamp(self, min, max)

    def leaky_relu(self, slope: float = 0.01) -> Variable:
        """self where positive, ``slope`` * self elsewhere."""
        return engine.gates.leaky_relu(self, slope)

    def gelu(self) -> Variable:
        """Gaussian error linear unit elementwise."""
        return engine.gates.gelu(self)

    def softmax(self, axis: int = -1) -> Variable:
        """Softmax along ``axis``."""
        return engine.gates.softmax(self, axis)

    def log_softmax(self, axis: int = -1) -> Variable:
        """Log of the softmax along ``axis``, computed stably."""
        return engine.gates.log_softmax(self, axis)

    def squeeze(self, axis: int | list[int] | None = None) -> Variable:
        """Drop axes of length one (all of them, or ``axis``)."""
        return engine.gates.squeeze(self, axis)

    def unsqueeze(self, axis: int) -> Variable:
        """Insert an axis of length one at ``axis``."""
        return engine.gates.unsqueeze(self, axis)

    def split(self, sizes: int | list[int], axis: int = 0) -> list[Variable]:
        """Cut into pieces of ``sizes`` along ``axis``."""
        return engine.gates.split(self, sizes, axis)

    def chunk(self, chunks: int, axis: int = 0) -> list[Variable]:
        """Cut into ``chunks`` near-equal pieces along ``axis``."""
        return engine.gates.chunk(self, chunks, axis)

    def unstack(self, axis: int = 0) -> list[Variable]:
        """One Variable per index along ``axis``, that axis removed."""
        return engine.gates.unstack(self, axis)


class _Gone:
    __slots__ = ("__weakref__",)


def _dead_reference() -> weakref.ref[Any]:
    """A weak reference whose object is gone, as a freed context or creator leaves behind."""
    return weakref.ref(_Gone())
