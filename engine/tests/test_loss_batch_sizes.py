"""The softmax cross-entropies divide by the number of rows: every axis but the class axis."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import engine
from engine import Context, Variable

ROWS = (2, 3)


@pytest.mark.parametrize(
    ("loss", "targets"),
    [
        (engine.softmax_cross_entropy, np.eye(4)[np.zeros(ROWS, dtype=int)]),
        (engine.sparse_softmax_cross_entropy, np.zeros(ROWS)),
    ],
)
def test_softmax_cross_entropies_average_over_every_row(
    ctx: Context, loss: Callable[[Variable, Variable], Variable], targets: np.ndarray
) -> None:
    logits = ctx.variable(np.zeros((*ROWS, 4)))  # six rows of four equally likely classes
    assert float(loss(logits, ctx.variable(targets)).value) == pytest.approx(math.log(4))
