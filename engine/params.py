"""Gate constructor parameters: their JSON schema, and checking values against it.

A registered gate describes its keyword arguments as a JSON schema object (``params``).
The backend validates requests against that schema; :func:`check_params` applies the
same subset of JSON Schema to Python callers, so both get the same errors.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

from engine.shapes import MAX_DIMS

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (numbers.Integral,),
    "number": (numbers.Real,),
    "boolean": (bool,),
    "string": (str,),
    "null": (type(None),),
    "array": (list, tuple),
    "object": (dict,),
}


def params_schema(required: Sequence[str] = (), **properties: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of a gate constructor's keyword arguments, one property per argument."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def param(types: str | list[str], description: str, **extra: Any) -> dict[str, Any]:
    """One property of a params schema: its JSON type(s), a description and any keywords."""
    return {"type": types, "description": description, **extra}


INT_LIST = {"type": "array", "items": {"type": "integer"}}
"""The schema of a list of integers."""

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
"""The integers a parameter may be: NumPy and JSON clients hold them in 64 bits."""

AXIS_RANGE = {"minimum": -MAX_DIMS, "maximum": MAX_DIMS - 1}
"""The axes an array can have. NumPy reads an axis as a C int: a larger number overflows
instead of being refused as an axis the array does not have."""


def axis_param(types: str | list[str], description: str, **extra: Any) -> dict[str, Any]:
    """A property naming an axis, or (when ``types`` holds "array") a list of axes."""
    items = {"items": {"type": "integer", **AXIS_RANGE}} if "array" in types else {}
    return param(types, description, **AXIS_RANGE, **items, **extra)


def check_params(gate: str, schema: Mapping[str, Any], kwargs: Mapping[str, Any]) -> None:
    """Raise TypeError/ValueError naming ``gate`` when ``kwargs`` do not fit ``schema``."""
    properties = schema.get("properties", {})
    for key in kwargs:
        if key not in properties:
            known = ", ".join(properties) or "none"
            raise TypeError(f"{gate} has no parameter {key!r} (parameters: {known})")
    for key in schema.get("required", ()):
        if key not in kwargs:
            raise TypeError(f"{gate} needs the parameter {key!r}")
    for key, value in kwargs.items():
        problem = _problem(properties[key], value)
        if problem:
            raise ValueError(f"{gate}: parameter {key!r} {problem}, got {value!r}")


def _problem(schema: Mapping[str, Any], value: Any) -> str | None:
    """Why ``value`` does not match ``schema``, or None when it does."""
    if "anyOf" in schema:
        if all(_problem(option, value) for option in schema["anyOf"]):
            return "has none of the allowed forms"
        return None
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else list(types)
        if not any(_is_type(value, name) for name in names):
            return f"must be of type {' or '.join(names)}"
    if "enum" in schema and value not in schema["enum"]:
        return f"must be one of {schema['enum']}"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _range_problem(schema, value)
    if isinstance(value, (list, tuple)) and "items" in schema:
        return next((f"has an item that {p}" for p in _item_problems(schema, value)), None)
    if isinstance(value, dict) and "properties" in schema:
        return _object_problem(schema, value)
    return None


def _item_problems(schema: Mapping[str, Any], value: Sequence[Any]) -> list[str]:
    return [p for item in value if (p := _problem(schema["items"], item))]


def _object_problem(schema: Mapping[str, Any], value: Mapping[str, Any]) -> str | None:
    properties = schema["properties"]
    extra = [key for key in value if key not in properties]
    if extra and schema.get("additionalProperties", True) is False:
        return f"has unknown keys {extra}"
    for key, item in value.items():
        if key in properties and (problem := _problem(properties[key], item)):
            return f"has a key {key!r} that {problem}"
    return None


def _range_problem(schema: Mapping[str, Any], value: float) -> str | None:
    if isinstance(value, numbers.Integral) and not INT64_MIN <= value <= INT64_MAX:
        return "must fit in 64 bits (from -2**63 to 2**63 - 1)"
    if "minimum" in schema and value < schema["minimum"]:
        return f"must be at least {schema['minimum']}"
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        return f"must be more than {schema['exclusiveMinimum']}"
    if "maximum" in schema and value > schema["maximum"]:
        return f"must be at most {schema['maximum']}"
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        return f"must be less than {schema['exclusiveMaximum']}"
    return None


def _is_type(value: Any, name: str) -> bool:
    # JSON has no separate boolean-as-integer: True is not an integer parameter.
    if isinstance(value, bool) and name != "boolean":
        return False
    return isinstance(value, _JSON_TYPES[name])
