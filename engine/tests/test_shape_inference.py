"""Property tests: every registered gate's ``infer`` agrees with what its forward does.

The inputs and params come from the gradcheck strategies (every registered gate has one),
with each input's dtype drawn from float32 and float64. Every gate application they make
goes through a checked forward that first asks ``infer`` and then compares: the same
output shapes and dtypes, and an estimate at least the bytes forward really allocated for
its outputs and for what it keeps for backward (arrays that are not the inputs' memory).
Perturbed shapes then show that ``infer`` refuses exactly what forward refuses. Last come
``infer``'s own contract (its arity, the gate left usable, the form by name) and examples
of how the cutting gates cut.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
import engine.gate
from engine import REGISTRY, Context, Gate, GateInputError, TensorSpec, Variable
from engine.tests.test_gradcheck_all_gates import CASES, Draw

DTYPES = st.sampled_from([np.float32, np.float64])
_real_forward = engine.gate._forward


def _variables(ctx: Context, inputs: list[Any], draw: Draw) -> list[Variable]:
    """The case's inputs on ``ctx``, each of a drawn dtype; constants stay constants."""
    return [
        ctx.variable(
            x.value if isinstance(x, Variable) else x,
            requires_grad=not isinstance(x, Variable),
            dtype=draw(DTYPES),
        )
        for x in inputs
    ]


@contextmanager
def _forwards_through(check: Callable[[Gate, list[Variable]], Any]) -> Iterator[None]:
    """Route every gate application's forward through ``check`` (which runs the real one)."""
    with mock.patch.object(engine.gate, "_forward", check):
        yield


def _root(array: np.ndarray) -> np.ndarray:
    """The array that owns ``array``'s memory."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _new_bytes(arrays: list[np.ndarray], inputs: list[np.ndarray]) -> int:
    """Bytes of the memory behind ``arrays`` that is not the inputs', each buffer once."""
    owners = {id(root): root for root in map(_root, arrays)}
    return sum(
        root.nbytes
        for root in owners.values()
        if not any(np.may_share_memory(root, x) for x in inputs)
    )


def _saved_arrays(gate: Gate, before: dict[str, Any]) -> list[np.ndarray]:
    """The arrays forward left on the gate for backward (attributes it set or replaced)."""
    return [
        value
        for name, value in vars(gate).items()
        if isinstance(value, np.ndarray) and before.get(name) is not value
    ]


def _checked_forward(gate: Gate, parents: list[Variable]) -> Any:
    cost = gate.infer(*[TensorSpec.of(p) for p in parents])
    before = dict(vars(gate))
    result = _real_forward(gate, parents)
    outputs = [np.asarray(v) for v in result] if gate.multi_output else [np.asarray(result)]
    assert list(cost.outputs) == [TensorSpec.of(out) for out in outputs], gate.display_name
    inputs = [p.value for p in parents]
    measured = _new_bytes(outputs + _saved_arrays(gate, before), inputs)
    assert cost.bytes >= measured, f"{gate.display_name}: {cost.bytes} < {measured}"
    return result


def _run(name: str, data: st.DataObject) -> None:
    fn, inputs = CASES[name](data.draw, name)
    ctx = Context()  # variables hold their context weakly
    fn(*_variables(ctx, inputs, data.draw))


def test_every_registered_gate_has_a_cost_rule() -> None:
    assert [name for name, cls in REGISTRY.items() if cls.cost is Gate.cost] == []


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_infer_gives_the_shapes_dtypes_and_at_least_the_bytes_of_forward(
    name: str, data: st.DataObject
) -> None:
    with _forwards_through(_checked_forward):
        _run(name, data)


def _recorded_calls(name: str, data: st.DataObject) -> list[Any]:
    """Every gate application the case makes: an untouched copy of the gate and its inputs."""
    calls = []

    def record(gate: Gate, parents: list[Variable]) -> Any:
        calls.append((copy.deepcopy(gate), [TensorSpec.of(p) for p in parents]))
        return _real_forward(gate, parents)

    with _forwards_through(record):
        _run(name, data)
    return calls


@st.composite
def _perturbed(draw: Draw, shapes: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """``shapes`` with one of them changed: one size, or one axis more or fewer."""
    shapes = list(shapes)
    i = draw(st.integers(0, len(shapes) - 1))
    shape = list(shapes[i])
    change = draw(st.sampled_from(["size", "drop", "add"] if shape else ["add"]))
    if change == "add":
        shape.insert(draw(st.integers(0, len(shape))), draw(st.integers(1, 2)))
    else:
        axis = draw(st.integers(0, len(shape) - 1))
        if change == "drop":
            del shape[axis]
        else:
            shape[axis] = draw(st.sampled_from([0, 1, 2, 3, shape[axis] + 1]))
    shapes[i] = tuple(shape)
    return shapes


def _outcome(attempt: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", attempt()
    except GateInputError as error:
        return "refused", str(error).partition(": ")[0]


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_infer_refuses_exactly_the_shapes_forward_refuses(name: str, data: st.DataObject) -> None:
    gate, specs = data.draw(st.sampled_from(_recorded_calls(name, data)))
    shapes = data.draw(_perturbed([spec.shape for spec in specs]))
    ctx = Context()
    # Zeros are valid class indices whenever any index is; NumPy's warnings about the
    # logarithm of zero or the mean of nothing say nothing about shapes.
    values = [
        ctx.variable(np.zeros(shape), dtype=spec.dtype)
        for shape, spec in zip(shapes, specs, strict=True)
    ]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        forward = _outcome(lambda: engine.apply(copy.deepcopy(gate), values))
    inferred = _outcome(lambda: gate.infer(*[TensorSpec.of(v) for v in values]))
    assert forward[0] == inferred[0], (gate.display_name, shapes, forward, inferred)
    if forward[0] == "ok":
        outs = forward[1] if isinstance(forward[1], list) else [forward[1]]
        assert list(inferred[1].outputs) == [TensorSpec.of(out) for out in outs]
    else:
        assert forward[1] == inferred[1]


def test_infer_takes_as_many_specs_as_the_gate_takes_inputs() -> None:
    with pytest.raises(TypeError, match=r"^add takes 2 inputs, got 1$"):
        REGISTRY["add"]().infer(TensorSpec((2,)))


def test_infer_leaves_the_gate_as_it_was_before_and_after_forward(ctx: Context) -> None:
    gate = REGISTRY["stack"](axis=-1)
    specs = [TensorSpec((2, 3))] * 2
    before = gate.infer(*specs)
    out = gate(ctx.variable(np.zeros((2, 3))), ctx.variable(np.ones((2, 3))))
    assert before.output == TensorSpec.of(out) == TensorSpec((2, 3, 2))
    assert gate.infer(*[TensorSpec((4,))] * 3).output == TensorSpec((4, 3))


def test_infer_by_name_builds_the_gate_with_its_params() -> None:
    cost = engine.infer("sum", {"axis": 0}, [TensorSpec((2, 3), np.float32)])
    assert cost.output == TensorSpec((3,), np.float32)
    with pytest.raises(KeyError, match="no gate named 'nope'"):
        engine.infer("nope", {}, [])
    with pytest.raises(TypeError, match="sum has no parameter 'axes'"):
        engine.infer("sum", {"axes": 0}, [TensorSpec((2,))])


def test_a_gate_without_a_cost_rule_says_so() -> None:
    class Mystery(Gate):
        arity = 1

    with pytest.raises(NotImplementedError, match=r"^Mystery does not implement cost$"):
        Mystery().infer(TensorSpec((2,)))


@pytest.mark.parametrize(
    ("name", "params", "shape", "pieces"),
    [
        ("split", {"sizes": 2}, (5, 3), [(2, 3), (2, 3), (1, 3)]),
        ("split", {"sizes": [], "axis": 1}, (2, 0), [(2, 0)]),
        ("chunk", {"chunks": 3, "axis": -1}, (2, 7), [(2, 3), (2, 3), (2, 1)]),
        ("chunk", {"chunks": 5}, (3,), [(1,), (1,), (1,)]),
        ("chunk", {"chunks": 2}, (0,), [(0,)]),
        ("unstack", {"axis": 1}, (2, 3), [(2,), (2,), (2,)]),
    ],
)
def test_cuts_give_pieces_of_equal_size_but_the_last(
    ctx: Context, name: str, params: dict[str, Any], shape: tuple[int, ...], pieces: list[Any]
) -> None:
    expected = [TensorSpec(piece, np.float32) for piece in pieces]
    assert list(REGISTRY[name](**params).infer(TensorSpec(shape, np.float32)).outputs) == expected
    outputs = REGISTRY[name](**params)(ctx.variable(np.zeros(shape), dtype="float32"))
    assert [TensorSpec.of(out) for out in outputs] == expected
