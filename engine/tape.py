"""The tape (Wengert list): Context, Node, Payload, no_grad_mode and backprop.

This is the Python counterpart of Arraymancer's ``autograd_common``.
"""

from __future__ import annotations

import enum
import sys
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from engine.anomaly import AnomalyDetector
    from engine.gate import Gate
    from engine.variable import Variable

# Arraymancer's own words, so its users recognise the error.
NOT_TRACED_MESSAGE = (
    "Operations leading to this variable were not fully traced.\n"
    "Did you forget to set a `requires_grad` or to disable the context `no_grad_mode`?"
)


class AutogradError(RuntimeError):
    """Raised when the tape is used in a way autograd cannot honour."""


class StaleTapeError(AutogradError):
    """Backprop would read a value that changed in place after a node saved it.

    ``variable`` is what changed, ``node`` the node that saved it and ``cause`` what changed
    it ("an optimizer step"); the gradients would be wrong, so nothing is done.
    """

    def __init__(self, variable: Variable, node: Node, position: int) -> None:
        self.variable, self.node = variable, node
        self.cause = variable.changed_by or "an in-place change"
        name = variable.name or f"an input of shape {variable.shape}"
        super().__init__(stale_message(name, self.cause, f"node #{position} ({node.name})"))


def stale_message(name: str, cause: str, node_label: str) -> str:
    """The one wording of a stale tape, for callers that name variables and nodes their way."""
    return (
        f"{name} was changed by {cause} after {node_label} recorded it; run the forward pass again"
    )


class PayloadKind(enum.Enum):
    """Whether a node produced one Variable or a sequence of them."""

    VAR = "var"
    SEQ = "seq"


# Looking a member up on an Enum class costs more than a module global: the hot paths
# compare with this one.
ONE_OUTPUT = PayloadKind.VAR


@dataclass(slots=True)
class Payload:
    """What a node produced: one Variable (``VAR``) or a sequence of Variables (``SEQ``)."""

    kind: PayloadKind
    variable: Variable | None = None
    sequence: Sequence[Variable] = ()

    @classmethod
    def of(cls, outputs: Variable | Sequence[Variable]) -> Payload:
        """Wrap one Variable or a sequence of Variables."""
        if isinstance(outputs, (list, tuple)):
            return cls(PayloadKind.SEQ, sequence=list(outputs))
        return cls(PayloadKind.VAR, variable=outputs)

    @property
    def outputs(self) -> list[Variable]:
        """The produced Variables as a list, whatever the kind."""
        if self.kind is PayloadKind.VAR:
            return [self.variable]
        return list(self.sequence)


class Node(Payload):
    """One recorded operation: the gate, its ordered parents and what it produced.

    A node is its own payload: ``node.payload`` is the node itself, whose ``kind``,
    ``variable`` and ``sequence`` are the payload's (one object fewer for every operation
    recorded, which the garbage collector walks until backprop frees it). ``payload`` is
    a :class:`Payload`, or for a gate of one output that output Variable itself.
    """

    __slots__ = ("__weakref__", "gate", "on_tape", "parents")

    # Nodes are equal only to themselves, as operations are, whatever they produced.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(
        self,
        gate: Gate,
        parents: list[Variable],
        payload: Payload | Variable,
        on_tape: bool = True,
    ) -> None:
        self.gate, self.parents, self.on_tape = gate, parents, on_tape
        if isinstance(payload, Payload):
            self.payload = payload
        else:  # one output, as apply records nearly every gate: spared the setter's call
            self.kind, self.variable, self.sequence = ONE_OUTPUT, payload, ()

    @property
    def payload(self) -> Payload:
        """What the node produced: the node itself, read as a :class:`Payload`."""
        return self

    @payload.setter
    def payload(self, payload: Payload | Variable) -> None:
        # Also how a pickle of a node from before the fold (with a payload slot) loads.
        if isinstance(payload, Payload):
            self.kind, self.variable, self.sequence = (
                payload.kind,
                payload.variable,
                payload.sequence,
            )
        else:
            self.kind, self.variable, self.sequence = ONE_OUTPUT, payload, ()

    @property
    def name(self) -> str:
        """The gate's display name."""
        return self.gate.display_name

    def __repr__(self) -> str:
        outputs = self.outputs
        return f"Node({self.name}, parents={len(self.parents)}, outputs={len(outputs)})"


class Context:
    """The tape: the list of recorded operations (``nodes``) and the ``no_grad`` switch.

    ``Context()`` is Arraymancer's ``newContext``. Variables keep only a weak reference
    to their context, so the context's lifetime is the caller's to manage.
    """

    __slots__ = ("__weakref__", "anomalies", "changes", "no_grad", "nodes", "ref")

    def __init__(self) -> None:
        # The weak reference each of its Variables holds: made once, not per Variable.
        self.ref = weakref.ref(self)
        self.nodes: list[Node] = []
        self.no_grad: bool = False
        # How many in-place changes its variables have had: a tape recorded after the last
        # one cannot be stale, so backprop skips the check (a training loop's every step).
        self.changes = 0
        # The detector of ``detect_anomaly`` while one watches this context.
        self.anomalies: AnomalyDetector | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "no_grad": self.no_grad, "changes": self.changes}

    def __setstate__(self, state: dict[str, Any] | tuple[None, dict[str, Any]]) -> None:
        # Snapshots from before anomaly detection hold Python's default (None, slots).
        slots = state[1] if isinstance(state, tuple) else state
        self.ref = weakref.ref(self)
        self.nodes, self.no_grad = slots["nodes"], slots["no_grad"]
        self.changes = slots.get("changes", 0)
        self.anomalies = None

    def variable(
        self,
        value: Any,
        requires_grad: bool = False,
        name: str | None = None,
        dtype: Any = np.float64,
    ) -> Variable:
        """A new Variable of this context holding a copy of ``value``.

        ``value`` is an array, a nested list or a scalar; it is stored as float64, or
        float32 when ``dtype`` asks for it.
        """
        from engine.variable import Variable

        if dtype not in (np.float64, np.float32, "float64", "float32"):
            raise TypeError(f"dtype must be float64 or float32, not {dtype!r}")
        return Variable(self, np.array(value, dtype=dtype), requires_grad, name)

    def record(self, node: Node) -> None:
        """Append ``node`` to the tape."""
        self.nodes.append(node)

    def __len__(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        return f"Context(nodes={len(self.nodes)}, no_grad={self.no_grad})"


@contextmanager
def no_grad_mode(ctx: Context) -> Iterator[Context]:
    """Within this block nothing is recorded on ``ctx``.

    The previous state is restored on exit, also when the body raises or blocks nest.
    """
    previous = ctx.no_grad
    ctx.no_grad = True
    try:
        yield ctx
    finally:
        ctx.no_grad = previous


@dataclass(slots=True)
class BackpropStep:
    """One node popped during backprop and the gradient it added to each parent.

    ``diffs[i]`` is the gradient added to ``node.parents[i]``, or None when that parent
    needs none. ``upstream`` and ``accumulated`` read the gradients as they stand when the
    step is yielded (later steps add to them in place: copy what you keep).
    """

    node: Node
    diffs: list[np.ndarray | None]

    @property
    def upstream(self) -> list[np.ndarray | None]:
        """The gradient flowing into the node: each output's, in payload order."""
        return [out.raw_grad for out in self.node.payload.outputs]

    @property
    def accumulated(self) -> list[np.ndarray | None]:
        """Each parent's gradient after this step: everything that has reached it so far."""
        return [parent.raw_grad for parent in self.node.parents]


def backprop_steps(v: Variable, seed: Any = None) -> Iterator[BackpropStep]:
    """Backpropagate from ``v`` one node at a time, yielding each step as it is done.

    Checks and seeds at once; exhausting the iterator is the same as :func:`backprop`.
    Stopping early leaves the remaining nodes on the tape.
    """
    return _steps(_start(v, seed), v.context.anomalies)


def backprop(v: Variable, seed: Any = None) -> None:
    """Seed ``v.grad`` (ones, or ``seed``) and walk the tape in reverse, emptying it.

    Nodes recorded after ``v``'s producer are discarded first; each popped node adds its
    gradients into the parents that require them.
    """
    nodes = _start(v, seed)
    detector = v.context.anomalies
    # The same walk as _steps, without building a report per node: this is the hot path.
    while nodes:
        node = nodes.pop()
        node.on_tape = False
        _propagate(node, detector, last_look=True)


def _start(v: Variable, seed: Any) -> list[Node]:
    """Check that ``v`` can be backpropagated, seed its gradient, trim the tape to its producer.

    Returns the nodes to walk: the tape, or nothing for a leaf, whose gradient is the seed.
    """
    ctx = v.context
    if not v.requires_grad:
        raise AutogradError(NOT_TRACED_MESSAGE)
    creator = v.creator
    if v.has_creator() and (creator is None or not creator.on_tape):
        raise AutogradError(
            "The operations that produced this variable are no longer on the tape: "
            "backprop empties the tape, so run the forward pass again before a second backprop."
        )
    grad = _seed_gradient(v, seed)
    if creator is not None and ctx.nodes[0].gate.changes_before != ctx.changes:
        _check_fresh(v, ctx.nodes, creator)
    v.grad = grad
    if creator is None:
        return []
    while ctx.nodes[-1] is not creator:
        ctx.nodes.pop().on_tape = False
    return ctx.nodes


def _check_fresh(v: Variable, nodes: list[Node], creator: Node) -> None:
    """Raise :class:`StaleTapeError`, before anything changes, if a node the walk from ``v``
    reaches saved a value that has changed in place since."""
    last = len(nodes) - 1
    while nodes[last] is not creator:
        last -= 1
    reached = {id(v)}
    for position in range(last, -1, -1):
        node = nodes[position]
        outputs = node.payload.outputs
        if not any(id(out) in reached or out.raw_grad is not None for out in outputs):
            continue  # its backward will be skipped: nothing flows into it
        saved = node.gate.saved_versions
        for parent, version in zip(node.parents, saved, strict=False):
            if parent.version != version:
                raise StaleTapeError(parent, node, position + 1)
        for out in outputs if saved else ():
            if out.version:
                raise StaleTapeError(out, node, position + 1)
        reached.update(id(parent) for parent in node.parents)


def _steps(nodes: list[Node], detector: AnomalyDetector | None) -> Iterator[BackpropStep]:
    while nodes:
        node = nodes.pop()
        node.on_tape = False
        yield BackpropStep(node, _propagate(node, detector))


def _seed_gradient(v: Variable, seed: Any) -> np.ndarray:
    if seed is None:
        ones = np.empty(v.value.shape, v.value.dtype)  # np.ones, without its Python wrapper
        ones.fill(1)
        return ones
    grad = np.asarray(seed, dtype=v.value.dtype)
    if grad.shape != v.value.shape:
        raise ValueError(f"seed gradient has shape {grad.shape}, but the variable has {v.shape}")
    return grad.copy()


def _propagate(
    node: Node, detector: AnomalyDetector | None, last_look: bool = False
) -> list[np.ndarray | None]:
    """Run ``node``'s backward and add each gradient into its parent; returns what was added.

    A ``detector`` (see :mod:`engine.anomaly`) sees each step's gradients first.
    ``last_look`` says that nobody sees the node after this step (backprop's own walk, not
    a stepped one): then an output only the node holds can hand its gradient on uncopied.
    """
    parents, payload = node.parents, node.payload
    # A node whose outputs never received a gradient contributes only zeros: skip its backward.
    upstream = None
    if payload.kind is ONE_OUTPUT:
        upstream = payload.variable._grad
        if upstream is None:
            return [None] * len(parents)
    elif all(out._grad is None for out in payload.sequence):
        return [None] * len(parents)
    # One gradient per parent, in a list of our own that becomes the list of what was added.
    diffs = list(node.gate.backward(payload))
    if len(diffs) != len(parents):
        raise AutogradError(
            f"{node.name}.backward returned {len(diffs)} gradients for {len(parents)} parents"
        )
    for i, parent in enumerate(parents):
        diff = diffs[i]
        if diff is None:
            continue
        diffs[i] = None  # so that the reference counts below see only this frame's
        if not parent.requires_grad:
            continue
        if type(diff) is not _ndarray or diff.shape != parent.value.shape:
            diff = _checked_diff(node, diff, parent)
        if parent._grad is None:
            # A fresh array that only this frame references (not a view, no other holder)
            # can become the parent's first gradient without a copy, as NumPy reuses its
            # temporaries. (Measured before the call: as its argument ``diff`` would hold
            # one more reference.) Later gradients are added, so whose they are is moot.
            private = diff.base is None and _refcount(diff) <= _PRIVATE_REFS
            if diff is upstream and last_look and not private:
                private = _handed_on(node, diff, diffs)
            parent.accumulate_grad(diff, private)
        else:
            parent.accumulate_grad(diff)
        diffs[i] = diff
    if detector is not None:
        detector.watch_backward(node, diffs)
    return diffs


def _handed_on(node: Node, upstream: np.ndarray, diffs: list[np.ndarray | None]) -> bool:
    """Whether the gradient of ``node``'s one output, passed on as it is (add, sub), can go to
    a parent uncopied: no one but the walk holds the node, no one but the node holds the
    output, and no one but the output and ``diffs`` holds its gradient (not yet given to
    another parent). Nobody can then read the output's gradient again, so the parent's is
    the only one."""
    # The counts as the calibrations below measure them, plus the references this path adds:
    # for the node, _propagate's ``payload`` and this call's parameter; for the gradient, the
    # output's slot, _propagate's ``upstream`` and this call's parameter, and each place it
    # still has in ``diffs`` (add hands the same array to both its parents).
    if _refcount(node) > _WALKED_NODE_REFS + 2 or _refcount(node.variable) > _SOLE_OUTPUT_REFS:
        return False
    extra = _refcount(upstream) - (_PRIVATE_REFS + 3)
    if extra > 0 and extra > sum(diff is upstream for diff in diffs):
        return False
    node.variable._owns_grad = False  # shared with the parent now: never added to in place
    return True


def _checked_diff(node: Node, diff: Any, parent: Variable) -> np.ndarray:
    """``diff`` as an array of ``parent``'s shape; raises for a backward that got it wrong."""
    diff = np.asarray(diff)
    if diff.shape != parent.value.shape:
        raise AutogradError(
            f"{node.name}.backward returned a gradient of shape {diff.shape} "
            f"for a parent of shape {parent.value.shape}"
        )
    return diff


def _private_refs() -> int:
    # What getrefcount reports for an array held by one local name only. Measured, not
    # assumed: interpreters differ in the references the call itself adds.
    array = np.empty(0)
    return sys.getrefcount(array)


def _walked_node_refs() -> int:
    # What getrefcount reports in _propagate for a node backprop popped: its local name
    # there and _propagate's parameter (measured here the same way).
    nodes = [Node(None, [], Payload(ONE_OUTPUT))]  # type: ignore[arg-type]
    node = nodes.pop()
    return _count_in_callee(node)


def _count_in_callee(node: Node) -> int:
    return sys.getrefcount(node)


def _sole_output_refs() -> int:
    # What getrefcount reports for an output that only its node's slot holds.
    node = Node(None, [], object())  # type: ignore[arg-type]
    return sys.getrefcount(node.variable)


_PRIVATE_REFS = _private_refs()
_WALKED_NODE_REFS = _walked_node_refs()
_SOLE_OUTPUT_REFS = _sole_output_refs()
_refcount = sys.getrefcount
_ndarray = np.ndarray


def context_of(ref: weakref.ref[Context]) -> Context:
    """Dereference a Variable's context, failing clearly when it is gone."""
    ctx = ref()
    if ctx is None:
        raise AutogradError(
            "This variable's Context no longer exists: a Variable holds only a weak reference "
            "to its Context, so keep the Context alive while you use its variables."
        )
    return ctx
