"""Anomaly detection: where a NaN or an infinity was born, in forward and in backward.

``with detect_anomaly(ctx) as found:`` watches every gate applied on ``ctx`` and every
backprop step; ``found.forward`` is the first gate whose output holds a NaN or infinity its
inputs did not have (log of 0, 0/0, exp overflow, inf − inf), ``found.backward`` the first
step whose gradient for a parent is non-finite while the gradient flowing in was not (the
derivative of sqrt at 0). Nothing is raised: the caller decides what to do with a finding.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from engine.gate import Gate
    from engine.tape import Context, Node
    from engine.variable import Variable


@dataclass(frozen=True, slots=True)
class Anomaly:
    """One place a non-finite number was born.

    ``slot`` is the output (forward) or the parent (backward) it appeared in, by position;
    ``index`` is its first such element; ``node`` is None for a gate that was not recorded.
    """

    phase: Literal["forward", "backward"]
    gate: str
    node: Node | None
    slot: int
    index: tuple[int, ...]
    value: float
    explanation: str


class AnomalyDetector:
    """What :func:`detect_anomaly` found: the first anomaly of each phase, or None."""

    __slots__ = ("backward", "forward")

    def __init__(self) -> None:
        self.forward: Anomaly | None = None
        self.backward: Anomaly | None = None

    @property
    def found(self) -> list[Anomaly]:
        """The anomalies found, forward first."""
        return [a for a in (self.forward, self.backward) if a is not None]

    def watch_forward(
        self,
        gate: Gate,
        parents: Sequence[Variable],
        outputs: Sequence[Variable],
        node: Node | None,
    ) -> None:
        """Record ``gate``'s outputs if one is the first to hold a newborn NaN or infinity."""
        if self.forward is not None:
            return
        for slot, out in enumerate(outputs):
            if all_finite(out.value):
                continue  # the common case, kept to one check
            sources = [p.value for p in parents]
            born = _born(out.value, sources)
            if born is not None:
                index, value, kind = born
                text = _forward_text(
                    gate.display_name, sources, out.value.shape, index, value, kind
                )
                self.forward = Anomaly("forward", gate.display_name, node, slot, index, value, text)
                return

    def watch_backward(self, node: Node, diffs: Sequence[np.ndarray | None]) -> None:
        """Record the step of ``node`` if it is the first to make a non-finite gradient
        from a finite one."""
        if self.backward is not None:
            return
        for slot, diff in enumerate(diffs):
            if diff is None or all_finite(diff):
                continue  # the common case, kept to one check
            upstream = [out.raw_grad for out in node.payload.outputs if out.raw_grad is not None]
            born = _born(diff, upstream)
            if born is not None:
                index, value, kind = born
                saved = node.parents[slot].value
                text = _backward_text(node.name, slot, saved, index, value, kind)
                self.backward = Anomaly("backward", node.name, node, slot, index, value, text)
                return


@contextmanager
def detect_anomaly(ctx: Context) -> Iterator[AnomalyDetector]:
    """Within this block, find where NaN and infinity are born on ``ctx`` (off by default).

    Costs a finiteness check of every output and gradient. Blocks nest: the innermost
    detector gets the findings, and the previous one watches again on exit.
    """
    previous = ctx.anomalies
    detector = AnomalyDetector()
    ctx.anomalies = detector
    try:
        yield detector
    finally:
        ctx.anomalies = previous


def all_finite(array: np.ndarray) -> bool:
    """Whether no element is NaN or ±∞.

    x·x is finite exactly when every element is, unless it overflows: one BLAS pass, about
    twice as fast as ``np.isfinite(x).all()`` on a large float32 array, and the exact check
    only when the dot product is not finite.
    """
    flat = array.reshape(-1)
    return math.isfinite(flat.dot(flat)) or bool(np.isfinite(array).all())


def _born(
    result: np.ndarray, sources: Sequence[np.ndarray]
) -> tuple[tuple[int, ...], float, str] | None:
    """Where ``result``, which is not all finite, holds a NaN none of ``sources`` holds, or an
    infinity from finite sources: (index, value, "NaN" or "infinity"), or None."""
    if np.isnan(result).any() and not any(np.isnan(s).any() for s in sources):
        return (*_first(np.isnan(result), result), "NaN")
    if np.isinf(result).any() and all(np.isfinite(s).all() for s in sources):
        return (*_first(np.isinf(result), result), "infinity")
    return None


def _first(mask: np.ndarray, result: np.ndarray) -> tuple[tuple[int, ...], float]:
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), result.shape))
    return index, float(result[index])


def _forward_text(
    gate: str,
    sources: Sequence[np.ndarray],
    shape: tuple[int, ...],
    index: tuple[int, ...],
    value: float,
    kind: str,
) -> str:
    origin = "finite inputs" if kind == "infinity" else "inputs without NaN"
    text = f"{gate} made {_number(value)}{_where(index)} from {origin}"
    args = [_element(s, shape, index) for s in sources]
    if all(a is not None for a in args):
        text += f": {gate}({', '.join(args)}) = {_number(value)}"
    return text


def _backward_text(
    gate: str, slot: int, saved: np.ndarray, index: tuple[int, ...], value: float, kind: str
) -> str:
    origin = "finite" if kind == "infinity" else "free of NaN"
    text = (
        f"{gate}'s backward gave {_number(value)} for its input #{slot + 1}{_where(index)} "
        f"although the gradient flowing in is {origin}"
    )
    element = _element(saved, saved.shape, index)
    return text if element is None else f"{text}; that input is {element} there"


def _element(source: np.ndarray, shape: tuple[int, ...], index: tuple[int, ...]) -> str | None:
    """``source``'s element at ``index`` of an output of ``shape``, when it broadcasts there."""
    try:
        return _number(float(np.broadcast_to(source, shape)[index]))
    except ValueError:
        return None


def _where(index: tuple[int, ...]) -> str:
    return f" at [{', '.join(map(str, index))}]" if index else ""


def _number(value: float) -> str:
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:g}"
