"""Attack 6: the data directory fills up. Writes are refused with 507 and undone, readiness
says so, and after space returns and a kill -9 every acknowledged write is there and
nothing else is."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.tests.attacks.conftest import ANSWER_WITHIN_MS, MEMORY_SLACK, Attacked

TMPFS_BYTES = 16 * 2**20


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs as the server's data directory (asked for before ``attacked``)."""
    data = tmp_path / "data"
    data.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES}", "tmpfs", str(data)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {mounted.stderr}")
    try:
        yield data
    finally:
        subprocess.run(["umount", "-l", str(data)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of ``disk`` with one file; removing it gives the space back."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        chunk = b"\0" * 2**16
        try:
            while True:
                out.write(chunk)
                out.flush()
        except OSError:
            pass
    return filler


class Client:
    """One workspace's writer."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=10)
        created = self.http.post("/api/workspaces", json={}).json()
        self.base = f"/api/workspaces/{created['id']}"
        self.http.headers["Authorization"] = f"Bearer {created['token']}"

    def create(self, name: str, size: int = 1000) -> tuple[httpx.Response, float]:
        """Create a variable of ``size`` elements; the answer and how long it took (ms)."""
        start = time.monotonic()
        body = {"name": name, "value": [1.0] * size}
        answer = self.http.post(f"{self.base}/variables", json=body)
        return answer, (time.monotonic() - start) * 1000

    def gate(self, inputs: list[str | float]) -> httpx.Response:
        """Multiply, naming the output as the server does (from the history's length)."""
        return self.http.post(f"{self.base}/gates", json={"gate": "mul", "inputs": inputs})

    def names(self) -> set[str]:
        state = self.http.get(self.base).json()
        return {variable["name"] for variable in state["variables"]}


def write_until_refused(client: Client, acknowledged: list[str]) -> httpx.Response:
    """Create variables until one is refused; the acknowledged names go in ``acknowledged``."""
    for index in range(200):
        answer, took = client.create(f"v{index}")
        if answer.status_code != 201:
            assert took <= ANSWER_WITHIN_MS, f"the refusal took {took:.0f} ms"
            return answer
        acknowledged.append(f"v{index}")
    raise AssertionError("the full disk never refused a write")


def test_a_full_disk_refuses_writes_undoes_them_and_loses_no_acknowledged_one(
    small_disk: Path, attacked: Attacked
):
    client = Client(attacked.url)
    acknowledged: list[str] = []
    for index in range(5):
        assert client.create(f"before{index}")[0].status_code == 201
        acknowledged.append(f"before{index}")
    with attacked.attack() as window:
        filler = fill(small_disk)
        refused = write_until_refused(client, acknowledged)
        assert refused.status_code == 507, refused.text
        assert refused.json()["error"]["code"] == "storage_full"
        assert httpx.get(f"{attacked.url}/readyz", timeout=5).status_code == 503
        assert client.names() == set(acknowledged), "the refused write stayed in memory"
        assert client.gate(["before0", 2.0]).status_code == 507
        # Undone by reading the workspace back from the store (no savepoint covers it).
        no_grad = client.http.put(f"{client.base}/no_grad", json={"enabled": True})
        assert no_grad.status_code == 507
        assert client.http.get(client.base).json()["no_grad"] is False
        filler.unlink()
        assert httpx.get(f"{attacked.url}/readyz", timeout=5).status_code == 200
        # Named from the history's length: a refused gate left in memory would shift it.
        first = client.gate(["before0", 2.0])
        assert first.status_code == 201
        second = client.gate([first.json()["outputs"][0], 3.0])
        assert second.status_code == 201
        acknowledged += first.json()["outputs"] + second.json()["outputs"]
    assert window.growth <= MEMORY_SLACK
    attacked.server.kill()
    attacked.server.start()
    state = client.http.get(client.base).json()
    assert state["damage"] is None and state["no_grad"] is False
    assert {variable["name"] for variable in state["variables"]} == set(acknowledged)
    assert client.create("after_restart")[0].status_code == 201


def test_a_training_loop_on_a_full_disk_pauses_with_the_reason_and_still_answers(
    small_disk: Path, attacked: Attacked
):
    client = Client(attacked.url)
    training = f"{client.base}/training"
    assert client.http.put(training, json={"epochs": None}).status_code == 200
    with attacked.attack():
        assert client.http.post(f"{training}/start").status_code == 200
        filler = fill(small_disk)
        paused = client.http.post(f"{training}/pause")
        assert paused.status_code == 200, paused.text
        assert paused.json()["state"] == "paused"
        assert "could not be stored" in paused.json()["pause_reason"]
        assert client.http.post(f"{training}/start").status_code == 200
        deadline = time.monotonic() + 15  # the loop checkpoints every 5 s
        while (status := client.http.get(training).json())["state"] == "running":
            assert time.monotonic() < deadline, "the loop never paused"
            time.sleep(0.2)
        assert status["state"] == "paused"
        assert "could not be stored" in status["pause_reason"]
        assert client.http.get(client.base).status_code == 200
        filler.unlink()
        assert client.http.post(f"{training}/start").status_code == 200
        resumed = client.http.post(f"{training}/pause").json()
        assert resumed["state"] == "paused" and resumed["pause_reason"] is None
