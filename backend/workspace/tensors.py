"""Tensors to and from JSON: nested lists, with non-finite numbers spelled out."""

import math
from typing import Any

import numpy as np

from backend.errors import Invalid, TooLarge

NON_FINITE = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}
DTYPES = ("float64", "float32", "int64", "bool")
"""The dtypes a tensor may have: those the engine makes (index gates make int64, masks bool).
Any other (a string dtype of a billion bytes an element, say) is refused before it is used."""


def extent(shape: tuple[int, ...] | list[int]) -> int:
    """What a tensor of ``shape`` costs to hold and to write as JSON: its elements, counting
    each axis as at least 1, since a shape like (2**31, 0) has no elements but would be
    written as 2**31 empty lists."""
    return math.prod(max(size, 1) for size in shape)


def encode(array: np.ndarray | None) -> Any:
    """A number for a scalar, nested lists otherwise; NaN and infinities as "nan", "inf", "-inf"."""
    if array is None:
        return None
    if np.isfinite(array).all():
        return array.item() if array.ndim == 0 else array.tolist()
    return _spell_non_finite(array.tolist())


def encode_number(value: float | np.floating) -> float | str:
    """One number as :func:`encode` writes a scalar: a float, or "nan", "inf", "-inf"."""
    number = float(value)
    return number if math.isfinite(number) else _spell_non_finite(number)


def _spell_non_finite(value: Any) -> Any:
    if isinstance(value, list):
        return [_spell_non_finite(v) for v in value]
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def decode(
    value: Any, dtype: str, max_elements: int, what: str, allow_nonfinite: bool = False
) -> np.ndarray:
    """Parse a JSON tensor, rejecting ragged lists, non-numbers, oversize and (unless allowed)
    non-finite values, which may be spelled "nan", "inf" and "-inf".

    The dtype and the element count its outer shape gives are checked before any array is
    made, so what the array costs is known before it is paid."""
    if dtype not in DTYPES:
        raise Invalid(
            "invalid_tensor",
            f"{what} has the dtype {dtype!r}; tensors are {', '.join(DTYPES)}",
            {"dtype": dtype, "allowed": list(DTYPES)},
        )
    _check_size(_outer_shape(value), max_elements, what)
    try:
        array = np.array(_read_non_finite(value), dtype=dtype)
    except (ValueError, TypeError, OverflowError) as exc:
        raise Invalid(
            "invalid_tensor", f"{what} is not a rectangular array of numbers", str(exc)
        ) from exc
    _check_size(array.shape, max_elements, what)
    if not allow_nonfinite and not np.isfinite(array).all():
        raise Invalid(
            "non_finite", f"{what} contains NaN or infinity; send allow_nonfinite to keep it"
        )
    return array


def _outer_shape(value: Any) -> tuple[int, ...]:
    """The shape a nested list claims along its first elements (a ragged list is caught
    when the array is made)."""
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0] if value else None
    return tuple(shape)


def _check_size(shape: tuple[int, ...], max_elements: int, what: str) -> None:
    elements = math.prod(shape)
    if elements > max_elements:
        raise TooLarge(
            "tensor_too_large",
            f"{what} has {elements} elements; the limit is {max_elements}",
            {"elements": elements, "limit": max_elements},
        )


def _read_non_finite(value: Any) -> Any:
    if isinstance(value, list):
        return [_read_non_finite(v) for v in value]
    if isinstance(value, str):
        if value not in NON_FINITE:
            raise ValueError(f"{value!r} is not a number")
        return NON_FINITE[value]
    if isinstance(value, bool):
        raise ValueError("booleans are not numbers")
    return value
