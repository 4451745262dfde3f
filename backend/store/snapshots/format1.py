"""The migration of format-1 snapshots: pickles of the classes of the release that wrote them.

Releases before format 2 stored a workspace as one pickle (protocol 5) of its state. This
module is the only code that still reads one; nothing writes one any more. A workspace
whose newest snapshot is a pickle is read here once, and the journal saves it again in
format 2 as soon as it has loaded (``backend/store/journal.py``).

The unpickler finds exactly the names that release's pickles hold, each spelled out below:
no module prefix lets a dotted name reach anything else (``numpy.lib._datasource`` with
``os.system`` ran a command under the old prefix check). The gates are looked up by their
registry name, so a gate class renamed since still loads.
"""

from __future__ import annotations

import io
import pickle
import zlib
from typing import Any

import engine
from backend.store.snapshots.container import SnapshotUnreadable

MAGIC = b"wengert-snapshot-1\n"

GATES = {
    ("engine.gates.activations", "GeluGate"): "gelu",
    ("engine.gates.activations", "LeakyReluGate"): "leaky_relu",
    ("engine.gates.activations", "LogSoftmaxGate"): "log_softmax",
    ("engine.gates.activations", "ReluGate"): "relu",
    ("engine.gates.activations", "SigmoidGate"): "sigmoid",
    ("engine.gates.activations", "SoftmaxGate"): "softmax",
    ("engine.gates.activations", "TanhGate"): "tanh",
    ("engine.gates.arithmetic", "AbsGate"): "abs",
    ("engine.gates.arithmetic", "AddGate"): "add",
    ("engine.gates.arithmetic", "ClampGate"): "clamp",
    ("engine.gates.arithmetic", "DivGate"): "div",
    ("engine.gates.arithmetic", "ExpGate"): "exp",
    ("engine.gates.arithmetic", "LogGate"): "log",
    ("engine.gates.arithmetic", "MatMulGate"): "matmul",
    ("engine.gates.arithmetic", "MulGate"): "mul",
    ("engine.gates.arithmetic", "NegGate"): "neg",
    ("engine.gates.arithmetic", "PowGate"): "pow",
    ("engine.gates.arithmetic", "SqrtGate"): "sqrt",
    ("engine.gates.arithmetic", "SubGate"): "sub",
    ("engine.gates.conv", "Conv2dGate"): "conv2d",
    ("engine.gates.conv", "MaxPool2dGate"): "maxpool2d",
    ("engine.gates.indexing", "GetItemGate"): "getitem",
    ("engine.gates.layers", "DropoutGate"): "dropout",
    ("engine.gates.layers", "EmbeddingGate"): "embedding",
    ("engine.gates.layers", "GruCellGate"): "gru_cell",
    ("engine.gates.layers", "LinearGate"): "linear",
    ("engine.gates.losses", "MseLossGate"): "mse_loss",
    ("engine.gates.losses", "SigmoidCrossEntropyGate"): "sigmoid_cross_entropy",
    ("engine.gates.losses", "SoftmaxCrossEntropyGate"): "softmax_cross_entropy",
    ("engine.gates.losses", "SparseSoftmaxCrossEntropyGate"): "sparse_softmax_cross_entropy",
    ("engine.gates.reductions", "MaxGate"): "max",
    ("engine.gates.reductions", "MeanGate"): "mean",
    ("engine.gates.reductions", "SumGate"): "sum",
    ("engine.gates.shape", "ChunkGate"): "chunk",
    ("engine.gates.shape", "ConcatGate"): "concat",
    ("engine.gates.shape", "FlattenGate"): "flatten",
    ("engine.gates.shape", "ReshapeGate"): "reshape",
    ("engine.gates.shape", "SplitGate"): "split",
    ("engine.gates.shape", "SqueezeGate"): "squeeze",
    ("engine.gates.shape", "StackGate"): "stack",
    ("engine.gates.shape", "TransposeGate"): "transpose",
    ("engine.gates.shape", "UnsqueezeGate"): "unsqueeze",
    ("engine.gates.shape", "UnstackGate"): "unstack",
}
"""Format 1's gate classes, by module and class name, and the registry name of each."""

CLASSES = {
    "engine.tape": {"Context", "Node", "Payload", "PayloadKind"},
    "engine.variable": {"Variable"},
    "engine.optim": {"SGD", "Adam"},
    "backend.views": {"NodeRecord"},
    "backend.workspace.views": {"NodeRecord"},
    "backend.schemas": {"AnomalyOut"},
    "backend.training.trainer": {"Trainer"},
    "backend.training.job": {"TrainingRun"},
    "backend.training.model": {"Mlp"},
    "backend.training.datasets": {"Dataset"},
    "backend.training.schemas": {
        "DatasetConfig",
        "ModelConfig",
        "OptimizerConfig",
        "TrainingConfig",
        "HistoryEntry",
        "LayerHealth",
    },
    # NumPy's arrays, scalars and dtypes, under NumPy 2's module names and NumPy 1's.
    "numpy": {"dtype", "ndarray"},
    "numpy._core.numeric": {"_frombuffer"},
    "numpy.core.numeric": {"_frombuffer"},
    "numpy._core.multiarray": {"_reconstruct", "scalar"},
    "numpy.core.multiarray": {"_reconstruct", "scalar"},
    "builtins": {"set", "frozenset", "slice", "complex", "range", "bytearray"},
    "copyreg": {"_reconstructor"},
    "collections": {"OrderedDict"},
}
"""Every other name a format-1 pickle may hold, exactly."""

MOVED = {"backend.views": "backend.workspace.views"}
"""Modules of format 1's names that live elsewhere today: the pickle's name, today's module
(a pickle of today's classes, as the tests write, names the new one)."""


def read(body: bytes, parts: tuple[str, ...]) -> dict[str, Any]:
    """The workspace's parts in a format-1 snapshot; raises SnapshotUnreadable.

    A snapshot from before a part of the state was kept lacks it (that part starts as a new
    workspace's); one holding a part not in ``parts`` is another server's state.
    """
    if not body.startswith(MAGIC):
        raise SnapshotUnreadable("it does not start as a format-1 Wengert snapshot")
    checksum, pickled = body[len(MAGIC) : len(MAGIC) + 4], body[len(MAGIC) + 4 :]
    if zlib.crc32(pickled).to_bytes(4, "big") != checksum:
        raise SnapshotUnreadable("its checksum does not match (truncated or altered)")
    try:
        state = _Unpickler(io.BytesIO(pickled)).load()
    except Exception as error:  # a matching checksum over bytes this code cannot read
        raise SnapshotUnreadable(f"it cannot be unpickled: {error}") from error
    if not isinstance(state, dict) or not set(state) <= set(parts):
        raise SnapshotUnreadable("it holds another kind of state than this server keeps")
    return state


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        gate = GATES.get((module, name))
        if gate is not None:
            return engine.REGISTRY[gate]
        if name in CLASSES.get(module, ()):
            return super().find_class(MOVED.get(module, module), name)
        raise pickle.UnpicklingError(f"a format-1 snapshot may not name {module}.{name}")
