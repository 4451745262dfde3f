"""Property tests: every registered gate's ``infer`` agrees with what its forward does.

The inputs and params come from the gradcheck strategies (every registered gate has one),
with each input's dtype drawn from float32 and float64. Every gate application they make
goes through a checked forward that first asks ``infer`` and then compares: the same
output shapes and dtypes, and an estimate at least the bytes forward really allocated for
its outputs and for what it keeps for backward (arrays that are not the inputs' memory).
Perturbed shapes then show that ``infer`` refuses exactly what forward refuses.
"""

from __future__ import annotations

import copy
import re
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
from engine.tests.test_gradcheck_all_gates import BUILDERS, Case, Draw

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


def _run(builder: Callable[[Draw], Case], data: st.DataObject) -> None:
    fn, inputs = builder(data.draw)
    ctx = Context()  # variables hold their context weakly
    fn(*_variables(ctx, inputs, data.draw))


def test_every_registered_gate_has_a_cost_rule() -> None:
    assert [name for name, cls in REGISTRY.items() if cls.cost is Gate.cost] == []


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda builder: builder.__name__.strip("_"))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_infer_gives_the_shapes_dtypes_and_at_least_the_bytes_of_forward(
    builder: Callable[[Draw], Case], data: st.DataObject
) -> None:
    with _forwards_through(_checked_forward):
        _run(builder, data)


def _recorded_calls(builder: Callable[[Draw], Case], data: st.DataObject) -> list[Any]:
    """Every gate application the case makes: an untouched copy of the gate and its inputs."""
    calls = []

    def record(gate: Gate, parents: list[Variable]) -> Any:
        calls.append((copy.deepcopy(gate), [TensorSpec.of(p) for p in parents]))
        return _real_forward(gate, parents)

    with _forwards_through(record):
        _run(builder, data)
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


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda builder: builder.__name__.strip("_"))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_infer_refuses_exactly_the_shapes_forward_refuses(
    builder: Callable[[Draw], Case], data: st.DataObject
) -> None:
    gate, specs = data.draw(st.sampled_from(_recorded_calls(builder, data)))
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


REFUSALS: list[tuple[str, dict[str, Any], list[tuple[int, ...]], str]] = [
    ("matmul", {}, [(), (2,)], "matmul needs inputs of at least one dimension"),
    ("matmul", {}, [(2, 3), (2, 3)], "the last axis of a must match the second-to-last axis of b"),
    ("linear", {}, [(2, 3), (4, 2), (4,)], "x must be (..., in) and weight (out, in)"),
    ("linear", {}, [(), (4, 2), (4,)], "x must be (..., in) and weight (out, in)"),
    ("linear", {}, [(2, 3), (4, 3), (3,)], "bias must be (out,), one entry per row of weight"),
    *[
        ("gru_cell", {}, shapes, reason)
        for reason, shapes in [
            ("x must be (batch, in) and h (batch, hidden) with the same batch", [(2, 3), (1, 4)]),
            ("x must be (batch, in) and h (batch, hidden) with the same batch", [(2,), (2, 4)]),
            ("x must be (batch, in) and h (batch, hidden) with the same batch", [(2, 3), (4,)]),
            ("w_ih must be (3 hidden, in) and w_hh (3 hidden, hidden)", [(2, 3), (2, 4)]),
        ]
        for shapes in [[*shapes, (12, 2), (12, 4), (12,), (12,)]]
    ],
    (
        "gru_cell",
        {},
        [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (4,)],
        "b_ih and b_hh must be (3 hidden,)",
    ),
    (
        "conv2d",
        {},
        [(1, 2, 4, 4), (1, 3, 2, 2), (1,)],
        "weight must be (filters, channels, kh, kw) with x's channel count",
    ),
    (
        "conv2d",
        {},
        [(2, 4, 4), (1, 2, 2, 2), (1,)],
        "weight must be (filters, channels, kh, kw) with x's channel count",
    ),
    (
        "conv2d",
        {},
        [(1, 2, 4, 4), (2, 2, 2), (1,)],
        "weight must be (filters, channels, kh, kw) with x's channel count",
    ),
    ("conv2d", {}, [(1, 2, 4, 4), (1, 2, 2, 2), (2,)], "bias must be (filters,)"),
    (
        "conv2d",
        {"padding": [0, 1]},
        [(1, 1, 4, 4), (1, 1, 5, 5), (1,)],
        "the kernel (5, 5) is larger than the padded input",
    ),
    (
        "maxpool2d",
        {"kernel_size": 2},
        [(4, 4)],
        "the input must be (batch, channels, height, width)",
    ),
    (
        "maxpool2d",
        {"kernel_size": 4, "padding": [0, 2]},
        [(1, 1, 4, 1)],
        "the padding (0, 2) is larger than the input (4, 1)",
    ),
    ("embedding", {}, [(3,), (4,)], "weight must be (vocabulary, dim)"),
    ("embedding", {}, [(3,), (0, 2)], "indices must lie in [0, 0)"),
    ("mse_loss", {}, [(2, 3), (3, 2)], "both inputs must have the same shape"),
    ("sigmoid_cross_entropy", {}, [(), ()], "logits need a batch axis and at least one element"),
    (
        "sigmoid_cross_entropy",
        {},
        [(2, 0), (2, 0)],
        "logits need a batch axis and at least one element",
    ),
    (
        "softmax_cross_entropy",
        {},
        [(0, 3), (0, 3)],
        "class scores need at least one axis and one element",
    ),
    (
        "sparse_softmax_cross_entropy",
        {},
        [(2, 3), (3,)],
        "targets must have the logits' shape without the class axis",
    ),
    (
        "sparse_softmax_cross_entropy",
        {},
        [(), ()],
        "targets must have the logits' shape without the class axis",
    ),
    (
        "sparse_softmax_cross_entropy",
        {},
        [(0, 3), (0,)],
        "class scores need at least one axis and one element",
    ),
    ("max", {"axis": 1}, [(2, 0)], "attempt to get argmax of an empty sequence"),
    (
        "softmax",
        {"axis": 0},
        [(0, 2)],
        "zero-size array to reduction operation maximum which has no identity",
    ),
    (
        "flatten",
        {"start_axis": -1, "end_axis": 0},
        [(2, 3)],
        "start_axis -1 comes after end_axis 0",
    ),
    (
        "squeeze",
        {"axis": [1]},
        [(1, 2)],
        "cannot select an axis to squeeze out which has size not equal to one",
    ),
    ("transpose", {"axes": [0]}, [(1, 2)], "axes don't match array"),
    ("concat", {}, [(), ()], "zero-dimensional arrays cannot be concatenated"),
    ("stack", {}, [(2,), (3,)], "all input arrays must have the same shape"),
    ("reshape", {"shape": [-1, -1]}, [(4,)], "can only specify one unknown dimension"),
    ("split", {"sizes": [1, 1]}, [(3,)], "sizes [1, 1] do not add up to the axis length 3"),
    (
        "getitem",
        {"index": ["...", "..."]},
        [(3,)],
        "an index can only have a single ellipsis ('...')",
    ),
    (
        "getitem",
        {"index": [0, 0]},
        [(3,)],
        "too many indices for array: array is 1-dimensional, but 2 were indexed",
    ),
    (
        "getitem",
        {"index": [{}, [0, -4]]},
        [(2, 3)],
        "index -4 is out of bounds for axis 1 with size 3",
    ),
    ("getitem", {"index": [{}, 3]}, [(2, 3)], "index 3 is out of bounds for axis 1 with size 3"),
    (
        "conv2d",
        {},
        [(2, 4, 4), (1, 4, 2, 2), (1,)],
        "weight must be (filters, channels, kh, kw) with x's channel count",
    ),
    ("squeeze", {"axis": 1}, [()], "axis 1 is out of bounds for array of dimension 0"),
    ("softmax", {"axis": -2}, [()], "axis -2 is out of bounds for array of dimension 0"),
]
"""Shapes each gate refuses, with the reason forward gives in the same words."""


@pytest.mark.parametrize(("name", "params", "shapes", "reason"), REFUSALS)
def test_infer_refuses_with_the_words_of_forward(
    ctx: Context, name: str, params: dict[str, Any], shapes: list[tuple[int, ...]], reason: str
) -> None:
    listed = ", ".join(map(str, shapes))
    with pytest.raises(GateInputError) as inferred:
        REGISTRY[name](**params).infer(*map(TensorSpec, shapes))
    assert str(inferred.value) == f"{name} on inputs of shape {listed}: {reason}"
    values = [ctx.variable(np.zeros(shape)) for shape in shapes]
    with pytest.raises(GateInputError) as refused:
        engine.apply(REGISTRY[name](**params), values)
    assert str(refused.value) == str(inferred.value)


@pytest.mark.parametrize(
    ("name", "params", "shapes", "reason"),
    [
        (
            "concat",
            {},
            [(2, 1), (3, 2)],
            "the inputs must have the same size on every axis but the joined one",
        ),
        (
            "concat",
            {"axis": 1},
            [(2, 1, 4), (2, 3, 5)],
            "the inputs must have the same size on every axis but the joined one",
        ),
        ("reshape", {"shape": [4, 2]}, [(6,)], "cannot reshape array of size 6 into shape (4, 2)"),
        (
            "reshape",
            {"shape": [0, -1]},
            [(0,)],
            "cannot reshape array of size 0 into shape (0, -1)",
        ),
        (
            "unsqueeze",
            {"axis": 0},
            [(1,) * 64],
            "the result would have 65 dimensions; NumPy allows 64",
        ),
    ],
)
def test_infer_refuses_where_forward_does_in_its_own_words(
    ctx: Context, name: str, params: dict[str, Any], shapes: list[tuple[int, ...]], reason: str
) -> None:
    listed = ", ".join(map(str, shapes))
    with pytest.raises(
        GateInputError, match="^" + re.escape(f"{name} on inputs of shape {listed}: {reason}") + "$"
    ):
        REGISTRY[name](**params).infer(*map(TensorSpec, shapes))
    with pytest.raises(GateInputError):
        engine.apply(REGISTRY[name](**params), [ctx.variable(np.zeros(shape)) for shape in shapes])


def test_a_join_of_nothing_is_refused() -> None:
    with pytest.raises(
        GateInputError, match=r"^stack on inputs of shape : at least one input is needed$"
    ):
        REGISTRY["stack"]().infer()


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
