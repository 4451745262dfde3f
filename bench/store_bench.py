"""Durable state: how long a workspace with a long history takes to load, and how much disk
a long training run keeps.

Loading a workspace of 100,000 operations from its snapshot and tail, against replaying its
whole journal (what the server did before snapshots) and against the floor, reading the
snapshot's bytes from SQLite and decoding them. Then the snapshot formats side by side: a
workspace with 9,000 nodes on its tape (each with the values it saved for backward) and
9,000 in its history, written and read in format 2 and as format 1's pickle, alternating,
with the ratio. Then a training run checkpointed over and over, with the store's size after
each stretch.

    python bench/store_bench.py [--operations 100000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import pickle
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backend.settings import Settings
from backend.store import snapshots
from backend.store.interface import Snapshot
from backend.store.registry import WorkspaceRegistry
from backend.store.snapshots import format1
from backend.store.sqlite import SqliteStore
from backend.training.schemas import TrainingConfig
from backend.training.trainer import trainer_of
from backend.workspace.operations import OPERATIONS, perform
from backend.workspace.workspace import Workspace


def build(registry: WorkspaceRegistry, operations: int) -> tuple[str, str]:
    """A workspace of ``operations`` operations, as a student's long session makes one:
    3,000 rounds of three gates on a parameter (9,000 nodes in the history, about the
    variable limit), a backprop and an Adam step every 100 rounds; then Adam steps up to
    ``operations``."""
    created = registry.create()
    ws, _ = registry.authorize(created.id, created.token)
    done = 0

    def run(kind: str, body: dict) -> None:
        nonlocal done
        if done < operations:
            perform(ws, kind, OPERATIONS[kind].request.model_validate(body))
            done += 1

    run("create_variable", {"name": "w", "value": [0.5, -0.25], "requires_grad": True})
    run("create_variable", {"name": "x", "value": [1.0, 2.0]})
    for round_ in range(3_000):
        run("apply_gate", {"gate": "mul", "inputs": ["w", "x"], "output": f"p{round_}"})
        run("apply_gate", {"gate": "tanh", "inputs": [f"p{round_}"], "output": f"t{round_}"})
        run("apply_gate", {"gate": "sum", "inputs": [f"t{round_}"], "output": f"s{round_}"})
        if round_ % 100 == 99:
            run("backprop", {"variable": f"s{round_}"})
            run("optimizer_step", ADAM)
    while done < operations:
        run("optimizer_step", ADAM)
    ws.journal.wait()
    return created.id, created.token


ADAM = {"optimizer": "adam", "lr": 0.01, "params": ["w"]}


def timed_load(settings: Settings, workspace_id: str, token: str) -> float:
    store = SqliteStore(settings.data_dir)
    registry = WorkspaceRegistry(settings, store)
    started = time.perf_counter()
    registry.authorize(workspace_id, token)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed


def floor(settings: Settings, workspace_id: str) -> tuple[float, int]:
    """Reading the newest snapshot's bytes and decoding them, and its size."""
    store = SqliteStore(settings.data_dir)
    started = time.perf_counter()
    newest = store.snapshots(workspace_id)[0]
    snapshots.restore(Workspace(workspace_id, settings), newest)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed, len(newest.body)


def median_of(times: int, measure) -> float:
    return statistics.median(measure() for _ in range(times))


def bench_load(operations: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        snapshotting = Settings(data_dir=Path(folder) / "snap")
        journal_only = Settings(
            data_dir=Path(folder) / "journal",
            snapshot_every_operations=10**9,
            snapshot_every_bytes=2**62,
        )
        ids = {}
        for settings in (snapshotting, journal_only):
            store = SqliteStore(settings.data_dir)
            ids[settings.data_dir] = build(WorkspaceRegistry(settings, store), operations)
            store.close()
        snap_ids, journal_ids = ids[snapshotting.data_dir], ids[journal_only.data_dir]
        load = median_of(3, lambda: timed_load(snapshotting, *snap_ids))
        replay = median_of(1, lambda: timed_load(journal_only, *journal_ids))
        floor_time, size = floor(snapshotting, snap_ids[0])
        with sqlite3.connect(snapshotting.data_dir / "wengert.sqlite3") as db:
            tail = db.execute("SELECT count(*) FROM operations").fetchone()[0]
        print(f"Loading a workspace of {operations:,} operations (history, optimizer state)")
        print(f"  snapshot + tail ({tail} operations): {load * 1000:8.1f} ms")
        print(f"  whole journal replayed:             {replay * 1000:8.1f} ms")
        print(f"  floor, reading and decoding it:     {floor_time * 1000:8.1f} ms")
        print(f"  (the snapshot is {size / 2**20:.1f} MiB)")


def long_tape(registry: WorkspaceRegistry) -> Workspace:
    """3,000 rounds of mul, tanh and sum on a parameter, never backpropagated: 9,000 nodes
    on the tape and in the history, after an Adam step (optimizer state)."""
    created = registry.create()
    ws, _ = registry.authorize(created.id, created.token)

    def run(kind: str, body: dict) -> None:
        perform(ws, kind, OPERATIONS[kind].request.model_validate(body))

    run("create_variable", {"name": "w", "value": [0.5, -0.25], "requires_grad": True})
    run("create_variable", {"name": "x", "value": [1.0, 2.0]})
    run("apply_gate", {"gate": "mul", "inputs": ["w", "x"], "output": "p"})
    run("backprop", {"variable": "p"})
    run("optimizer_step", ADAM)
    for round_ in range(3_000):
        run("apply_gate", {"gate": "mul", "inputs": ["w", "x"], "output": f"p{round_}"})
        run("apply_gate", {"gate": "tanh", "inputs": [f"p{round_}"], "output": f"t{round_}"})
        run("apply_gate", {"gate": "sum", "inputs": [f"t{round_}"], "output": f"s{round_}"})
    ws.journal.wait()
    return ws


def pickled(ws: Workspace) -> bytes:
    """The workspace as format 1 wrote it (the reference: no server code writes it now)."""
    body = pickle.dumps({name: getattr(ws, name) for name in Workspace.STATE}, protocol=5)
    return format1.MAGIC + zlib.crc32(body).to_bytes(4, "big") + body


def bench_formats(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder))
        store = SqliteStore(settings.data_dir)
        ws = long_tape(WorkspaceRegistry(settings, store))
        writers = {
            "format 2": lambda: snapshots.capture(ws, 0).body,
            "format 1": lambda: pickled(ws),
        }
        times: dict[str, dict[str, list[float]]] = {n: {"write": [], "load": []} for n in writers}
        sizes = {}
        with ws.lock:
            for _ in range(repeats):  # alternating, so both see the same machine load
                for name, write in writers.items():
                    started = time.perf_counter()
                    body = write()
                    times[name]["write"].append(time.perf_counter() - started)
                    sizes[name] = len(body)
                    snapshot = Snapshot(0, 0, body, snapshots.stats_of(ws))
                    started = time.perf_counter()
                    snapshots.restore(Workspace(ws.id, settings), snapshot)
                    times[name]["load"].append(time.perf_counter() - started)
        store.close()
    print(f"Snapshot formats: 9,000 nodes on the tape and in the history (median of {repeats})")
    print(f"  {'':9} {'write ms':>9} {'load ms':>9} {'size KiB':>9}")
    for name, measured in times.items():
        write, load = (statistics.median(measured[k]) * 1000 for k in ("write", "load"))
        print(f"  {name:9} {write:9.1f} {load:9.1f} {sizes[name] / 1024:9.0f}")
    ratio = statistics.median(times["format 2"]["load"]) / statistics.median(
        times["format 1"]["load"]
    )
    print(f"  load, format 2 / format 1: {ratio:.2f}x (target <= 1.5x)")


def bench_training_disk(checkpoints: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder))
        store = SqliteStore(settings.data_dir)
        registry = WorkspaceRegistry(settings, store)
        created = registry.create()
        ws, _ = registry.authorize(created.id, created.token)
        config = TrainingConfig(dataset={"n": 1000}, model={"hidden": [256, 256]}, epochs=10_000)
        perform(ws, "training_configure", config)
        trainer = trainer_of(ws)
        print("Disk use of a training run (2-256-256-1, Adam), checkpointed after every step")
        for stretch in range(4):
            for _ in range(checkpoints):
                with ws.lock:
                    trainer.single_step()
                    trainer.save()
            with sqlite3.connect(settings.data_dir / "wengert.sqlite3") as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = (settings.data_dir / "wengert.sqlite3").stat().st_size
            print(f"  after {(stretch + 1) * checkpoints:4d} checkpoints: {size / 2**20:6.1f} MiB")
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--operations", type=int, default=100_000)
    parser.add_argument("--checkpoints", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only-formats", action="store_true", help="skip the other benches")
    args = parser.parse_args()
    bench_formats(args.repeats)
    if args.only_formats:
        return
    bench_load(args.operations)
    bench_training_disk(args.checkpoints)


if __name__ == "__main__":
    main()
