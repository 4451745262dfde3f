"""The remembered gate costs (backend/workspace/costs.py) are what the gates infer afresh, for every
kind, params and input shapes."""

import numpy as np
import pytest

import engine
from backend.workspace.costs import gate_cost
from backend.workspace.tensors import encode, encode_number
from engine.shapes import TensorSpec

CASES = [
    ("sum", {"axis": 0}, [TensorSpec((3, 4))]),
    ("sum", {"axis": 1}, [TensorSpec((3, 4))]),
    ("sum", {"axis": 1}, [TensorSpec((5, 4), np.dtype(np.float32))]),
    ("mul", {}, [TensorSpec((3, 1)), TensorSpec((1, 4))]),
    ("mul", {}, [TensorSpec((4,)), TensorSpec(())]),
]


@pytest.mark.parametrize("repeat", [1, 2])
def test_a_remembered_cost_is_the_cost_the_gate_infers(repeat: int) -> None:
    for _ in range(repeat):
        for name, params, specs in CASES:
            gate = engine.REGISTRY[name](**params)
            assert gate_cost(gate, params, specs) == engine.REGISTRY[name](**params).infer(*specs)


def test_the_costs_of_two_params_on_one_shape_differ() -> None:
    first = gate_cost(engine.REGISTRY["sum"](axis=0), {"axis": 0}, [TensorSpec((3, 4))])
    second = gate_cost(engine.REGISTRY["sum"](axis=1), {"axis": 1}, [TensorSpec((3, 4))])
    assert first.outputs[0].shape == (4,) and second.outputs[0].shape == (3,)


def test_a_refusal_is_raised_every_time() -> None:
    specs = [TensorSpec((3,)), TensorSpec((4,))]
    for _ in range(2):
        with pytest.raises(engine.GateInputError):
            gate_cost(engine.REGISTRY["add"](), {}, specs)


def test_params_that_are_not_json_are_inferred() -> None:
    params = {"axis": np.int64(1)}
    cost = gate_cost(engine.REGISTRY["sum"](**params), params, [TensorSpec((3, 4))])
    assert cost.outputs[0].shape == (3,)


@pytest.mark.parametrize(
    ("value", "written"),
    [(np.float32(0.1), float(np.float32(0.1))), (np.nan, "nan"), (-np.inf, "-inf"), (2.5, 2.5)],
)
def test_a_number_is_written_as_encode_writes_a_scalar(value: float, written: object) -> None:
    assert encode_number(value) == written == encode(np.asarray(value))
