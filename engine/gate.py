"""Gate: the base class of operators and layers, SmallDiffs, and the gate registry."""

from __future__ import annotations

import functools
import inspect
import itertools
import operator
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from engine.params import check_params, params_schema
from engine.shapes import GateCost, TensorSpec, allocating
from engine.tape import (
    ONE_OUTPUT,
    AutogradError,
    Context,
    Node,
    Payload,
    PayloadKind,
    context_of,
)
from engine.variable import Variable

SmallDiffs = list[np.ndarray | None]
"""The gradients a backward returns: one per parent, in parent order (None: not needed)."""

Parents = list[Variable | None]

REGISTRY: dict[str, type[Gate]] = {}
"""Every gate class with a ``name``, by name: the catalog the backend publishes."""


class GateInputError(ValueError):
    """Inputs a gate cannot work on: the message names the gate, the input shapes and why;
    ``reason`` is the why alone, for callers that name the inputs their own way."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = message if reason is None else reason


def new_diffs(num: int) -> SmallDiffs:
    """Arraymancer's ``newDiffs``: room for ``num`` gradients."""
    return [None] * num


def new_parents(num: int) -> Parents:
    """Arraymancer's ``newParents``: room for ``num`` parents."""
    return [None] * num


class Gate:
    """Base operator or layer.

    A subclass implements ``forward(*values)`` on NumPy arrays, saving on ``self`` what
    backward needs, and ``backward(payload) -> SmallDiffs`` returning one gradient per
    parent, in parent order. Calling the gate with Variables (or scalar literals, which
    become constants) runs forward and records a Node on the tape when any input needs a
    gradient and the context is not in no-grad mode. ``needs_grad[i]`` tells backward
    whether parent ``i`` wants a gradient, so it can skip the work and return None; it
    is set before forward runs. A gate instance records one operation: make a new one
    per call.

    Class attributes describe the gate for the registry: ``name`` (set it to register),
    ``arity`` (None for a variable number of inputs), ``multi_output`` (forward returns
    a sequence of arrays, the payload is ``PayloadKind.SEQ``), and ``params``, the JSON
    schema of the constructor's keyword arguments (see :func:`engine.params.params_schema`);
    a registered gate's keyword arguments are checked against it before ``__init__`` runs.
    ``num_grads`` is the number of gradients backward produces, one per parent.
    ``saves_values`` says whether backward reads the values of the inputs or outputs (a
    gate that keeps only shapes or masks sets it False): such a gate records the inputs'
    versions, and backprop refuses once one of them has changed in place.
    ``torch`` is the gate's PyTorch counterpart, None for a gate without one: a Python
    expression as a :meth:`str.format` template, ``{0}``, ``{1}``... the inputs'
    expressions, ``{inputs}`` all of them joined by commas, and each param by its name
    (its schema default when not given). Besides ``torch`` it may call the helpers the
    torch export defines (``const``, ``reduce``, ``maximum``, ``transpose``, ``squeeze``,
    ``index``, ``batch``, ``pair``); the export runs it to check the engine's gradients.
    Raise ValueError from forward for inputs the gate cannot take: the caller sees a
    :class:`GateInputError` naming the gate and the input shapes.

    ``cost(*specs)`` is the gate's shape rule: from the input specs alone it returns a
    :class:`GateCost` (the output specs and the peak bytes of forward) or raises ValueError
    for the inputs forward would refuse; callers use :meth:`infer`, which adds the checks
    and the error messages of ``apply``.
    """

    name: ClassVar[str] = ""
    arity: ClassVar[int | None] = None
    multi_output: ClassVar[bool] = False
    saves_values: ClassVar[bool] = True
    params: ClassVar[dict[str, Any]] = params_schema()
    torch: ClassVar[str | None] = None

    num_grads: int = 0
    needs_grad: tuple[bool, ...] = ()
    recorded: bool = False
    saved_versions: tuple[int, ...] = ()
    changes_before: int = 0  # the context's count of in-place changes when recorded

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__ and cls.name:
            REGISTRY[cls.name] = cls
        if "__init__" in cls.__dict__:
            cls.__init__ = _checked_init(cls.__init__)  # type: ignore[method-assign]

    @property
    def display_name(self) -> str:
        """The name shown for this gate's nodes."""
        return self.name or type(self).__name__

    def forward(self, *values: np.ndarray) -> np.ndarray | Sequence[np.ndarray]:
        """Compute the output value(s) from the input values."""
        raise NotImplementedError(f"{type(self).__name__} does not implement forward")

    def backward(self, payload: Payload) -> SmallDiffs:
        """Return one gradient per parent from the gradient(s) in ``payload``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement backward")

    def cost(self, *specs: TensorSpec) -> GateCost:
        """The output specs and peak forward bytes for inputs of ``specs``; see :meth:`infer`."""
        raise NotImplementedError(f"{type(self).__name__} does not implement cost")

    def infer(self, *specs: TensorSpec) -> GateCost:
        """What forward would produce from inputs of ``specs``, and its peak memory, without data.

        Takes microseconds whatever the shapes, and allocates nothing in proportion to them.
        Raises TypeError for a wrong number of inputs and :class:`GateInputError` for inputs
        forward would refuse for their shapes; checks of values (indices in range, whole
        numbers) are left to forward. The gate can still be applied afterwards.
        """
        _check_arity(self, len(specs))
        try:
            return self.cost(*specs)
        except (ValueError, IndexError, TypeError) as error:
            raise _input_error(self, [spec.shape for spec in specs], error) from error

    def __call__(self, *inputs: Variable | float) -> Any:
        return apply(self, inputs)

    def saved_state(self) -> dict[str, Any]:
        """Everything this gate holds, by attribute: its parameters, what forward saved for
        backward and its bookkeeping. With its registry ``name`` this is the whole gate, so
        it can be stored as data and brought back by :func:`rebuild`."""
        return dict(vars(self))


def rebuild(name: str, state: Mapping[str, Any]) -> Gate:
    """The registered gate ``name`` holding ``state`` (from :meth:`Gate.saved_state`),
    as it stood after forward, without running it again: how a stored tape comes back.
    Raises KeyError for a name the registry does not know."""
    gate_class = REGISTRY.get(name)
    if gate_class is None:
        raise KeyError(f"no gate named {name!r}")
    gate = gate_class.__new__(gate_class)
    vars(gate).update(state)
    return gate


def _checked_init(init: Callable[..., None]) -> Callable[..., None]:
    # Checking keyword arguments against ``params`` here, once for every gate, gives Python
    # callers the errors the backend gets from the same schema, before __init__ runs.
    @functools.wraps(init)
    def checked(self: Gate, *args: Any, **kwargs: Any) -> None:
        if type(self).name:
            check_params(self.display_name, type(self).params, kwargs)
        init(self, *args, **kwargs)

    return checked


class ElementwiseGate(Gate):
    """A one-input elementwise gate: its backward is the output gradient times ``derivative()``.

    Subclasses implement ``forward`` (saving what the derivative needs) and ``derivative``.
    The output has the input's shape and dtype; ``temporaries`` says how many more arrays
    of that size forward holds at its busiest moment.
    """

    arity = 1
    temporaries: ClassVar[int] = 0

    def cost(self, a: TensorSpec) -> GateCost:
        return allocating([a], *[a] * self.temporaries)

    def derivative(self) -> np.ndarray:
        """The derivative of the output with respect to the input, elementwise."""
        raise NotImplementedError(f"{type(self).__name__} does not implement derivative")

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        return [payload.variable.grad * self.derivative()]


def apply(gate: Gate, inputs: Sequence[Variable | float]) -> Any:
    """Run ``gate`` forward on ``inputs`` and record it on the tape when a gradient is needed.

    Returns the output Variable, or a list of them for a ``multi_output`` gate.
    """
    # Every gate of every request and training step passes here: on tiny arrays each
    # helper call, attribute write and temporary costs more than the arithmetic, so the
    # common case (a recorded gate of one output) is written out in a few steps.
    if gate.recorded:
        raise AutogradError(
            f"this {gate.display_name} gate already recorded an operation: make a new gate per call"
        )
    if gate.arity is not None and len(inputs) != gate.arity:
        _check_arity(gate, len(inputs))
    parents, ctx, needs = _inputs(inputs, gate)
    record = not ctx.no_grad and True in needs
    gate.needs_grad = needs if record else (False,) * len(needs)
    gate.num_grads = len(parents)
    result = _forward(gate, parents)
    if gate.multi_output:
        outs = [Variable(ctx, np.asarray(value), record) for value in result]
        payload = Payload(PayloadKind.SEQ, None, outs)
        node = _record(ctx, gate, parents, payload) if record else None
        if ctx.anomalies is not None:
            ctx.anomalies.watch_forward(gate, parents, outs, node)
        return outs
    # Reductions give NumPy scalars; a Variable's value is always an ndarray.
    out = Variable(ctx, result if type(result) is np.ndarray else np.asarray(result), record)
    # The node becomes the payload of its one output.
    node = _record(ctx, gate, parents, out) if record else None
    if ctx.anomalies is not None:
        ctx.anomalies.watch_forward(gate, parents, (out,), node)
    return out


def _check_arity(gate: Gate, count: int) -> None:
    if gate.arity is not None and count != gate.arity:
        raise TypeError(f"{gate.display_name} takes {gate.arity} inputs, got {count}")


def _inputs(
    inputs: Sequence[Variable | float], gate: Gate
) -> tuple[list[Variable], Context, tuple[bool, ...]]:
    """The parents (literals made constants), their context, and which need a gradient."""
    # One or two Variables of one context are nearly every gate: naming their fields spares
    # the generic loops and map-and-tuple, which cost half a microsecond.
    if len(inputs) == 2:
        a, b = inputs
        if type(a) is Variable and type(b) is Variable and a._context is b._context:
            ctx = a._context()
            if ctx is not None:
                needs = a.requires_grad, b.requires_grad
                return [a, b], ctx, _FLAGS.get(needs, needs)
    elif len(inputs) == 1:
        (a,) = inputs
        if type(a) is Variable:
            ctx = a._context()
            if ctx is not None:
                needs = (a.requires_grad,)
                return [a], ctx, _FLAGS.get(needs, needs)
    parents, ctx = _gather(inputs, gate)
    needs = tuple(map(_REQUIRES_GRAD, parents))
    return parents, ctx, _FLAGS.get(needs, needs)


def _forward(gate: Gate, parents: list[Variable]) -> Any:
    # NumPy's own errors do not say which gate failed on which inputs; the backend shows
    # this message to users, so every input problem is reported the same way.
    try:
        if len(parents) == 2:
            a, b = parents
            return gate.forward(a.value, b.value)
        if len(parents) == 1:
            return gate.forward(parents[0].value)
        return gate.forward(*map(_VALUE, parents))
    except (ValueError, IndexError, TypeError) as error:
        raise _input_error(gate, [p.shape for p in parents], error) from error


def _record(ctx: Context, gate: Gate, parents: list[Variable], payload: Payload | Variable) -> Node:
    """Put a node of ``gate`` on the tape and make it the creator of what it produced."""
    node = Node(gate, parents, payload)
    creator = weakref.ref(node)
    if node.kind is ONE_OUTPUT:
        node.variable._creator = creator
    else:
        for out in node.sequence:
            out._creator = creator
    if gate.saves_values:
        if len(parents) == 2:  # named, not mapped, as in _inputs
            a, b = parents
            versions = a.version, b.version
        elif len(parents) == 1:
            versions = (parents[0].version,)
        else:
            versions = tuple(map(_VERSION, parents))
        gate.saved_versions = _FRESH.get(versions, versions)
    gate.changes_before = ctx.changes
    ctx.nodes.append(node)
    gate.recorded = True
    return node


# The flags of which inputs need a gradient, and the versions of fresh inputs, repeat from
# gate to gate: one shared copy of each short tuple keeps them from piling up between the
# garbage collector's passes (what a long forward pass allocates and keeps is what makes
# the collector run, and its full passes walk every object of the process).
_FLAGS = {t: t for n in range(1, 5) for t in itertools.product((False, True), repeat=n)}
_FRESH = {(0,) * n: (0,) * n for n in range(1, 5)}
_REQUIRES_GRAD = operator.attrgetter("requires_grad")
_VALUE = operator.attrgetter("value")
_VERSION = operator.attrgetter("version")


def _input_error(gate: Gate, shapes: list[tuple[int, ...]], error: Exception) -> GateInputError:
    listed = ", ".join(map(str, shapes))
    return GateInputError(f"{gate.display_name} on inputs of shape {listed}: {error}", str(error))


def as_variables(inputs: Sequence[Variable | float], gate: Gate | None = None) -> list[Variable]:
    """Turn scalar literals into constants of the inputs' shared context.

    Raises when no input is a Variable or when Variables of two contexts are mixed;
    ``gate`` only names the operation in those messages.
    """
    return _gather(inputs, gate)[0]


def _gather(
    inputs: Sequence[Variable | float], gate: Gate | None
) -> tuple[list[Variable], Context]:
    parents = list(inputs)
    # The common case first: Variables only, all holding the same reference to their context.
    ref = parents[0]._context if parents and isinstance(parents[0], Variable) else None
    for v in parents:
        if not isinstance(v, Variable) or v._context is not ref:
            return _gather_mixed(parents, gate)
    ctx = ref() if ref is not None else None
    return (parents, ctx) if ctx is not None else _gather_mixed(parents, gate)


def _gather_mixed(
    parents: list[Variable | float], gate: Gate | None
) -> tuple[list[Variable], Context]:
    ref = None
    literals = False
    for v in parents:
        if not isinstance(v, Variable):
            literals = True
        elif ref is None:
            ref = v._context
        elif v._context is not ref and v._context() is not ref():
            raise ValueError(f"{_label(gate)}: cannot mix Variables of different Contexts")
    if ref is None:
        raise TypeError(f"{_label(gate)} needs at least one Variable among its inputs")
    ctx = context_of(ref)
    if literals:
        dtype = next(v for v in parents if isinstance(v, Variable)).dtype
        for i, v in enumerate(parents):
            if not isinstance(v, Variable):
                parents[i] = _constant(_label(gate), ctx, v, dtype)
    return parents, ctx


def _label(gate: Gate | None) -> str:
    return gate.display_name if gate is not None else "a gate"


def _constant(label: str, ctx: Context, literal: Any, dtype: np.dtype) -> Variable:
    number = isinstance(literal, (int, float, np.number)) and not isinstance(literal, bool)
    if not (number or isinstance(literal, np.ndarray)):
        raise TypeError(
            f"{label} inputs must be Variables or numbers, not {type(literal).__name__}"
        )
    return Variable(ctx, np.asarray(literal, dtype=dtype))


def infer(name: str, params: Mapping[str, Any], specs: Sequence[TensorSpec]) -> GateCost:
    """What the registered gate ``name`` with ``params`` would make of inputs of ``specs``.

    :meth:`Gate.infer` for callers that hold names rather than gate instances; raises
    KeyError for an unknown name and the errors of the gate's constructor for bad params.
    """
    gate_class = REGISTRY.get(name)
    if gate_class is None:
        raise KeyError(f"no gate named {name!r}")
    return gate_class(**params).infer(*specs)


def catalog() -> list[dict[str, Any]]:
    """The registry as plain data: name, arity, params schema, one-line doc, multi_output
    and the torch counterpart (None for a gate without one)."""
    return [
        {
            "name": name,
            "arity": cls.arity,
            "params": cls.params,
            # The class's own docstring: getdoc would fall back to Gate's for an undocumented one.
            "doc": inspect.cleandoc(cls.__doc__ or "").partition("\n")[0],
            "multi_output": cls.multi_output,
            "torch": cls.torch,
        }
        for name, cls in sorted(REGISTRY.items())
    ]
