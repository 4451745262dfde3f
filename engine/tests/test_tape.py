"""The tape: Context, Payload, no_grad_mode and backprop with Arraymancer's semantics."""

import gc
import sys
import weakref

import numpy as np
import pytest

import engine
from engine import (
    AutogradError,
    Context,
    Node,
    Payload,
    PayloadKind,
    Variable,
    new_diffs,
    new_parents,
    no_grad_mode,
)
from engine.tape import NOT_TRACED_MESSAGE, _private_refs
from engine.tests.errors import raises_exactly

EMPTIED_TAPE_MESSAGE = (
    "The operations that produced this variable are no longer on the tape: "
    "backprop empties the tape, so run the forward pass again before a second backprop."
)
DEAD_CONTEXT_MESSAGE = (
    "This variable's Context no longer exists: a Variable holds only a weak reference "
    "to its Context, so keep the Context alive while you use its variables."
)


def test_context_starts_empty_and_tracing() -> None:
    ctx = Context()
    assert ctx.nodes == []
    assert ctx.no_grad is False


def test_variable_accepts_arrays_lists_and_scalars_as_float64(ctx: Context) -> None:
    assert ctx.variable(np.arange(3)).value.dtype == np.float64
    assert ctx.variable([[1, 2], [3, 4]]).shape == (2, 2)
    assert ctx.variable(2.5).value.shape == ()


def test_variable_is_float32_on_request(ctx: Context) -> None:
    v = ctx.variable([1.0, 2.0], requires_grad=True, name="w", dtype="float32")
    assert v.value.dtype == np.float32
    assert (v.name, v.requires_grad) == ("w", True)
    assert v.grad.dtype == np.float32


def test_variable_rejects_other_dtypes(ctx: Context) -> None:
    with pytest.raises(TypeError, match="float64 or float32"):
        ctx.variable([1, 2], dtype=np.int64)


def test_variable_copies_the_value_it_is_given(ctx: Context) -> None:
    source = np.ones(2)
    v = ctx.variable(source)
    source[0] = 5
    assert v.value[0] == 1


def test_operations_are_recorded_only_when_a_gradient_is_needed(ctx: Context) -> None:
    a, b = ctx.variable(1.0), ctx.variable(2.0, requires_grad=True)
    constant = a * a
    assert ctx.nodes == [] and not constant.requires_grad
    tracked = a * b
    assert len(ctx.nodes) == 1 and tracked.requires_grad
    node = ctx.nodes[0]
    assert node.parents == [a, b] and node.payload.variable is tracked and node.on_tape
    assert tracked.creator is node


def test_duplicate_parents_are_kept_in_order(ctx: Context) -> None:
    x = ctx.variable(3.0, requires_grad=True)
    y = x * x
    assert y.creator.parents == [x, x]
    y.backprop()
    assert x.grad == 6.0


def test_payload_wraps_one_variable_or_a_sequence(ctx: Context) -> None:
    a, b = ctx.variable(1.0), ctx.variable(2.0)
    single, several = Payload.of(a), Payload.of([a, b])
    assert single.kind is PayloadKind.VAR and single.outputs == [a]
    assert several.kind is PayloadKind.SEQ and several.outputs == [a, b]


def test_multi_output_gates_record_a_sequence_payload(ctx: Context) -> None:
    x = ctx.variable(np.arange(4.0), requires_grad=True)
    pieces = engine.split(x, 2)
    payload = pieces[0].creator.payload
    assert payload.kind is PayloadKind.SEQ and payload.sequence == pieces


def test_new_diffs_and_new_parents_make_room() -> None:
    assert new_diffs(3) == [None, None, None]
    assert new_parents(2) == [None, None]


def test_no_grad_mode_records_nothing(ctx: Context) -> None:
    x = ctx.variable(2.0, requires_grad=True)
    with no_grad_mode(ctx):
        y = x * x + x
        assert not x.is_grad_needed()
    assert ctx.nodes == [] and not y.requires_grad
    assert x.is_grad_needed()


def test_no_grad_mode_restores_state_on_exception(ctx: Context) -> None:
    with pytest.raises(RuntimeError), no_grad_mode(ctx):
        raise RuntimeError("boom")
    assert ctx.no_grad is False


def test_nested_no_grad_mode_restores_the_outer_state(ctx: Context) -> None:
    with no_grad_mode(ctx):
        with no_grad_mode(ctx):
            assert ctx.no_grad
        assert ctx.no_grad
    assert not ctx.no_grad


def test_backprop_seeds_ones_and_empties_the_tape(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    node = y.creator
    y.backprop()
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])
    assert ctx.nodes == []
    # A bool, not merely falsy: the backend publishes it as a JSON boolean.
    assert node.on_tape is False and y.creator is node


def test_backprop_frees_the_nodes_it_pops(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    node = weakref.ref(y.creator)
    y.backprop()
    # No cycle holds the popped node: it is gone at once, without the cycle collector.
    assert node() is None and y.creator is None
    assert y.has_creator() and not x.has_creator()


def test_backprop_uses_an_explicit_seed(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    (x * 3.0).backprop(np.array([1.0, -2.0]))
    np.testing.assert_array_equal(x.grad, [3.0, -6.0])


def test_a_seed_of_another_dtype_gives_gradients_of_the_variables_dtype(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True, dtype="float32")
    y = x * 3.0
    y.backprop(np.array([1.0, -2.0], dtype=np.float64))
    assert y.grad.dtype == np.float32 and x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [3.0, -6.0])


def test_backprop_rejects_a_seed_of_the_wrong_shape(ctx: Context) -> None:
    y = ctx.variable([1.0, 2.0], requires_grad=True) * 2.0
    with pytest.raises(ValueError, match="seed gradient has shape"):
        y.backprop(np.ones(3))


def test_backprop_discards_nodes_recorded_after_the_variable(ctx: Context) -> None:
    x = ctx.variable(2.0, requires_grad=True)
    y = x * 3.0
    later = y * 5.0
    discarded = later.creator
    y.backprop()
    assert x.grad == 3.0
    assert later.raw_grad is None and discarded.on_tape is False
    assert ctx.nodes == []


def _stepped_once_from_the_end(ctx: Context) -> tuple[Variable, Variable, Node]:
    """x = 2, y = 3x, u = 5y, w = 7u, then one step of backprop from w: u holds 7 on the tape."""
    x = ctx.variable(2.0, requires_grad=True)
    y = x * 3.0
    u = y * 5.0
    w = u * 7.0
    next(w.backprop_steps())
    assert u.grad == 7.0 and [node.payload.variable for node in ctx.nodes] == [y, u]
    return x, y, u.creator


def test_backprop_ignores_gradients_waiting_in_the_discarded_nodes(ctx: Context) -> None:
    x, y, discarded = _stepped_once_from_the_end(ctx)
    y.backprop()
    # dy/dx = 3. Walking u's node too would add 7 * 5 to y.grad and give x.grad = 3 * 36.
    assert y.grad == 1.0 and x.grad == 3.0
    assert ctx.nodes == [] and discarded.on_tape is False


def test_backprop_steps_neither_walk_nor_report_the_discarded_nodes(ctx: Context) -> None:
    x, y, discarded = _stepped_once_from_the_end(ctx)
    steps = list(y.backprop_steps())
    assert [step.node for step in steps] == [y.creator]
    assert y.grad == 1.0 and x.grad == 3.0
    assert ctx.nodes == [] and discarded.on_tape is False


def test_gradients_accumulate_across_backprops_until_zero_grad(ctx: Context) -> None:
    x = ctx.variable(2.0, requires_grad=True)
    (x * 3.0).backprop()
    (x * 4.0).backprop()
    assert x.grad == 7.0
    x.zero_grad()
    assert x.grad == 0.0
    (x * 4.0).backprop()
    assert x.grad == 4.0


def test_backprop_on_a_variable_needing_no_grad_raises_arraymancer_error(ctx: Context) -> None:
    v = ctx.variable(1.0) * 2.0
    with pytest.raises(AutogradError) as error:
        v.backprop()
    assert str(error.value) == NOT_TRACED_MESSAGE


def test_second_backprop_through_an_emptied_tape_raises(ctx: Context) -> None:
    y = ctx.variable(1.0, requires_grad=True) * 2.0
    kept = y * 1.0
    kept_node = kept.creator
    y.backprop()
    with raises_exactly(AutogradError, EMPTIED_TAPE_MESSAGE):
        y.backprop()  # its node is gone
    with raises_exactly(AutogradError, EMPTIED_TAPE_MESSAGE):
        kept.backprop()  # its node still exists, off the tape
    assert not kept_node.on_tape


def test_backprop_on_a_leaf_only_sets_its_grad(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    other = ctx.variable(1.0, requires_grad=True) * 2.0
    x.backprop()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])
    assert len(ctx.nodes) == 1 and other.raw_grad is None


def test_backward_computes_no_gradient_for_parents_needing_none(ctx: Context) -> None:
    seen = []

    class Spy(engine.Gate):
        def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return a * b

        def backward(self, payload: Payload) -> list:
            seen.append(self.needs_grad)
            grad = payload.variable.grad
            return [grad if need else None for need in self.needs_grad]

    Spy()(ctx.variable(1.0, requires_grad=True), ctx.variable(2.0)).backprop()
    assert seen == [(True, False)]


def test_backprop_steps_report_what_each_step_added(ctx: Context) -> None:
    x = ctx.variable(2.0, requires_grad=True)
    c = ctx.variable(5.0)
    y = x * c
    z = y + x
    steps = list(z.backprop_steps())
    assert [s.node for s in steps] == [z.creator, y.creator]
    assert [float(d) for d in steps[0].diffs] == [1.0, 1.0]
    assert float(steps[1].diffs[0]) == 5.0 and steps[1].diffs[1] is None
    assert x.grad == 6.0


def test_each_step_shows_the_gradient_flowing_in_and_the_running_sums(ctx: Context) -> None:
    """z = x * c + x at x = 2, c = 5: x is reached twice, 1 then 5, and accumulates 1 → 6."""
    x = ctx.variable(2.0, requires_grad=True)
    c = ctx.variable(5.0)
    y = x * c
    z = y + x
    seen = []
    for step in z.backprop_steps():
        upstream = [None if g is None else float(g) for g in step.upstream]
        running = [None if g is None else float(g) for g in step.accumulated]
        seen.append((upstream, running))
    # add: dz flows in as 1; y and x each receive 1.
    # mul: dy flows in as 1; x receives c = 5 on top of its 1, c (a constant) nothing.
    assert seen == [([1.0], [1.0, 1.0]), ([1.0], [6.0, None])]


def test_backprop_steps_check_before_iterating(ctx: Context) -> None:
    with pytest.raises(AutogradError):
        (ctx.variable(1.0) * 2.0).backprop_steps()


def test_stopping_backprop_steps_early_leaves_the_rest_on_the_tape(ctx: Context) -> None:
    x = ctx.variable(2.0, requires_grad=True)
    z = (x * 3.0) * 4.0
    steps = z.backprop_steps()
    next(steps)
    assert len(ctx.nodes) == 1


def test_mixing_contexts_raises(ctx: Context) -> None:
    other = Context()
    with pytest.raises(ValueError, match="different Contexts"):
        ctx.variable(1.0) + other.variable(2.0)


def test_a_variable_does_not_keep_its_context_alive() -> None:
    ctx = Context()
    x = ctx.variable(1.0, requires_grad=True)
    y = x * 2.0
    ref = weakref.ref(ctx)
    del ctx
    gc.collect()
    assert ref() is None
    with raises_exactly(AutogradError, DEAD_CONTEXT_MESSAGE):
        y.backprop()
    with raises_exactly(AutogradError, DEAD_CONTEXT_MESSAGE):
        x + 1.0


def test_a_backward_returning_the_wrong_number_of_gradients_raises(ctx: Context) -> None:
    class Broken(engine.Gate):
        def forward(self, a: np.ndarray) -> np.ndarray:
            return a

        def backward(self, payload: Payload) -> list:
            return [payload.variable.grad, payload.variable.grad]

    with pytest.raises(AutogradError, match="returned 2 gradients for 1 parents"):
        Broken()(ctx.variable(1.0, requires_grad=True)).backprop()


def test_a_backward_may_return_a_plain_number_for_a_scalar_parent(ctx: Context) -> None:
    class Triple(engine.Gate):
        def forward(self, a: np.ndarray) -> np.ndarray:
            return a * 3

        def backward(self, payload: Payload) -> list:
            return [float(payload.variable.grad) * 3]

    x = ctx.variable(2.0, requires_grad=True)
    Triple()(x).backprop()
    assert x.grad == 3.0 and isinstance(x.grad, np.ndarray)


def test_a_multi_output_node_whose_outputs_went_unused_is_skipped(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    engine.split(x, 1)  # recorded, then nothing uses the pieces
    y = (x * 2.0).sum()
    y.backprop()
    assert x.grad.tolist() == [2.0, 2.0] and ctx.nodes == []


def test_the_private_reference_count_is_measured_on_an_array_held_by_one_name() -> None:
    # Fresh gradients are adopted without a copy only at this count; were it too high, an
    # array a gate hands to two parents would be adopted by both, and the parents would
    # share one gradient (test_gradients_given_to_two_parents_are_separate_arrays).
    array = np.empty(0)
    assert _private_refs() == sys.getrefcount(array)


def test_a_backward_returning_a_gradient_of_the_wrong_shape_raises(ctx: Context) -> None:
    class Broken(engine.Gate):
        def forward(self, a: np.ndarray) -> np.ndarray:
            return a

        def backward(self, payload: Payload) -> list:
            return [np.ones(5)]

    with pytest.raises(
        AutogradError, match=r"gradient of shape \(5,\) for a parent of shape \(2,\)"
    ):
        Broken()(ctx.variable([1.0, 2.0], requires_grad=True)).backprop()


def test_gradients_given_to_two_parents_are_separate_arrays(ctx: Context) -> None:
    a = ctx.variable([1.0, 2.0], requires_grad=True)
    b = ctx.variable([3.0, 4.0], requires_grad=True)
    s = a + b
    s.backprop()
    a.grad[0] = 100.0
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    np.testing.assert_array_equal(s.grad, [1.0, 1.0])


def test_fresh_gradients_are_adopted_without_a_copy(ctx: Context) -> None:
    made = []

    class Fresh(engine.Gate):
        def forward(self, a: np.ndarray) -> np.ndarray:
            return a * 2

        def backward(self, payload: Payload) -> list:
            grad = payload.variable.grad * 2
            made.append(weakref.ref(grad))
            return [grad]

    x = ctx.variable([1.0], requires_grad=True)
    Fresh()(x).backprop()
    assert made[0]() is x.grad


def test_a_reported_step_gradient_is_not_changed_by_later_accumulation(ctx: Context) -> None:
    x = ctx.variable(1.0, requires_grad=True)
    y = (x * 2.0) + (x * 3.0)
    steps = list(y.backprop_steps())
    assert [float(s.diffs[0]) for s in steps[1:]] == [3.0, 2.0]
    assert x.grad == 5.0


def test_a_node_is_its_own_payload(ctx: Context) -> None:
    a = ctx.variable([1.0, 2.0], requires_grad=True)
    y = a * 2.0
    node = y.creator
    assert node.payload is node and node.kind is PayloadKind.VAR and node.variable is y
    assert node.payload.outputs == [y]


def test_a_node_made_from_a_payload_holds_its_fields(ctx: Context) -> None:
    a, b = ctx.variable(1.0), ctx.variable(2.0)
    gate = engine.gates.arithmetic.AddGate()
    node = Node(gate, [a], Payload.of([a, b]), on_tape=False)
    assert node.kind is PayloadKind.SEQ and node.outputs == [a, b] and not node.on_tape
    node.payload = Payload.of(b)  # as a pickle of a node from before the fold loads
    assert node.kind is PayloadKind.VAR and node.variable is b and node.sequence == ()


def test_nodes_are_equal_only_to_themselves(ctx: Context) -> None:
    a = ctx.variable(1.0, requires_grad=True)
    gate = engine.gates.arithmetic.AddGate()
    first, second = Node(gate, [a], a), Node(gate, [a], a)
    assert first == first and first != second and len({first, second}) == 2


class _Passes(engine.Gate):
    """Doubles its input; keeps each gradient it receives, and a weak reference to each it makes
    (a strong one would make the tape copy it)."""

    def __init__(self, made: list, received: list) -> None:
        self.made, self.received = made, received

    def forward(self, a: np.ndarray) -> np.ndarray:
        return a * 2

    def backward(self, payload: Payload) -> list:
        self.received.append(payload.variable.grad)
        grad = payload.variable.grad * 2
        self.made.append(weakref.ref(grad))
        return [grad]


def test_a_gradient_passed_on_by_add_is_not_copied_when_no_one_can_see_it(ctx: Context) -> None:
    made: list = []
    received: list = []
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    _Passes(made, received)(_Passes(made, received)(x) + 1.0).backprop()
    # The outer gate's gradient went through the unnamed sum to the inner gate as it was.
    assert received[1] is made[0]()
    assert x.grad.tolist() == [4.0, 4.0]


def test_a_gradient_passed_on_is_copied_when_its_variable_is_kept(ctx: Context) -> None:
    made: list = []
    received: list = []
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    total = _Passes(made, received)(x) + 1.0
    _Passes(made, received)(total).backprop()
    assert total.grad is made[0]() and received[1] is not total.grad
    received[1][0] = 100.0  # the inner gate's copy: the kept sum's gradient is its own
    assert total.grad.tolist() == [2.0, 2.0]


def test_a_gradient_passed_on_to_two_parents_is_copied_for_the_second(ctx: Context) -> None:
    made: list = []
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    y = ctx.variable([3.0, 4.0], requires_grad=True)
    _Passes(made, [])(x + y).backprop()
    assert x.grad is made[0]() and y.grad is not x.grad
    x.grad[0] = 100.0
    assert y.grad.tolist() == [2.0, 2.0]


def test_a_stepped_backprop_copies_a_gradient_passed_on(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    steps = list(_Passes([], [])((x * 2.0) + 1.0).backprop_steps())
    through_add = steps[1]  # its node (and so its output) is the step's to show
    assert through_add.upstream[0] is not through_add.accumulated[0]
