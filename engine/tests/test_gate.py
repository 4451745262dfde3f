"""Gate: the registry and catalog, parameter checking, input errors and custom gates."""

import gc
import inspect
from collections.abc import Iterator

import numpy as np
import pytest

import engine
from engine import (
    REGISTRY,
    AutogradError,
    Context,
    Gate,
    GateInputError,
    Payload,
    SmallDiffs,
    Variable,
    as_variables,
    no_grad_mode,
)
from engine.params import check_params, param, params_schema
from engine.tests.errors import raises_exactly

ISSUE_GATES = (
    "add sub mul div neg pow matmul exp log sqrt abs clamp",
    "sum mean max",
    "relu leaky_relu sigmoid tanh softmax log_softmax gelu",
    "mse_loss sigmoid_cross_entropy softmax_cross_entropy sparse_softmax_cross_entropy",
    "reshape flatten transpose squeeze unsqueeze concat stack split chunk unstack getitem",
    "linear conv2d maxpool2d embedding layer_norm gru_cell dropout",
)
ISSUE_GATES = [name for family in ISSUE_GATES for name in family.split()]


def test_registry_holds_every_gate_of_the_library() -> None:
    assert sorted(REGISTRY) == sorted(ISSUE_GATES)


def test_every_gate_is_a_function_of_engine() -> None:
    for name in ISSUE_GATES:
        assert callable(getattr(engine, name)), name


def test_catalog_describes_each_gate() -> None:
    entries = {entry["name"]: entry for entry in engine.catalog()}
    assert entries["matmul"]["arity"] == 2 and entries["concat"]["arity"] is None
    assert entries["split"]["multi_output"] and not entries["add"]["multi_output"]
    for entry in entries.values():
        assert entry["doc"] and "\n" not in entry["doc"]
        assert entry["params"]["type"] == "object"
        assert entry["params"]["additionalProperties"] is False


def test_every_gate_declares_its_torch_counterpart_or_none() -> None:
    for name, cls in REGISTRY.items():
        # Declared on the gate's own class, not inherited from a family base by accident.
        assert "torch" in cls.__dict__, f"{name} does not say whether torch has it"
    entries = {entry["name"]: entry["torch"] for entry in engine.catalog()}
    assert entries["matmul"] == "torch.matmul({0}, {1})" and entries["dropout"] is None


@pytest.mark.parametrize("name", ISSUE_GATES)
def test_params_schema_matches_the_constructor(name: str) -> None:
    cls = REGISTRY[name]
    keywords = {
        p.name: p
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    schema = cls.params
    assert set(schema["properties"]) == set(keywords)
    required = {n for n, p in keywords.items() if p.default is inspect.Parameter.empty}
    assert set(schema["required"]) == required
    for key, prop in schema["properties"].items():
        assert prop.get("description"), f"{name}.{key} needs a description"
        if key not in required:
            assert prop["default"] == keywords[key].default
            check_params(name, {**schema, "required": []}, {key: prop["default"]})


X = np.arange(-6.0, 6.0).reshape(3, 4)
IMAGE = np.arange(-18.0, 18.0).reshape(1, 1, 6, 6)
# Per gate with defaulted parameters: its required parameters and inputs on which every
# default shows (negatives for leaky_relu's slope, several axes, images for the windows).
DEFAULTED: dict[str, tuple[dict, list[np.ndarray]]] = {
    "clamp": ({}, [X]),
    "sum": ({}, [X]),
    "mean": ({}, [X]),
    "max": ({}, [X]),
    "softmax": ({}, [X]),
    "log_softmax": ({}, [X]),
    "leaky_relu": ({}, [X]),
    "gelu": ({}, [X]),
    "flatten": ({}, [X]),
    "squeeze": ({}, [X[None]]),
    "transpose": ({}, [X[None]]),
    "concat": ({}, [X, X]),
    "stack": ({}, [X, X]),
    "split": ({"sizes": 1}, [X]),
    "chunk": ({"chunks": 2}, [X]),
    "unstack": ({}, [X]),
    "conv2d": ({}, [IMAGE, np.ones((1, 1, 3, 3)), np.zeros(1)]),
    "maxpool2d": ({"kernel_size": 2}, [IMAGE]),
    "layer_norm": ({}, [X, np.ones(X.shape[-1:]), np.zeros(X.shape[-1:])]),
    # Without a seed the mask is fresh each time, so the sample fixes it.
    "dropout": ({"seed": 0}, [X]),
}


def _published_defaults(name: str) -> dict:
    properties = REGISTRY[name].params["properties"]
    return {key: prop["default"] for key, prop in properties.items() if "default" in prop}


def test_every_gate_with_defaults_has_a_sample() -> None:
    assert set(DEFAULTED) == {name for name in REGISTRY if _published_defaults(name)}


def _outputs(out: Variable | list[Variable]) -> list[np.ndarray]:
    return [v.value for v in (out if isinstance(out, list) else [out])]


@pytest.mark.parametrize("name", sorted(DEFAULTED))
def test_leaving_out_a_parameter_means_its_published_default(ctx: Context, name: str) -> None:
    required, values = DEFAULTED[name]
    inputs = [ctx.variable(v) for v in values]
    expected = _outputs(REGISTRY[name](**{**_published_defaults(name), **required})(*inputs))
    # The gate class, as the backend makes it, and the user-facing function of engine.
    for out in (REGISTRY[name](**required)(*inputs), getattr(engine, name)(*inputs, **required)):
        got = _outputs(out)
        assert [v.shape for v in got] == [v.shape for v in expected]
        for value, wanted in zip(got, expected, strict=True):
            np.testing.assert_array_equal(value, wanted)


def test_unknown_missing_and_ill_typed_params_raise_naming_the_gate() -> None:
    with pytest.raises(TypeError, match="sum has no parameter 'axes'"):
        REGISTRY["sum"](axes=1)
    with pytest.raises(TypeError, match="reshape needs the parameter 'shape'"):
        REGISTRY["reshape"]()
    with pytest.raises(ValueError, match="sum: parameter 'keepdims' must be of type boolean"):
        REGISTRY["sum"](keepdims=1)
    with pytest.raises(ValueError, match=r"conv2d: parameter 'stride' .* at least 1"):
        REGISTRY["conv2d"](stride=0)
    with pytest.raises(ValueError, match="dropout: parameter 'p' must be less than 1"):
        REGISTRY["dropout"](p=1.0)
    with pytest.raises(ValueError, match="clamp: min"):
        REGISTRY["clamp"](min=2, max=1)


def test_gates_are_made_from_json_params(ctx: Context) -> None:
    x = ctx.variable(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert REGISTRY["sum"](axis=[0], keepdims=True)(x).shape == (1, 3)
    assert REGISTRY["getitem"](index=[0, {"start": 1, "stop": None, "step": None}])(x).shape == (2,)


def test_shape_errors_name_the_gate_and_the_input_shapes() -> None:
    ctx = Context()
    a, b = ctx.variable(np.ones((2, 3))), ctx.variable(np.ones(4))
    with pytest.raises(
        GateInputError, match=r"add on inputs of shape \(2, 3\), \(4,\): .*broadcast"
    ):
        engine.add(a, b)
    with pytest.raises(GateInputError, match=r"matmul on inputs of shape \(2, 3\), \(4,\)"):
        engine.matmul(a, b)
    with pytest.raises(GateInputError, match=r"reshape on inputs of shape \(2, 3\)"):
        engine.reshape(a, 4)
    with pytest.raises(GateInputError, match=r"getitem on inputs of shape \(2, 3\).*out of bounds"):
        a[5]


def test_wrong_input_counts_raise_type_error(ctx: Context) -> None:
    x = ctx.variable(1.0)
    with pytest.raises(TypeError, match="add takes 2 inputs, got 3"):
        REGISTRY["add"]()(x, x, x)
    with pytest.raises(TypeError, match="needs at least one Variable"):
        engine.add(1.0, 2.0)


def test_input_errors_name_the_gate(ctx: Context) -> None:
    x = ctx.variable(1.0)
    with raises_exactly(ValueError, "add: cannot mix Variables of different Contexts"):
        engine.add(x, Context().variable(1.0))
    with raises_exactly(TypeError, "add inputs must be Variables or numbers, not str"):
        engine.add(x, "one")


def test_as_variables_makes_literals_constants_of_the_variables_context(ctx: Context) -> None:
    x = ctx.variable([1.0], requires_grad=True, dtype="float32")
    two, same = as_variables([2, x])
    assert same is x
    assert two.item() == 2.0 and two.dtype == np.float32
    assert two.context is ctx and not two.requires_grad
    with raises_exactly(TypeError, "a gate needs at least one Variable among its inputs"):
        as_variables([1.0, 2.0])
    with raises_exactly(TypeError, "mul needs at least one Variable among its inputs"):
        as_variables([1.0], REGISTRY["mul"]())


def test_needs_grad_and_num_grads_are_set_before_forward(ctx: Context) -> None:
    seen = []

    class Spy(Gate):
        def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
            seen.append((self.needs_grad, self.num_grads))
            return a + b

    x, c = ctx.variable(1.0, requires_grad=True), ctx.variable(2.0)
    Spy()(x, c)
    with no_grad_mode(ctx):
        Spy()(x, c)
    # In no-grad mode nothing is recorded, so no parent will want a gradient.
    assert seen == [((True, False), 2), ((False, False), 2)]


def test_a_gate_missing_part_of_its_contract_says_which_part(ctx: Context) -> None:
    class NoForward(Gate):
        pass

    class NoBackward(Gate):
        def forward(self, a: np.ndarray) -> np.ndarray:
            return a

    class NoDerivative(engine.ElementwiseGate):
        def forward(self, a: np.ndarray) -> np.ndarray:
            return a

    x = ctx.variable(1.0, requires_grad=True)
    with raises_exactly(NotImplementedError, "NoForward does not implement forward"):
        NoForward()(x)
    with raises_exactly(NotImplementedError, "NoBackward does not implement backward"):
        NoBackward()(x).backprop()
    with raises_exactly(NotImplementedError, "NoDerivative does not implement derivative"):
        NoDerivative()(x).backprop()


def test_a_subclass_of_a_registered_gate_does_not_take_over_its_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add = REGISTRY["add"]
    monkeypatch.setitem(REGISTRY, "add", add)  # put back whatever the subclass does

    class LoggedAdd(add):  # type: ignore[valid-type, misc]
        """An add that could log; it inherits the name without registering under it."""

    assert REGISTRY["add"] is add


def test_an_undocumented_gate_is_catalogued_with_an_empty_doc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("engine.gate.REGISTRY", {})

    class Bare(Gate):
        name = "bare"

    (entry,) = engine.catalog()
    # Not Gate's docstring: a gate says nothing rather than something about another class.
    assert entry["name"] == "bare" and entry["doc"] == ""


def test_a_gate_instance_records_one_operation(ctx: Context) -> None:
    gate = REGISTRY["mul"]()
    x = ctx.variable(1.0, requires_grad=True)
    gate(x, x)
    with pytest.raises(AutogradError, match="make a new gate per call"):
        gate(x, x)


def test_a_recorded_operation_keeps_six_objects_for_the_garbage_collector(ctx: Context) -> None:
    # Gate, output Variable, Node, Payload, parents list and the creator's weak reference:
    # what a long forward pass keeps is what sets off the collector's passes over the
    # whole process, so tuples of flags, versions and shapes are shared, not kept per op.
    x = ctx.variable(np.linspace(-1, 1, 16), requires_grad=True)
    c = ctx.variable(np.full(16, 0.9), requires_grad=True)
    engine.tanh(x * c + c) - c  # the shared tuples of this chain exist from here on
    ctx.nodes.clear()
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        y = x
        for _ in range(50):
            y = engine.tanh(y * c + c) - c
        kept = len(gc.get_objects()) - before
    finally:
        gc.enable()
    assert len(ctx.nodes) == 200
    assert kept <= 6 * 200 + 20  # a few for the loop itself


def test_elementwise_gate_supplies_the_backward(ctx: Context) -> None:
    class Square(engine.ElementwiseGate):
        def forward(self, a: np.ndarray) -> np.ndarray:
            self.a = a
            return a * a

        def derivative(self) -> np.ndarray:
            return 2 * self.a

    x = ctx.variable([1.0, -3.0], requires_grad=True)
    Square()(x).backprop()
    np.testing.assert_array_equal(x.grad, [2.0, -6.0])


@pytest.fixture
def softplus_registered() -> Iterator[None]:
    yield
    REGISTRY.pop("softplus", None)  # keep the registry to the library for the other tests


def test_readme_custom_gate_example(softplus_registered: None) -> None:
    # The worked example of engine/README.md, as written there.
    class SoftplusGate(Gate):
        """Softplus log(1 + e^(beta x)) / beta, a smooth relu."""

        name = "softplus"
        arity = 1
        params = params_schema(
            beta=param("number", "sharpness of the bend", default=1.0, exclusiveMinimum=0)
        )

        def __init__(self, *, beta: float = 1.0) -> None:
            self.beta = beta

        def forward(self, x: np.ndarray) -> np.ndarray:
            self.x = x
            return np.logaddexp(0, self.beta * x) / self.beta

        def backward(self, payload: Payload) -> SmallDiffs:
            if not self.needs_grad[0]:
                return [None]
            grad = payload.variable.grad
            return [grad / (1 + np.exp(-self.beta * self.x))]

    def softplus(x: engine.Variable, beta: float = 1.0) -> engine.Variable:
        return SoftplusGate(beta=beta)(x)

    ctx = Context()
    x = ctx.variable([-1.0, 0.0, 2.0], requires_grad=True)
    softplus(x).sum().backprop()
    np.testing.assert_allclose(x.grad, 1 / (1 + np.exp([1.0, 0.0, -2.0])))
    assert all(r.ok for r in engine.gradcheck(softplus, [x]))
    assert all(r.ok for r in engine.gradcheck(lambda v: softplus(v, 3.0), [x]))
    assert REGISTRY["softplus"] is SoftplusGate
    assert any(
        e["name"] == "softplus" and e["doc"].startswith("Softplus") for e in engine.catalog()
    )
    with pytest.raises(ValueError, match="softplus: parameter 'beta' must be more than 0"):
        SoftplusGate(beta=0)
