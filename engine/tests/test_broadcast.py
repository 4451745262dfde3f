"""unbroadcast: summing a gradient back to the shape a parent had before broadcasting."""

import numpy as np

from engine.broadcast import shape_pair, unbroadcast


def test_same_shape_is_returned_as_is() -> None:
    grad = np.ones((2, 3))
    assert unbroadcast(grad, (2, 3)) is grad


def test_added_leading_axes_are_summed_away() -> None:
    assert unbroadcast(np.ones((4, 2, 3)), (2, 3)).tolist() == [[4.0] * 3] * 2
    assert unbroadcast(np.ones((2, 3)), ()) == 6.0


def test_stretched_axes_are_summed_keeping_size_one() -> None:
    grad = np.arange(6.0).reshape(2, 3)
    assert unbroadcast(grad, (2, 1)).tolist() == [[3.0], [12.0]]
    assert unbroadcast(grad, (1, 3)).tolist() == [[3.0, 5.0, 7.0]]
    assert unbroadcast(np.ones((5, 2, 3)), (1, 3)).tolist() == [[10.0, 10.0, 10.0]]


def test_shape_pair_is_the_pair_and_shared_once_seen() -> None:
    first = shape_pair((2, 3), (1, 3))
    again = shape_pair(tuple([2, 3]), tuple([1, 3]))  # equal shapes, other tuple objects
    assert first == ((2, 3), (1, 3))
    assert again is first
    assert shape_pair((3,), (2, 3)) == ((3,), (2, 3))


def test_a_bias_gradient_summed_by_a_dot_product_equals_the_reduction() -> None:
    grad = np.random.default_rng(0).standard_normal((32, 16)).astype(np.float32)
    for shape in [(1, 16), (16,)]:
        summed = unbroadcast(grad, shape)
        assert summed.shape == shape and summed.dtype == np.float32
        np.testing.assert_allclose(summed.reshape(-1), grad.sum(axis=0), rtol=1e-5)


def test_both_added_and_stretched_axes_of_a_matrix_are_summed() -> None:
    grad = np.arange(6.0).reshape(2, 3)
    assert unbroadcast(grad, (1,)).tolist() == [15.0]
    assert unbroadcast(grad, ()) == 15.0


def test_tall_and_integer_gradients_take_the_reduction() -> None:
    tall = np.ones((5000, 2), dtype=np.float32)
    assert unbroadcast(tall, (1, 2)).tolist() == [[5000.0, 5000.0]]
    assert unbroadcast(np.ones((3, 2), dtype=np.int64), (2,)).tolist() == [3, 3]


def test_the_same_shapes_give_the_same_sums_the_second_time() -> None:
    grad = np.arange(6.0).reshape(2, 3)
    first = unbroadcast(grad, (2, 1)).tolist()
    assert unbroadcast(grad, (2, 1)).tolist() == first == [[3.0], [12.0]]
