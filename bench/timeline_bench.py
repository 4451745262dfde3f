"""What a training run's timeline costs each snapshot: ``POST …/training/step`` (which saves
one) with an empty timeline and with a full one of the default network, and the size of the
stored snapshot then, on the real app and a real SQLite store.

    python bench/timeline_bench.py [--steps 600] [--repeats 30]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backend.http.app import create_app
from backend.settings import Settings

DEFAULT_NETWORK = {
    "dataset": {"kind": "moons", "n": 400, "noise": 0.1, "seed": 0, "test_fraction": 0.25},
    "model": {"hidden": [16, 16], "activation": "relu", "features": ["x", "y"]},
    "loss": "softmax_cross_entropy",
    "optimizer": {"kind": "adam", "lr": 0.01},
    "batch_size": 32,
    "epochs": None,
}


def step_ms(client: TestClient, base: str, headers: dict, repeats: int) -> float:
    """The median time of one ``…/training/step``, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        answer = client.post(f"{base}/training/step", headers=headers, json={})
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, answer.text
    return statistics.median(times)


def newest_snapshot_bytes(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "wengert.sqlite3") as db:
        (size,) = db.execute("SELECT length(body) FROM snapshots ORDER BY id DESC").fetchone()
    return int(size)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=600, help="steps that fill the timeline")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory), access_log=False)
        with TestClient(create_app(settings)) as client:
            created = client.post("/api/workspaces").json()
            base = f"/api/workspaces/{created['id']}"
            headers = {"Authorization": f"Bearer {created['token']}"}
            answer = client.put(f"{base}/training", headers=headers, json=DEFAULT_NETWORK)
            assert answer.status_code == 200, answer.text
            empty = step_ms(client, base, headers, args.repeats)
            empty_bytes = newest_snapshot_bytes(settings.data_dir)
            for _ in range(args.steps):
                client.post(f"{base}/training/step", headers=headers, json={})
            full = step_ms(client, base, headers, args.repeats)
            full_bytes = newest_snapshot_bytes(settings.data_dir)
    print("| timeline | POST …/training/step (median ms) | snapshot bytes |")
    print("|---|---:|---:|")
    print(f"| empty (first {args.repeats} steps) | {empty:.1f} | {empty_bytes:,} |")
    print(f"| full, default network (after {args.steps} steps) | {full:.1f} | {full_bytes:,} |")


if __name__ == "__main__":
    main()
