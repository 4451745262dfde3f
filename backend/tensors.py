"""Tensors to and from JSON: nested lists, with non-finite numbers spelled out."""

import math
from typing import Any

import numpy as np

from backend.errors import ApiError

NON_FINITE = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


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
    non-finite values, which may be spelled "nan", "inf" and "-inf"."""
    try:
        array = np.array(_read_non_finite(value), dtype=dtype)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ApiError(
            422, "invalid_tensor", f"{what} is not a rectangular array of numbers", str(exc)
        ) from exc
    if array.size > max_elements:
        raise ApiError(
            413,
            "tensor_too_large",
            f"{what} has {array.size} elements; the limit is {max_elements}",
            {"elements": int(array.size), "limit": max_elements},
        )
    if not allow_nonfinite and not np.isfinite(array).all():
        raise ApiError(
            422, "non_finite", f"{what} contains NaN or infinity; send allow_nonfinite to keep it"
        )
    return array


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
