"""The scripts in examples/ run against a real server and print what they promise."""

import re
import subprocess
import sys

import pytest

from e2e.server import REPO_ROOT


def run_example(name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("script", ["micrograd.py", "raw_http.py"])
def test_micrograd_example_prints_the_known_gradients(live_server, script):
    output = run_example(script, live_server)
    assert "g = 24.7041" in output
    assert "a.grad = 138.8338" in output
    assert "b.grad = 645.5773" in output
    assert re.search(r"watch it live: http://127\.0\.0\.1:\d+/w/\S+#\S+", output)


def test_mlp_example_lowers_the_loss(live_server):
    output = run_example("train_mlp.py", live_server, "40")
    losses = [float(x) for x in re.findall(r"loss (\d+\.\d+)", output)]
    assert len(losses) == 3
    assert losses[-1] < losses[0] / 2


def test_spirals_example_trains_to_a_good_test_accuracy(live_server):
    output = run_example("train_spirals.py", live_server)
    accuracy = float(re.search(r"test accuracy: (\d\.\d+)", output).group(1))
    assert accuracy >= 0.85
