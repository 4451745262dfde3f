"""Shape gates: they move values and gradients without arithmetic."""

import numpy as np
import pytest

import engine
from engine import Context, GateInputError, PayloadKind
from engine.tests.errors import raises_exactly


@pytest.fixture
def x(ctx: Context) -> engine.Variable:
    return ctx.variable(np.arange(6.0).reshape(2, 3), requires_grad=True)


def test_reshape_and_gradient_back(x: engine.Variable) -> None:
    y = engine.reshape(x, 3, -1)
    assert y.value.tolist() == [[0, 1], [2, 3], [4, 5]]
    y.backprop(np.arange(6.0).reshape(3, 2) * 10)
    assert x.grad.tolist() == [[0, 10, 20], [30, 40, 50]]


def test_reshape_to_an_impossible_shape_names_the_gate(x: engine.Variable) -> None:
    with pytest.raises(GateInputError, match=r"reshape on inputs of shape \(2, 3\).*size 6"):
        engine.reshape(x, 4, 2)


def test_flatten_merges_a_range_of_axes(ctx: Context) -> None:
    v = ctx.variable(np.zeros((2, 3, 4, 5)), requires_grad=True)
    assert engine.flatten(v).shape == (120,)
    assert engine.flatten(v, 1).shape == (2, 60)
    y = engine.flatten(v, 1, 2)
    assert y.shape == (2, 12, 5)
    y.backprop()
    assert v.grad.shape == (2, 3, 4, 5)


def test_flatten_of_a_scalar_is_one_element(ctx: Context) -> None:
    v = ctx.variable(3.0, requires_grad=True)
    y = engine.flatten(v)
    assert y.value.tolist() == [3.0]
    y.backprop(np.array([2.0]))
    assert v.grad.shape == () and v.grad == 2.0


def test_flatten_refuses_a_start_after_the_end(ctx: Context) -> None:
    with raises_exactly(
        GateInputError,
        "flatten on inputs of shape (2, 3, 4): start_axis 2 comes after end_axis 1",
    ):
        engine.flatten(ctx.variable(np.zeros((2, 3, 4))), 2, 1)


def test_transpose_and_its_inverse_permutation(ctx: Context) -> None:
    v = ctx.variable(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    y = engine.transpose(v, [2, 0, 1])
    assert y.shape == (4, 2, 3) and y.value[3, 1, 2] == v.value[1, 2, 3]
    seed = np.zeros((4, 2, 3))
    seed[3, 1, 2] = 1.0
    y.backprop(seed)
    assert v.grad[1, 2, 3] == 1.0 and v.grad.sum() == 1.0


def test_transpose_rejects_a_non_permutation(x: engine.Variable) -> None:
    with pytest.raises(
        GateInputError, match=r"transpose on inputs of shape \(2, 3\): repeated axis"
    ):
        engine.transpose(x, [0, 0])
    with pytest.raises(GateInputError, match="axes don't match"):
        engine.transpose(x, [0])


def test_squeeze_and_unsqueeze(ctx: Context) -> None:
    v = ctx.variable(np.ones((1, 3, 1)), requires_grad=True)
    assert engine.squeeze(v).shape == (3,)
    assert engine.squeeze(v, [0]).shape == (3, 1)
    y = engine.unsqueeze(engine.squeeze(v, 2), -1)
    assert y.shape == (1, 3, 1)
    y.backprop()
    assert v.grad.shape == (1, 3, 1)
    with pytest.raises(GateInputError, match="squeeze"):
        engine.squeeze(v, 1)


def test_concat_splits_the_gradient_back(ctx: Context) -> None:
    a = ctx.variable([[1.0, 2.0]], requires_grad=True)
    b = ctx.variable([[3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    c = engine.concat(a, b, axis=0)
    assert c.value.tolist() == [[1, 2], [3, 4], [5, 6]]
    c.backprop(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    assert a.grad.tolist() == [[1, 2]] and b.grad.tolist() == [[3, 4], [5, 6]]


def test_stack_adds_an_axis(ctx: Context) -> None:
    a = ctx.variable([1.0, 2.0], requires_grad=True)
    b = ctx.variable([3.0, 4.0], requires_grad=True)
    s = engine.stack(a, b, axis=1)
    assert s.value.tolist() == [[1, 3], [2, 4]]
    s.backprop(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert a.grad.tolist() == [1, 3] and b.grad.tolist() == [2, 4]


def test_concat_of_mismatched_shapes_names_the_gate(ctx: Context) -> None:
    with pytest.raises(GateInputError, match=r"concat on inputs of shape \(2,\), \(2, 2\)"):
        engine.concat(ctx.variable([1.0, 2.0]), ctx.variable(np.ones((2, 2))))


def test_split_is_multi_output_and_unused_pieces_get_zeros(ctx: Context) -> None:
    v = ctx.variable(np.arange(5.0), requires_grad=True)
    pieces = engine.split(v, [2, 3])
    assert [p.value.tolist() for p in pieces] == [[0, 1], [2, 3, 4]]
    assert pieces[0].creator.payload.kind is PayloadKind.SEQ
    (pieces[1] * 2.0).sum().backprop()
    assert v.grad.tolist() == [0, 0, 2, 2, 2]


def test_concat_and_stack_refuse_to_join_nothing() -> None:
    # engine.concat() already needs a Variable; a gate's own forward says why it cannot.
    for name in ("concat", "stack"):
        with raises_exactly(ValueError, "at least one input is needed"):
            engine.REGISTRY[name]().forward()


def test_split_along_another_axis(x: engine.Variable) -> None:
    pieces = engine.split(x, [1, 2], axis=1)
    assert [p.value.tolist() for p in pieces] == [[[0], [3]], [[1, 2], [4, 5]]]


def test_split_by_size_leaves_a_shorter_last_piece(ctx: Context) -> None:
    v = ctx.variable(np.arange(5.0))
    assert [p.shape for p in engine.split(v, 2)] == [(2,), (2,), (1,)]
    with pytest.raises(GateInputError, match="do not add up"):
        engine.split(v, [2, 2])


def test_chunk_makes_near_equal_pieces(ctx: Context) -> None:
    v = ctx.variable(np.zeros((2, 7)), requires_grad=True)
    pieces = engine.chunk(v, 3, axis=1)
    assert [p.shape for p in pieces] == [(2, 3), (2, 3), (2, 1)]
    pieces[2].backprop()
    assert v.grad[:, 6].tolist() == [1.0, 1.0] and v.grad.sum() == 2.0


def test_chunk_into_as_many_pieces_as_elements_gives_one_each(ctx: Context) -> None:
    v = ctx.variable(np.arange(3.0))
    assert [p.value.tolist() for p in engine.chunk(v, 3)] == [[0.0], [1.0], [2.0]]
    assert len(engine.chunk(v, 5)) == 3  # as torch.chunk: fewer pieces than asked


def test_unstack_removes_the_axis(ctx: Context) -> None:
    v = ctx.variable([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    cols = engine.unstack(v, axis=1)
    assert [c.value.tolist() for c in cols] == [[1, 3], [2, 4]]
    (cols[0] * 5.0 + cols[1]).sum().backprop()
    assert v.grad.tolist() == [[5, 1], [5, 1]]
