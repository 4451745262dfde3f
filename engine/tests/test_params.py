"""Gate parameters: the JSON schema subset that check_params enforces."""

import numpy as np
import pytest

from engine.params import INT_LIST, check_params, param, params_schema

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
        ({"size": 1, "bogus": 1}, TypeError, "g has no parameter 'bogus'"),
        ({"size": 1.5}, ValueError, "'size' must be of type integer"),
        ({"size": True}, ValueError, "'size' must be of type integer"),
        ({"size": 0}, ValueError, "'size' must be at least 1"),
        ({"size": 1, "rate": 1}, ValueError, "'rate' must be less than 1"),
        (
            {"size": 1, "axis": [0, "x"]},
            ValueError,
            "'axis' has an item that must be of type integer",
        ),
        ({"size": 1, "flag": 0}, ValueError, "'flag' must be of type boolean"),
        ({"size": 1, "index": ["..", 1]}, ValueError, "'index' has an item that has none"),
        ({"size": 1, "window": {"stop": 1}}, ValueError, "'window' has unknown keys"),
        ({"size": 1, "window": {"start": 1.5}}, ValueError, "'window' has a key 'start'"),
    ],
)
def test_invalid_params_raise_naming_gate_and_parameter(
    kwargs: dict, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        check_params("g", SCHEMA, kwargs)
