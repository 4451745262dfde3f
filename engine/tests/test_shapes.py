"""engine.shapes: specs, costs and shape arithmetic, exact for any size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

from engine.shapes import (
    ARRAY_HEADER_BYTES,
    MAX_DIMS,
    GateCost,
    LazySequence,
    TensorSpec,
    allocating,
    broadcast_buffers,
    broadcast_shapes,
    cast_copies,
    check_addressable,
    loop_buffers,
    reduced_shape,
    reduction_axis,
    result_dtype,
    viewing,
)

F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
BUFSIZE = np.getbufsize()


def test_a_spec_keeps_python_ints_and_a_numpy_dtype() -> None:
    spec = TensorSpec([np.int64(2), 3], "float32")
    assert spec.shape == (2, 3)
    assert all(type(n) is int for n in spec.shape)
    assert spec.dtype == F32
    assert TensorSpec((2,)).dtype == F64


def test_a_spec_refuses_negative_sizes_non_integers_and_no_dtype() -> None:
    with pytest.raises(ValueError, match=r"no negative sizes, got \(2, -1\)"):
        TensorSpec((2, -1))
    with pytest.raises(TypeError):
        TensorSpec((2.0,))
    with pytest.raises(TypeError, match=r"^a spec needs a dtype, not None$"):
        TensorSpec((2,), None)


def test_a_spec_counts_elements_and_bytes_exactly_however_large() -> None:
    spec = TensorSpec((2**40, 2**40), F64)
    assert (spec.ndim, spec.size, spec.nbytes) == (2, 2**80, 2**83)
    assert TensorSpec((), F32).size == 1
    assert TensorSpec((3, 0)).nbytes == 0


def test_a_spec_of_an_array_has_its_shape_and_dtype() -> None:
    assert TensorSpec.of(np.zeros((2, 3), F32)) == TensorSpec((2, 3), F32)
    assert str(TensorSpec((2, 3), F32)) == "(2, 3) float32"


@given(shapes=st.lists(array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3), max_size=3))
def test_broadcast_shapes_agrees_with_numpy(shapes: list[tuple[int, ...]]) -> None:
    try:
        expected = np.broadcast_shapes(*shapes)
    except ValueError:
        with pytest.raises(ValueError, match="cannot be broadcast together"):
            broadcast_shapes(*shapes)
    else:
        assert broadcast_shapes(*shapes) == expected


def test_broadcast_shapes_names_the_shapes_that_do_not_fit() -> None:
    with pytest.raises(
        ValueError, match=r"^shapes \(2, 3\) \(4,\) cannot be broadcast together: 3 ≠ 4 on axis -1$"
    ):
        broadcast_shapes((2, 3), (4,))


def test_broadcast_shapes_of_absurd_sizes_is_exact() -> None:
    assert broadcast_shapes((10**6, 1), (1, 10**6)) == (10**6, 10**6)
    assert broadcast_shapes((2**70, 1, 1), (1, 1, 2**70)) == (2**70, 1, 2**70)


def test_reduced_shape_keeps_or_removes_the_reduced_axes() -> None:
    assert reduced_shape((2, 3, 4), [0, 2], keepdims=False) == (3,)
    assert reduced_shape((2, 3, 4), [0, 2], keepdims=True) == (1, 3, 1)
    assert reduced_shape((2, 3), [], keepdims=False) == (2, 3)


def test_a_reduction_axis_is_read_as_numpy_reads_it() -> None:
    assert reduction_axis(-1, 3) == 2
    assert reduction_axis(0, 0) == reduction_axis(-1, 0) == 0
    with pytest.raises(
        np.exceptions.AxisError, match=r"^axis 1 is out of bounds for array of dimension 0$"
    ):
        reduction_axis(1, 0)
    with pytest.raises(
        np.exceptions.AxisError, match=r"^axis -2 is out of bounds for array of dimension 0$"
    ):
        reduction_axis(-2, 0)


def test_result_dtype_follows_numpy_promotion() -> None:
    assert result_dtype(TensorSpec((), F32), TensorSpec((), F32)) == F32
    assert result_dtype(TensorSpec((), F32), TensorSpec((), F64)) == F64


def test_a_lazy_sequence_makes_its_items_on_demand() -> None:
    made = []
    squares = LazySequence(2**60, lambda i: made.append(i) or i * i)
    assert len(squares) == 2**60
    assert squares[3] == 9
    assert squares[-1] == (2**60 - 1) ** 2
    assert squares[1:4] == [1, 4, 9]
    assert made == [3, 2**60 - 1, 1, 2, 3]
    with pytest.raises(IndexError):
        squares[2**60]


def test_a_lazy_sequence_iterates_and_shows_its_first_item() -> None:
    assert list(LazySequence(3, str)) == ["0", "1", "2"]
    assert repr(LazySequence(5, str)) == "LazySequence(5 items, first 0)"
    assert repr(LazySequence(0, str)) == "LazySequence(0 items)"


def test_a_cost_keeps_its_outputs_as_a_tuple_unless_lazy() -> None:
    spec = TensorSpec((2,))
    assert GateCost([spec], 16).outputs == (spec,)
    lazy = LazySequence(4, lambda _: spec)
    assert GateCost(lazy, 0).outputs is lazy


def test_the_output_of_a_cost_is_its_only_one() -> None:
    spec = TensorSpec((2,))
    assert GateCost([spec], 16).output is spec
    with pytest.raises(ValueError):
        _ = GateCost([spec, spec], 32).output


def test_allocating_counts_outputs_buffers_and_a_header_per_output() -> None:
    out, buffer = TensorSpec((4,), F32), TensorSpec((3,), F64)
    assert allocating([out]).bytes == 16 + ARRAY_HEADER_BYTES
    assert allocating([out, out], buffer).bytes == 32 + 24 + 2 * ARRAY_HEADER_BYTES


def test_viewing_counts_buffers_and_headers_but_not_the_views_data() -> None:
    out, buffer = TensorSpec((1000,)), TensorSpec((3,), F64)
    assert viewing([out]).bytes == ARRAY_HEADER_BYTES
    assert viewing([out, out], buffer).bytes == 24 + 2 * ARRAY_HEADER_BYTES
    assert viewing(LazySequence(2**50, lambda _: out)).bytes == 2**50 * ARRAY_HEADER_BYTES


def test_a_result_may_have_as_many_dimensions_as_numpy_allows_and_no_more() -> None:
    assert allocating([TensorSpec((1,) * MAX_DIMS)]).output.ndim == 64
    with pytest.raises(ValueError, match="the result would have 65 dimensions; NumPy allows 64"):
        allocating([TensorSpec((1,) * (MAX_DIMS + 1))])
    with pytest.raises(ValueError, match="65 dimensions"):
        viewing(LazySequence(3, lambda _: TensorSpec((1,) * (MAX_DIMS + 1))))
    assert viewing([]).outputs == ()


def test_loop_buffers_hold_at_most_numpys_buffer_size_each() -> None:
    assert loop_buffers(TensorSpec((10**9,), F32), 2) == [TensorSpec((BUFSIZE,), F32)] * 2
    assert loop_buffers(TensorSpec((3, 5), F64), 1) == [TensorSpec((15,), F64)]
    assert loop_buffers(TensorSpec((3,)), 0) == []


def test_broadcast_buffers_are_for_operands_broadcast_or_cast() -> None:
    out = TensorSpec((4, 3), F64)
    chunk = TensorSpec((12,), F64)
    assert broadcast_buffers(out, out, out) == []
    assert broadcast_buffers(out, TensorSpec((3,)), out) == [chunk]
    assert broadcast_buffers(out, TensorSpec((4, 3), F32), TensorSpec((4, 1))) == [chunk, chunk]


def test_cast_copies_are_whole_copies_of_the_operands_of_another_dtype() -> None:
    a, b = TensorSpec((2, 3), F32), TensorSpec((3, 4), F64)
    assert cast_copies(F64, a, b) == [TensorSpec((2, 3), F64)]
    assert cast_copies(F32, a, b) == [TensorSpec((3, 4), F32)]
    assert cast_copies(F32, a) == []


@pytest.mark.parametrize(
    "shape",
    [(0, (2**63 - 1) // 8), (0, 2**63 // 8), (0, 2**62, 2**62), (0, 2**63), (3, 4), ()],
)
def test_check_addressable_refuses_exactly_the_shapes_numpy_refuses(shape):
    try:
        np.empty(shape)
    except ValueError:
        with pytest.raises(ValueError, match="too large for NumPy"):
            check_addressable(TensorSpec(shape))
    else:
        check_addressable(TensorSpec(shape))


def test_a_cost_refuses_a_result_numpy_cannot_make_though_it_has_no_elements():
    unmakeable = TensorSpec((0, 2**62, 2**62))
    for cost in (allocating, viewing):
        with pytest.raises(ValueError, match="too large for NumPy"):
            cost([unmakeable])
