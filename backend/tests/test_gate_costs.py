"""Gates whose results would be too large are refused from their shapes alone, before
anything is allocated (how fast: bench/isolation_bench.py); a dry run says what a gate
would produce."""

import tracemalloc

import pytest

from backend.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    # Small limits, so the tests' own tensors stay small and quick to read back.
    return Settings(data_dir=tmp_path / "data", max_tensor_elements=10_000, max_variables=100)


def ones(workspace, name: str, shape: list[int]) -> None:
    body = {"name": name, "init": {"kind": "ones", "shape": shape}, "requires_grad": True}
    assert workspace.post("/variables", body).status_code == 201


def refused_before_allocating(workspace, path: str, body: dict, peak_limit: int = 2**20):
    """The refusal's error, checking it took under ``peak_limit`` bytes and changed nothing."""
    before = workspace.get().json()
    tracemalloc.start()
    answer = workspace.post(path, body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert answer.status_code in (413, 422), answer.text
    assert peak < peak_limit, f"the refusal allocated {peak:,} bytes"
    assert workspace.get().json() == before
    return answer.json()["error"]


def test_a_broadcast_of_a_hundred_million_elements_is_refused_naming_shapes_and_limit(
    workspace,
):
    ones(workspace, "a", [10_000, 1])
    ones(workspace, "b", [1, 10_000])
    error = refused_before_allocating(workspace, "/gates", {"gate": "add", "inputs": ["a", "b"]})
    assert error["code"] == "tensor_too_large"
    assert error["detail"] == {
        "gate": "add",
        "shapes": [[10_000, 1], [1, 10_000]],
        "elements": 10**8,
        "limit": 10_000,
    }


def test_a_three_way_broadcast_in_an_expression_is_refused_before_work(workspace):
    for name, shape in (("a", [100, 1, 1]), ("b", [1, 100, 1]), ("d", [1, 1, 1000])):
        ones(workspace, name, shape)
    # a * b, ten thousand elements, is within the limit and made; times d it is not.
    program = {"source": "e = a * b * d"}
    error = refused_before_allocating(workspace, "/eval", program)
    assert error["code"] == "tensor_too_large"
    assert "10,000,000 elements" in error["message"]


@pytest.mark.parametrize(
    ("gate", "inputs", "params"),
    [
        ("conv2d", ["x", "w", "bias"], {"padding": 8000}),
        ("maxpool2d", ["x"], {"kernel_size": 8000, "padding": 4000}),
    ],
)
def test_window_gates_refuse_padding_that_dwarfs_the_input(workspace, gate, inputs, params):
    ones(workspace, "x", [1, 1, 1, 1])
    ones(workspace, "w", [1, 1, 1, 1])
    ones(workspace, "bias", [1])
    body = {"gate": gate, "inputs": inputs, "params": params}
    error = refused_before_allocating(workspace, "/gates", body)
    assert error["code"] in {"gate_failed", "invalid_params"}
    assert "padding" in error["message"]


def test_a_result_over_the_memory_budget_is_refused_before_allocating(client, workspace):
    client.app.state.registry.settings.max_workspace_bytes = 2**20
    client.app.state.registry.settings.max_tensor_elements = 1_000_000
    ones(workspace, "a", [1000, 1])
    ones(workspace, "b", [1, 1000])  # a + b: 1,000,000 elements, 8 MB
    error = refused_before_allocating(workspace, "/gates", {"gate": "add", "inputs": ["a", "b"]})
    assert error["code"] == "workspace_memory"


def test_a_gate_with_ten_thousand_outputs_is_refused_before_making_them(workspace):
    ones(workspace, "x", [10_000])
    body = {"gate": "unstack", "inputs": ["x"], "params": {"axis": 0}}
    error = refused_before_allocating(workspace, "/gates", body)
    assert error["code"] == "too_many_variables"


def test_a_dry_run_says_the_output_shapes_and_bytes_and_records_nothing(workspace):
    ones(workspace, "W", [64, 32])
    ones(workspace, "x", [32, 128])
    before = workspace.get().json()
    preview = workspace.post("/gates", {"gate": "matmul", "inputs": ["W", "x"], "dry_run": True})
    assert preview.status_code == 200
    body = preview.json()
    assert body["outputs"] == [{"shape": [64, 128], "dtype": "float64"}]
    assert body["bytes"] >= 64 * 128 * 8
    assert workspace.get().json() == before


def test_a_dry_run_is_refused_as_the_real_application_would_be(workspace):
    ones(workspace, "a", [3])
    ones(workspace, "b", [4])
    body = {"gate": "add", "inputs": ["a", "b"]}
    real = workspace.post("/gates", body)
    dry = workspace.post("/gates", body | {"dry_run": True})
    assert (real.status_code, dry.status_code) == (422, 422)
    assert real.json()["error"] == dry.json()["error"]
