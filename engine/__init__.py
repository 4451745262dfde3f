"""Wengert's autograd engine: Arraymancer's autograd API in Python on NumPy.

A :class:`Context` is the tape (Wengert list); a :class:`Variable` wraps a value, its
gradient and ``requires_grad``; a :class:`Gate` is an operation with forward and backward.
Every gate of the library is a function here (``engine.matmul``, ``engine.relu`` ...);
optimizers live in :mod:`engine.optim`, gradient checking in :mod:`engine.gradcheck`.
"""

from engine.anomaly import Anomaly, AnomalyDetector, detect_anomaly
from engine.gate import (
    REGISTRY,
    ElementwiseGate,
    Gate,
    GateInputError,
    Parents,
    SmallDiffs,
    apply,
    as_variables,
    catalog,
    infer,
    new_diffs,
    new_parents,
)
from engine.gates import *  # noqa: F403 - the gate functions are the engine's vocabulary
from engine.gates import __all__ as _gate_names
from engine.gradcheck import GradcheckResult, gradcheck
from engine.shapes import GateCost, TensorSpec
from engine.tape import (
    AutogradError,
    BackpropStep,
    Context,
    Node,
    Payload,
    PayloadKind,
    StaleTapeError,
    backprop,
    backprop_steps,
    no_grad_mode,
    stale_message,
)
from engine.variable import Variable

__all__ = [
    "REGISTRY",
    "Anomaly",
    "AnomalyDetector",
    "AutogradError",
    "BackpropStep",
    "Context",
    "ElementwiseGate",
    "Gate",
    "GateCost",
    "GateInputError",
    "GradcheckResult",
    "Node",
    "Parents",
    "Payload",
    "PayloadKind",
    "SmallDiffs",
    "StaleTapeError",
    "TensorSpec",
    "Variable",
    "apply",
    "as_variables",
    "backprop",
    "backprop_steps",
    "catalog",
    "detect_anomaly",
    "gradcheck",
    "infer",
    "new_diffs",
    "new_parents",
    "no_grad_mode",
    "stale_message",
    *_gate_names,
]
