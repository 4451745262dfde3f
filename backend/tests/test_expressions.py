"""The expression language: what programs compile to, and how bad ones are reported."""

import pytest

from backend.errors import Part, Role
from backend.names import NAME_RULE
from backend.workspace.expressions import (
    MAX_SOURCE_CHARS,
    MAX_STEPS,
    ExpressionError,
    Leaf,
    Step,
    Temp,
    compile_program,
)

GATES: dict[str, int | None] = {
    "add": 2,
    "sub": 2,
    "mul": 2,
    "div": 2,
    "matmul": 2,
    "pow": 2,
    "neg": 1,
    "tanh": 1,
    "mean": 1,
    "sum": 1,
    "relu": 1,
    "transpose": 1,
    "getitem": 1,
    "concat": None,
}


def compile_(source: str) -> list[Step | Leaf]:
    return compile_program(source, GATES)


def shape(source: str) -> list[tuple]:
    """The steps of ``source`` as (gate, inputs, params, target), ignoring positions."""
    return [(step.gate, step.inputs, step.params, step.target) for step in compile_(source)]


def rejection(source: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        compile_(source)
    return caught.value


# What programs compile to


@pytest.mark.parametrize(
    ("source", "leaf"),
    [
        ("a = -4", Leaf("a", -4.0, None, True, 1, 5)),
        ("y = 2 * 3", Leaf("y", 6.0, None, True, 1, 5)),
        ("x = [[1, 2], [3, -4.5]]", Leaf("x", [[1.0, 2.0], [3.0, -4.5]], None, True, 1, 5)),
        (
            "W = randn(3, 4, seed=0)",
            Leaf("W", None, {"kind": "randn", "shape": [3, 4], "seed": 0}, True, 1, 5),
        ),
        ("b = zeros((3,))", Leaf("b", None, {"kind": "zeros", "shape": [3]}, True, 1, 5)),
        ("s = ones()", Leaf("s", None, {"kind": "ones", "shape": []}, True, 1, 5)),
        ("c = const(2.5)", Leaf("c", 2.5, None, False, 1, 5)),
        ("k = const([1, 2])", Leaf("k", [1.0, 2.0], None, False, 1, 5)),
        ("u = const(uniform(2))", Leaf("u", None, {"kind": "uniform", "shape": [2]}, False, 1, 5)),
    ],
)
def test_numbers_lists_and_initializers_make_leaves(source: str, leaf: Leaf) -> None:
    assert compile_(source) == [leaf]


def test_an_initializer_inside_an_expression_makes_an_unnamed_leaf() -> None:
    steps = compile_("y = x @ randn(3, 3, seed=1)\nz = y * const(2.5)")
    assert steps[0] == Leaf(None, None, {"kind": "randn", "shape": [3, 3], "seed": 1}, True, 1, 9)
    assert steps[1].gate == "matmul" and steps[1].inputs == ("x", Temp(0))
    assert steps[2] == Leaf(None, 2.5, None, False, 2, 9)
    assert steps[3].gate == "mul" and steps[3].inputs == ("y", Temp(2))


def test_a_bare_initializer_still_needs_a_name() -> None:
    assert "a new variable needs a name" in rejection("randn(3, 3)").reason


def test_a_leaf_is_a_step_later_statements_name() -> None:
    steps = compile_("a = 2\nb = a * 3")
    assert steps[0] == Leaf("a", 2.0, None, True, 1, 5)
    assert (steps[1].gate, steps[1].inputs, steps[1].target) == ("mul", ("a", 3.0), "b")


def test_issue_example_compiles_to_five_steps_linked_by_temps():
    assert shape("h = tanh(W @ x + b)\nloss = mean(h * h)") == [
        ("matmul", ("W", "x"), {}, None),
        ("add", (Temp(0), "b"), {}, None),
        ("tanh", (Temp(1),), {}, "h"),
        ("mul", ("h", "h"), {}, None),
        ("mean", (Temp(3),), {}, "loss"),
    ]


def test_steps_record_the_line_and_column_of_their_sub_expression():
    steps = compile_("h = tanh(W @ x + b)\nloss = mean(h * h)")
    assert [(step.line, step.column) for step in steps] == [
        (1, 10),
        (1, 10),
        (1, 5),
        (2, 13),
        (2, 8),
    ]


def test_columns_count_characters_not_utf8_bytes():
    _, second, _ = compile_("z = tanh(é) + tanh(é)")
    assert second.column == 15


def test_each_operator_maps_to_its_gate():
    gates = [step.gate for step in compile_("a + b; a - b; a * b; a / b; a @ b; a ** b")]
    assert gates == ["add", "sub", "mul", "div", "matmul", "pow"]


def test_subtraction_is_left_associative():
    assert shape("y = a - b - c") == [
        ("sub", ("a", "b"), {}, None),
        ("sub", (Temp(0), "c"), {}, "y"),
    ]


def test_multiplication_binds_tighter_than_addition():
    assert shape("y = a + b * c") == [
        ("mul", ("b", "c"), {}, None),
        ("add", ("a", Temp(0)), {}, "y"),
    ]


def test_power_binds_tighter_than_unary_minus():
    assert shape("y = -a ** 2") == [("pow", ("a", 2.0), {}, None), ("neg", (Temp(0),), {}, "y")]


def test_negative_exponent_is_a_negative_number():
    assert shape("y = a ** -1") == [("pow", ("a", -1.0), {}, "y")]


def test_unary_minus_on_a_variable_is_the_neg_gate():
    assert shape("y = -a") == [("neg", ("a",), {}, "y")]


def test_unary_plus_changes_nothing():
    assert shape("y = +a * +2") == [("mul", ("a", 2.0), {}, "y")]


def test_number_literals_become_floats():
    (step,) = compile_("y = x * 3")
    assert step.inputs == ("x", 3.0) and isinstance(step.inputs[1], float)


def test_gate_calls_nest_inside_out():
    assert shape("y = tanh(mean(x))") == [("mean", ("x",), {}, None), ("tanh", (Temp(0),), {}, "y")]


def test_gate_of_any_arity_takes_every_positional_input():
    assert shape("y = concat(a, b, tanh(c))") == [
        ("tanh", ("c",), {}, None),
        ("concat", ("a", "b", Temp(0)), {}, "y"),
    ]


def test_method_call_passes_the_receiver_as_first_input():
    assert shape("r = x.relu()") == [("relu", ("x",), {}, "r")]
    assert shape("y = a.add(b)") == [("add", ("a", "b"), {}, "y")]


def test_method_calls_chain_on_expressions():
    assert shape("y = (a + b).tanh().sum(axis=1)") == [
        ("add", ("a", "b"), {}, None),
        ("tanh", (Temp(0),), {}, None),
        ("sum", (Temp(1),), {"axis": 1}, "y"),
    ]


def test_dot_t_applies_transpose():
    assert shape("y = W.T @ x") == [
        ("transpose", ("W",), {}, None),
        ("matmul", (Temp(0), "x"), {}, "y"),
    ]


def test_keyword_arguments_become_json_params():
    (step,) = compile_("s = sum(x, axis=0, keepdims=True)")
    assert step.params == {"axis": 0, "keepdims": True}
    assert isinstance(step.params["axis"], int)


def test_params_accept_negatives_none_text_and_lists_or_tuples():
    (step,) = compile_('s = sum(x, axis=(0, -1), scale=-0.5, out=None, mode="mean", w=[[1, 2]])')
    assert step.params == {
        "axis": [0, -1],
        "scale": -0.5,
        "out": None,
        "mode": "mean",
        "w": [[1, 2]],
    }


@pytest.mark.parametrize(
    ("source", "index"),
    [
        ("x[1]", [1]),
        ("x[0, 1:3]", [0, {"start": 1, "stop": 3, "step": None}]),
        ("x[:, -1]", [{"start": None, "stop": None, "step": None}, -1]),
        ("x[..., 0]", ["...", 0]),
        ("x[None, ::-2]", [None, {"start": None, "stop": None, "step": -2}]),
        ("x[None:2]", [{"start": None, "stop": 2, "step": None}]),
    ],
)
def test_subscript_is_getitem_with_a_json_index(source, index):
    assert shape(source) == [("getitem", ("x",), {"index": index}, None)]


@pytest.mark.parametrize(
    ("source", "number"),
    [
        ("y = x * (2 * 3)", 6.0),
        ("y = x * (1 / 2)", 0.5),
        ("y = x * 2 ** -1", 0.5),
        ("y = x * -(-3)", 3.0),
        ("y = x * (1 - 2 - 3)", -4.0),
        ("y = x * -2 ** 2", -4.0),
    ],
)
def test_arithmetic_on_numbers_is_folded(source, number):
    assert shape(source) == [("mul", ("x", number), {}, "y")]


def test_augmented_assignment_reassigns_the_name():
    assert shape("h += 1") == [("add", ("h", 1.0), {}, "h")]
    assert shape("h @= W") == [("matmul", ("h", "W"), {}, "h")]
    assert shape("h **= 2 * 3") == [("pow", ("h", 6.0), {}, "h")]


def test_bare_expression_leaves_the_target_to_the_workspace():
    assert shape("tanh(x) + 1") == [("tanh", ("x",), {}, None), ("add", (Temp(0), 1.0), {}, None)]


def test_reassigned_names_stay_names_for_the_workspace_to_resolve_in_order():
    assert shape("h = tanh(x)\nh = h * 2") == [
        ("tanh", ("x",), {}, "h"),
        ("mul", ("h", 2.0), {}, "h"),
    ]


def test_statements_split_on_semicolons_newlines_and_skip_comments_and_blank_lines():
    source = "# warm up\na = tanh(x); b = relu(x)\n\nc = a + b  # sum\r\nd = c * 2"
    assert [step.target for step in compile_(source)] == ["a", "b", "c", "d"]


def test_temps_index_into_the_whole_program():
    steps = compile_("a = tanh(x)\nb = mean(a * a)")
    assert steps[2].inputs == (Temp(1),)


def test_program_of_exactly_max_steps_compiles():
    source = "\n".join(f"y{i} = tanh(x)" for i in range(MAX_STEPS))
    assert len(compile_(source)) == MAX_STEPS


# How bad programs are reported


def test_expression_error_is_a_value_error_with_position():
    error = rejection("y = tanh(x)\ny = foo(x)")
    assert isinstance(error, ValueError)
    assert (error.line, error.column) == (2, 5)
    assert error.reason == "`foo` is not a gate; see the gate catalog"
    assert str(error) == error.message == "line 2, column 5: " + error.reason


@pytest.mark.parametrize(
    ("source", "line", "column", "words"),
    [
        ("y = tanh(x)\nz = x $ 2", 2, 7, "syntax error"),
        ("y = tanh(x\nz = 1", 1, 9, "syntax error"),
        ("y = x\x00", 1, 1, "null bytes"),
        ("", 1, 1, "empty"),
        ("  \n# only a comment\n", 1, 1, "empty"),
        ("y = tanh(x)\ny = foo(x)", 2, 5, "`foo` is not a gate"),
        ("y = x.foo()", 1, 7, "`foo` is not a gate"),
        ("y = (x +\n     foo(z))", 2, 6, "`foo` is not a gate"),
        ("y = print(x)", 1, 5, "`print` is not a gate"),
        ("y = tanh(x, z)", 1, 5, "`tanh` takes 1 input, but 2 were given"),
        ("y = x.add()", 1, 5, "`add` takes 2 inputs, but 1 was given (the value before the dot"),
        ("y = x.T()", 1, 7, "`.T` takes no parentheses"),
        ("y = x.shape", 1, 7, "`.shape` does not exist; the only attribute is `.T`"),
        ("y = x.relu", 1, 7, "`.relu` is a gate; call it with parentheses"),
        ("y = f()()", 1, 5, "only gates can be called"),
        ("y = x[0](1)", 1, 5, "only gates can be called"),
        ("y = concat(*xs)", 1, 12, "`*` unpacking cannot be used"),
        ("y = sum(x, **options)", 1, 12, "`**` unpacking cannot be used"),
        ("y = sum(x, axis=a)", 1, 17, "parameter `axis` must be written out"),
        ("y = sum(x, axis=1 + 1)", 1, 17, "parameter `axis` must be written out"),
        ("y = sum(x, axis={0: 1})", 1, 17, "parameter `axis` must be written out"),
        ("y = x * True", 1, 9, "`True` and `False` can only be gate parameters"),
        ("y = x * 'a'", 1, 9, "text can only be a gate parameter"),
        ("y = x + None", 1, 9, "`None` can only be a gate parameter or an index"),
        ("y = x + ...", 1, 9, "`...` can only be used inside `[...]`"),
        ("y = x * 2j", 1, 9, "complex values are not supported"),
        ("y = lambda: x", 1, 5, "`lambda: x` cannot be used"),
        ("y = [v for v in x]", 1, 5, "`[v for v in x]` cannot be used"),
        ("y = x < z", 1, 5, "`x < z` cannot be used"),
        ("y = x and z", 1, 5, "`x and z` cannot be used"),
        ("y = x if z else w", 1, 5, "cannot be used"),
        ("y = (z := tanh(x))", 1, 6, "`z := tanh(x)` cannot be used"),
        ("y = [x, z]", 1, 6, "a tensor is written as nested lists of numbers"),
        ("y = x, z", 1, 5, "a tensor is written as nested lists of numbers"),
        ('y = f"{x}"', 1, 5, "cannot be used"),
        ("y = x // 2", 1, 5, "`x // 2` cannot be used; the operators are + - * / @ **"),
        ("y = x % 2", 1, 5, "`x % 2` cannot be used"),
        ("y = x ^ 2", 1, 5, "write powers as `**`"),
        ("y = not x", 1, 5, "`not x` cannot be used"),
        ("y = ~x", 1, 5, "`~x` cannot be used"),
        ("import numpy", 1, 1, "`import numpy` cannot be used"),
        ("from os import path", 1, 1, "cannot be used"),
        ("del x", 1, 1, "`del x` cannot be used"),
        ("for v in x:\n    y = tanh(v)", 1, 1, "`for v in x:` cannot be used"),
        ("if x:\n    y = tanh(x)", 1, 1, "cannot be used"),
        ("def f(x):\n    return x", 1, 1, "cannot be used"),
        ("pass", 1, 1, "`pass` cannot be used"),
        ("y: float = tanh(x)", 1, 1, "cannot be used"),
        ("a, b = tanh(x), relu(x)", 1, 1, "assign one name per statement"),
        ("a = b = tanh(x)", 1, 1, "assign one name per statement"),
        ("x[0] = tanh(x)", 1, 1, "only a plain name can be assigned to"),
        ("x.T = tanh(x)", 1, 1, "only a plain name can be assigned to"),
        ("x[0] += 1", 1, 1, "only a plain name can be assigned to"),
        ("x //= 2", 1, 1, "`x //= 2` cannot be used"),
        ("3", 1, 1, "this statement applies no gate; make a variable first, as in `a = 2.5`"),
        ("[1, 2]", 1, 1, "a new variable needs a name; a new variable is a number, a list"),
        ("x = [1, y]", 1, 9, "a tensor is written as nested lists of numbers"),
        ("c = const(x)", 1, 11, "`const` takes a number, a list or an initializer"),
        ("c = const(1, 2)", 1, 5, "`const` takes one value, as in `c = const(2.5)`"),
        ("W = randn(3, -4)", 1, 14, "`randn` takes whole numbers, not negative"),
        ("W = randn(3, 4.5)", 1, 14, "`randn` takes whole numbers"),
        ("b = zeros(3, seed=1)", 1, 14, "`zeros` takes the sizes of its axes, as in `zeros(3, 4)`"),
        ("W = randn(3, scale=2)", 1, 14, "`randn` takes the sizes of its axes, and `seed=`"),
        ("y = x", 1, 5, "`y = x` applies no gate"),
        ("y = +x", 1, 5, "`y = +x` applies no gate"),
        ("x", 1, 1, "this statement applies no gate"),
        ("y = tanh(x)\n3", 2, 1, "this statement applies no gate"),
        ("y = tanh(2)", 1, 5, "`tanh` needs at least one variable"),
        ("y = 2 @ 3", 1, 5, "`matmul` needs at least one variable"),
        ("y = concat()", 1, 5, "`concat` needs at least one variable"),
        ("y = x * (1 / 0)", 1, 10, "divides by zero"),
        ("y = x * 0.0 ** -1", 1, 9, "divides by zero"),
        ("y = x * 10.0 ** 400", 1, 9, "too large"),
        ("y = x * (1e308 * 10)", 1, 10, "too large"),
        ("y = x * 1e999", 1, 9, "too large"),
        ("y = x * (-8) ** 0.5", 1, 9, "not a real number"),
        ("y = x[i]", 1, 7, "an index is a whole number"),
        ("y = x[1.5]", 1, 7, "an index is a whole number"),
        ("y = x[True]", 1, 7, "an index is a whole number"),
        ("y = x[[0, 1]]", 1, 7, "an index is a whole number"),
        ("y = x[0:n]", 1, 9, "an index is a whole number"),
        ("y = x[0 + 1]", 1, 7, "an index is a whole number"),
        ("y = x[0x" + "f" * 20 + "]", 1, 7, "too large"),
        ("y = tanh(x) + foo(z)", 1, 15, "`foo` is not a gate"),
        ("z = tanh(é) + foo(z)", 1, 15, "`foo` is not a gate"),
        ("y = tanh(x)\r\nz = foo(x)", 2, 5, "`foo` is not a gate"),
    ],
)
def test_rejection_names_the_problem_and_its_position(source, line, column, words):
    error = rejection(source)
    assert words in error.reason
    assert (error.line, error.column) == (line, column)


def test_source_longer_than_the_limit_is_rejected():
    error = rejection("y = tanh(x)\n" + "#" * MAX_SOURCE_CHARS)
    assert "the limit is 100,000" in error.reason


def test_program_over_the_step_limit_is_rejected_at_the_first_extra_gate():
    source = "\n".join(f"y{i} = tanh(x)" for i in range(MAX_STEPS + 1))
    error = rejection(source)
    assert (error.line, error.column) == (MAX_STEPS + 1, len(f"y{MAX_STEPS} = ") + 1)
    assert "more than 1,000 gates" in error.reason


def test_step_limit_can_be_lowered_by_the_caller():
    with pytest.raises(ExpressionError, match="more than 2 gates"):
        compile_program("y = tanh(x + 1) * 2", GATES, max_steps=2)


@pytest.mark.parametrize(
    "source",
    ["y = " + "x + " * 300 + "x", "y = " + "x + " * 5000 + "x", "y = " + "-" * 50_000 + "x"],
)
def test_deeply_nested_expressions_are_rejected_cleanly(source):
    assert "nested" in rejection(source).reason


def test_gate_missing_from_the_catalog_is_rejected_even_for_operators():
    with pytest.raises(ExpressionError, match="`matmul` is not a gate"):
        compile_program("y = a @ b", {"add": 2})


@pytest.mark.parametrize("target", ["é名", "x" * 65, "x" * 99_000])
def test_an_assigned_name_follows_the_rule_of_variable_names(target):
    error = rejection(f"y = tanh(x)\n{target} = tanh(x)")
    assert (error.line, error.column) == (2, 1)
    assert error.reason.endswith(f"cannot name a variable: {NAME_RULE}")
    error = rejection(f"{target} += x")
    assert error.reason.endswith(NAME_RULE)


def test_the_longest_valid_name_can_be_assigned():
    assert shape("x" * 64 + " = tanh(x)")[0][3] == "x" * 64


def test_steps_locate_their_inputs_and_parameters_by_part():
    add, total = compile_("y = W @ x\nsum(y + b, axis=0)")[1:]
    assert add.position_of(Part(Role.GATE_INPUT, 1)) == (2, 9)
    assert total.position_of(Part(Role.GATE_INPUT, 0)) == (2, 5)
    assert total.position_of(Part(Role.GATE_PARAM, "axis")) == (2, 12)
    other = total.position_of(Part(Role.GATE_PARAM, "other"))
    assert other == total.position_of(None) == (2, 1)


def test_a_group_block_puts_its_gates_in_the_module_nested_blocks_join_names():
    source = (
        'with group("enc"):\n    h = tanh(x)\n    with group("0"):\n        y = h * 2\nz = sum(y)'
    )
    groups = [(step.gate, step.group) for step in compile_(source) if isinstance(step, Step)]
    assert groups == [("tanh", "enc"), ("mul", "enc.0"), ("sum", None)]


@pytest.mark.parametrize(
    "source",
    [
        'with open("f"):\n    y = tanh(x)',
        'with group("a b"):\n    y = tanh(x)',
        "with group(name):\n    y = tanh(x)",
        'with group("a") as g:\n    y = tanh(x)',
    ],
)
def test_only_group_blocks_with_a_module_name_are_allowed(source: str):
    with pytest.raises(ExpressionError) as caught:
        compile_(source)
    assert caught.value.line == 1 and 'with group("layer1")' in caught.value.reason
