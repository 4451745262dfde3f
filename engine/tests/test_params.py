"""Gate parameters: the JSON schema subset that check_params enforces."""

import numpy as np
import pytest

from engine.gate import REGISTRY
from engine.params import INT_LIST, check_params, param, params_schema
from engine.shapes import MAX_DIMS
from engine.tests.errors import raises_exactly

SCHEMA = params_schema(
    ["size"],
    size=param("integer", "a size", minimum=1),
    axis=param(["integer", "array", "null"], "axes", items=INT_LIST["items"], default=None),
    rate=param("number", "a rate", minimum=0, exclusiveMaximum=1, default=0.5),
    flag=param("boolean", "a flag", default=False),
    index={"type": "array", "items": {"anyOf": [{"type": "integer"}, {"enum": ["..."]}]}},
    window={
        "type": "object",
        "properties": {"start": {"type": ["integer", "null"]}},
        "additionalProperties": False,
    },
)


def test_params_schema_is_a_closed_json_object() -> None:
    assert SCHEMA["type"] == "object" and SCHEMA["additionalProperties"] is False
    assert SCHEMA["required"] == ["size"]
    assert params_schema(x=param("integer", "an x", default=0)) == {
        "type": "object",
        "properties": {"x": {"type": "integer", "description": "an x", "default": 0}},
        "required": [],
        "additionalProperties": False,
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"size": 3},
        {"size": np.int64(2), "axis": [0, 1], "rate": 0, "flag": True},
        {"size": 1, "axis": None, "index": [1, "..."], "window": {"start": None}},
    ],
)
def test_valid_params_pass(kwargs: dict) -> None:
    check_params("g", SCHEMA, kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, TypeError, "g needs the parameter 'size'"),
        (
            {"size": 1, "bogus": 1},
            TypeError,
            "g has no parameter 'bogus' (parameters: size, axis, rate, flag, index, window)",
        ),
        ({"size": 1.5}, ValueError, "'size' must be of type integer, got 1.5"),
        ({"size": True}, ValueError, "'size' must be of type integer, got True"),
        ({"size": 0}, ValueError, "'size' must be at least 1, got 0"),
        ({"size": 1, "rate": 1}, ValueError, "'rate' must be less than 1, got 1"),
        (
            {"size": 1, "axis": [0, "x"]},
            ValueError,
            "'axis' has an item that must be of type integer, got [0, 'x']",
        ),
        ({"size": 1, "flag": 0}, ValueError, "'flag' must be of type boolean, got 0"),
        (
            {"size": 1, "index": ["..", 1]},
            ValueError,
            "'index' has an item that has none of the allowed forms, got ['..', 1]",
        ),
        (
            {"size": 1, "window": {"stop": 1}},
            ValueError,
            "'window' has unknown keys ['stop'], got {'stop': 1}",
        ),
        (
            {"size": 1, "window": {"start": 1.5}},
            ValueError,
            "'window' has a key 'start' that must be of type integer or null, got {'start': 1.5}",
        ),
    ],
)
def test_invalid_params_raise_naming_gate_and_parameter(
    kwargs: dict, error: type, message: str
) -> None:
    prefix = "g: parameter " if error is ValueError else ""
    with raises_exactly(error, prefix + message):
        check_params("g", SCHEMA, kwargs)


def test_a_gate_without_parameters_says_it_has_none() -> None:
    with raises_exactly(TypeError, "g has no parameter 'x' (parameters: none)"):
        check_params("g", params_schema(), {"x": 1})
    # A hand-written schema may leave out what it does not constrain.
    with raises_exactly(TypeError, "g has no parameter 'x' (parameters: none)"):
        check_params("g", {}, {"x": 1})
    check_params("g", {"properties": {"x": {"type": "integer"}}}, {"x": 1})


def test_a_maximum_is_inclusive() -> None:
    schema = params_schema(k=param("integer", "at most 3", maximum=3))
    check_params("g", schema, {"k": 3})
    with raises_exactly(ValueError, "g: parameter 'k' must be at most 3, got 4"):
        check_params("g", schema, {"k": 4})


def test_object_keywords_apply_to_objects_only() -> None:
    # As in JSON Schema: "properties" says nothing about a value that is not an object,
    # and an object may have other keys unless additionalProperties is false.
    schema = params_schema(option={"properties": {"start": {"type": "integer"}}})
    check_params("g", schema, {"option": "text"})
    check_params("g", schema, {"option": {"start": 1, "stop": 2}})


def test_integers_must_fit_in_64_bits_whatever_the_schema_says() -> None:
    check_params("g", SCHEMA, {"size": 2**63 - 1, "index": [-(2**63)]})
    fits = "must fit in 64 bits (from -2**63 to 2**63 - 1)"
    with raises_exactly(ValueError, f"g: parameter 'size' {fits}, got {2**63}"):
        check_params("g", SCHEMA, {"size": 2**63})
    with raises_exactly(ValueError, f"g: parameter 'rate' {fits}, got {-(10**400)}"):
        check_params("g", SCHEMA, {"size": 1, "rate": -(10**400)})
    item_fits = f"g: parameter 'axis' has an item that {fits}, got [0, {2**64}]"
    with raises_exactly(ValueError, item_fits):
        check_params("g", SCHEMA, {"size": 1, "axis": [0, 2**64]})


AXIS_PARAMS = [
    pytest.param(name, key, schema, id=f"{name}.{key}")
    for name, gate in sorted(REGISTRY.items())
    for key, schema in gate.params["properties"].items()
    if "axis" in key or "axes" in key
]


@pytest.mark.parametrize(("gate", "key", "schema"), AXIS_PARAMS)
def test_every_axis_is_refused_beyond_the_dimensions_an_array_can_have(gate, key, schema) -> None:
    # NumPy reads an axis as a C int, which overflows on 2**31 instead of saying "no such axis".
    gate_class = REGISTRY[gate]
    required = {k: 1 for k in gate_class.params["required"] if k != key}
    for axis in (MAX_DIMS, -MAX_DIMS - 1, 2**31, -(2**63)):
        value = axis if "integer" in schema["type"] else [axis]
        with pytest.raises(ValueError, match=f"parameter '{key}'"):
            gate_class(**required, **{key: value})
    within = MAX_DIMS - 1 if "integer" in schema["type"] else [MAX_DIMS - 1]
    gate_class(**required, **{key: within})
