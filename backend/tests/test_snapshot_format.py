"""Format 2: a snapshot is a documented JSON document plus plain arrays, holds no pickle,
names no class, writes a shared array once, and loads whatever the gate classes are called;
format 1 (pickles) is read only by its migration, which names exactly what it may find."""

import json
import sqlite3
import zlib
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

import engine
from backend.http.app import create_app
from backend.settings import Settings
from backend.store import snapshots
from backend.store.interface import Snapshot
from backend.store.snapshots import container, format1
from backend.tests.conftest import WorkspaceHandle, create_workspace
from backend.tests.fixtures.make_store import STEPS
from backend.workspace.workspace import Workspace
from engine.gates.activations import TanhGate
from engine.tests.test_gate_memory_estimates import CASES as GATE_CASES


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", snapshot_every_operations=4)


def built(settings: Settings) -> tuple[WorkspaceHandle, dict]:
    """The fixture stores' workspace (gates, backprop, optimizer, a paused run), snapshotted
    with nothing after the snapshot; returns it and its state as the server stopped."""
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        for method, path, body in STEPS:
            assert workspace.request(method, path, body).status_code < 300
        live, _ = client.app.state.registry.authorize(workspace.id, workspace.token)
        with live.lock:
            live.journal.snapshot()
        return workspace, workspace.get().json()


def reopened(settings: Settings, handle: WorkspaceHandle) -> tuple[TestClient, WorkspaceHandle]:
    client = TestClient(create_app(settings)).__enter__()
    return client, WorkspaceHandle(client, handle.id, handle.token, handle.viewer_token)


def newest_body(settings: Settings) -> bytes:
    with sqlite3.connect(settings.data_dir / "wengert.sqlite3") as db:
        row = db.execute("SELECT body FROM snapshots ORDER BY id DESC LIMIT 1").fetchone()
    return bytes(row[0])


def read_as_documented(body: bytes) -> tuple[dict, list[np.ndarray]]:
    """The layout of docs/snapshot-format.md, read without the server's code."""
    magic = b"wengert-snapshot-2\n"
    assert body.startswith(magic)
    crc, rest = body[len(magic) : len(magic) + 4], body[len(magic) + 4 :]
    assert zlib.crc32(rest).to_bytes(4, "big") == crc
    length = int.from_bytes(rest[:8], "big")
    document = json.loads(rest[8 : 8 + length])
    data = rest[8 + length :]
    arrays, offset = [], 0
    for dtype_name, shape in document["arrays"]:
        dtype = np.dtype(dtype_name)
        assert dtype.kind in "biufc"
        count = int(np.prod(shape, dtype=np.int64))
        arrays.append(np.frombuffer(data, dtype, count, offset).reshape(shape))
        offset += -(-count * dtype.itemsize // 8) * 8  # each padded to a multiple of 8 bytes
    assert offset == len(data)
    return document, arrays


def test_a_new_snapshot_is_a_json_document_and_arrays_with_no_pickle_in_it(settings):
    built(settings)
    body = newest_body(settings)
    document, arrays = read_as_documented(body)
    assert document["format"] == 2
    for protocol in range(2, 6):  # a pickle stream opens with PROTO (0x80) and its version
        assert bytes([0x80, protocol]) not in body[: len(body) - sum(a.nbytes for a in arrays)]
    text = json.dumps(document)
    for python_name in ("engine.", "backend.", "numpy", "Gate", "Variable", "Trainer"):
        assert python_name not in text
    gates = {node["gate"] for node in document["nodes"]}
    assert {"matmul", "tanh", "mul"} <= gates
    assert document["workspace"]["training"]["state"] == "paused"


def test_an_array_shared_by_several_objects_is_written_once(settings):
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        big = np.arange(1000.0).tolist()
        assert workspace.post("/variables", {"name": "x", "value": big, "requires_grad": True})
        for i in range(6):  # each mul saves x twice for backward
            answer = workspace.post(
                "/gates", {"gate": "mul", "inputs": ["x", "x"], "output": f"y{i}"}
            )
            assert answer.status_code == 201
        live, _ = client.app.state.registry.authorize(workspace.id, workspace.token)
        with live.lock:
            document, arrays = read_as_documented(snapshots.capture(live, live.journal.seq).body)
    assert sum(a.size == 1000 for a in arrays) == 7  # x and the six products, x once
    x_ref = document["variables"][document["workspace"]["variables"][0][1]]["value"]
    saved = [node["state"] for node in document["nodes"]]
    refs = [value for state in saved for key, value in state.items() if key in ("a", "b")]
    assert refs == [{"$array": x_ref}] * 12


def rename_tanh(monkeypatch: pytest.MonkeyPatch) -> type:
    """Rename and move the tanh gate's class: its old name is gone, the registry has the
    new one (until the test ends)."""
    monkeypatch.setitem(engine.REGISTRY, "tanh", TanhGate)  # restored to this afterwards
    monkeypatch.delattr("engine.gates.activations.TanhGate")
    # Registers itself under "tanh", as a class defined with that name would.
    return type("HyperbolicTangent", (TanhGate,), {"name": "tanh", "__module__": "elsewhere"})


def test_a_renamed_gate_class_changes_nothing_in_what_loads(settings, monkeypatch):
    handle, before = built(settings)
    renamed = rename_tanh(monkeypatch)
    client, workspace = reopened(settings, handle)
    try:
        assert workspace.get().json() == before
        live, _ = client.app.state.registry.authorize(workspace.id, workspace.token)
        assert any(type(node.gate) is renamed for node in live.context.nodes)
        assert workspace.post("/backprop", {"variable": "h2"}).status_code == 200
    finally:
        client.__exit__(None, None, None)


def test_the_format_1_fixture_loads_with_a_renamed_gate_class(tmp_path, monkeypatch):
    renamed = rename_tanh(monkeypatch)
    store = Path(__file__).parent / "fixtures" / "store-format-1.sqlite3"
    with sqlite3.connect(store) as db:
        bodies = [bytes(row[0]) for row in db.execute("SELECT body FROM snapshots")]
    for body in bodies:
        state = format1.read(body, Workspace.STATE)
        gates = [node.gate for node in state["context"].nodes]
        assert any(type(gate) is renamed for gate in gates)


def crafted_pickle(module: str, name: str, argument: str) -> bytes:
    """A protocol-4 pickle calling ``module.name(argument)`` as it loads."""

    def text(value: str) -> bytes:
        encoded = value.encode()
        return b"\x8c" + bytes([len(encoded)]) + encoded

    return b"\x80\x04" + text(module) + text(name) + b"\x93" + text(argument) + b"\x85R."


def test_a_crafted_row_with_a_dotted_name_is_refused_by_the_migration(settings, tmp_path):
    marker = tmp_path / "ran"
    # Allowed by the old prefix check (module under numpy): it ran the command.
    pickled = crafted_pickle("numpy.lib._datasource", "os.system", f"touch {marker}")
    body = format1.MAGIC + zlib.crc32(pickled).to_bytes(4, "big") + pickled
    with pytest.raises(snapshots.SnapshotUnreadable, match=r"numpy\.lib\._datasource\.os\.system"):
        format1.read(body, Workspace.STATE)
    handle, _ = built(settings)
    with sqlite3.connect(settings.data_dir / "wengert.sqlite3") as db:
        db.execute("UPDATE snapshots SET body = ?", (body,))
    client, workspace = reopened(settings, handle)
    try:
        assert workspace.get().json()["damage"]["kind"] == "snapshot"
    finally:
        client.__exit__(None, None, None)
    assert not marker.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda doc: doc["nodes"][0].update(gate="os.system"),
        lambda doc: doc["arrays"][0].__setitem__(0, "|O"),
        lambda doc: doc["arrays"][-1].__setitem__(1, [10**9]),
        lambda doc: doc["variables"][0].update(value=10**6),
        lambda doc: doc.update(format=3),
        lambda doc: doc["workspace"]["training"]["runs"]["layouts"][0][0].__setitem__(2, [9]),
        lambda doc: doc["workspace"]["training"]["runs"]["current"].update(kept=[]),
    ],
    ids=[
        "unknown-gate",
        "object-dtype",
        "array-beyond-the-end",
        "missing-array",
        "format-3",
        "kept-step-of-another-layout",
        "run-keeping-no-step",
    ],
)
def test_a_document_that_does_not_hold_a_workspace_is_unreadable(settings, tamper):
    built(settings)
    body = newest_body(settings)
    document, _ = read_as_documented(body)
    tamper(document)
    data_start = len(container.MAGIC) + 12 + int.from_bytes(body[23:31], "big")
    header = json.dumps(document).encode()
    rest = len(header).to_bytes(8, "big") + header + body[data_start:]
    forged = container.MAGIC + zlib.crc32(rest).to_bytes(4, "big") + rest
    with pytest.raises(snapshots.SnapshotUnreadable):
        snapshots.restore(Workspace("w", settings), Snapshot(1, 1, forged, None))


def test_a_flipped_byte_in_an_array_fails_the_checksum(settings):
    built(settings)
    body = bytearray(newest_body(settings))
    body[-3] ^= 0xFF
    with pytest.raises(snapshots.SnapshotUnreadable, match="checksum"):
        snapshots.restore(Workspace("w", settings), Snapshot(1, 1, bytes(body), None))


@pytest.mark.parametrize(
    ("name", "params", "shapes", "dtypes"), GATE_CASES, ids=[case[0] for case in GATE_CASES]
)
def test_every_gate_comes_back_from_a_snapshot_and_backprops_the_same(
    settings, name, params, shapes, dtypes
):
    def backprop_grads(ws: Workspace) -> list:
        ws.variables["out0"].backprop()
        return [ws.variables[f"in{i}"].grad for i in range(len(shapes))]

    live = Workspace("w", settings)
    dtypes = dtypes or [np.float64] * len(shapes)
    for i, (shape, dtype) in enumerate(zip(shapes, dtypes, strict=True)):
        value = np.ones(shape, dtype)  # ones suit every gate: whole indices, positive logs
        live.variables[f"in{i}"] = live.context.variable(value, True, f"in{i}", dtype)
    produced = engine.REGISTRY[name](**params)(*live.variables.values())
    for i, out in enumerate(produced if isinstance(produced, list) else [produced]):
        live.variables[f"out{i}"] = out
    loaded = Workspace("w", settings)
    snapshots.restore(loaded, snapshots.capture(live, 1))
    (node,) = loaded.context.nodes
    assert type(node.gate) is engine.REGISTRY[name]
    assert set(node.gate.saved_state()) == set(live.context.nodes[0].gate.saved_state())
    for got, expected in zip(backprop_grads(loaded), backprop_grads(live), strict=True):
        np.testing.assert_array_equal(got, expected)
