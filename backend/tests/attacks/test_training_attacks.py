"""Training everywhere at once: runs keep every training worker busy while the probe times
`/healthz` and a tiny gate in another workspace. The runs train in worker processes, not
in the server's interpreter, so the probe waits no longer than the suite allows."""

from __future__ import annotations

import time

import httpx
import pytest

from backend.tests.attacks.conftest import Attacked

WORKERS = 2
RUNS = 10 * WORKERS  # a classroom's runs: ten a worker, none idle
BUSY_SECONDS = 3.0
FULL_SPEED_RUN = {"epochs": None}  # the default setup, with no stop and no speed limit


@pytest.mark.server_env({"WENGERT_TRAINING_WORKERS": str(WORKERS)})
def test_healthz_stays_fast_while_every_training_worker_is_busy(attacked: Attacked):
    http = httpx.Client(base_url=attacked.url, timeout=60)
    runs = [_started_run(http) for _ in range(RUNS)]
    before = _steps_once_all_train(http, runs)  # the workers start with the first run
    with attacked.attack():
        time.sleep(BUSY_SECONDS)
        after = _steps(http, runs)
    for base, auth in runs:
        assert http.post(f"{base}/pause", headers=auth).status_code == 200
    made = [a - b for a, b in zip(after, before, strict=True)]
    assert all(steps > 10 for steps in made), f"a run did not train: {made} steps"
    attacked.figures["training_steps"] = sum(made)


def _steps(http: httpx.Client, runs: list[tuple[str, dict[str, str]]]) -> list[int]:
    return [http.get(base, headers=auth).json()["step"] for base, auth in runs]


def _steps_once_all_train(http: httpx.Client, runs: list[tuple[str, dict[str, str]]]) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        steps = _steps(http, runs)
        if all(step > 1 for step in steps):
            return steps
        time.sleep(0.1)
    raise AssertionError(f"the runs never all trained: {steps} steps")


def _started_run(http: httpx.Client) -> tuple[str, dict[str, str]]:
    created = http.post("/api/workspaces").json()
    base = f"/api/workspaces/{created['id']}/training"
    auth = {"Authorization": f"Bearer {created['token']}"}
    assert http.put(base, json=FULL_SPEED_RUN, headers=auth).status_code == 200
    assert http.post(f"{base}/start", headers=auth).status_code == 200
    return base, auth
