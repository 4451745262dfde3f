"""The server answers exactly as its OpenAPI document says: schemathesis, with all its checks
and phases (examples, coverage, fuzzing, stateful), against a real server holding a real
workspace."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from e2e.server import ServerProcess

# Small enough that the run takes well under a minute on two cores; with the seed and one
# worker, a failure comes back the same on the next run.
EXAMPLES_PER_OPERATION = 20
SEED = 20250101
# Generated bodies may ask for huge tensors or gradchecks: small limits keep every call quick
# without changing what is checked.
SMALL_LIMITS = {
    "WENGERT_MAX_TENSOR_ELEMENTS": "4096",
    "WENGERT_MAX_GRADCHECK_ELEMENTS": "256",
    "WENGERT_ACCESS_LOG": "false",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    directory = tmp_path_factory.mktemp("conformance")
    process = ServerProcess(directory / "data", directory / "server.log", SMALL_LIMITS).start()
    yield process
    process.stop()


def new_workspace(server: ServerProcess) -> dict[str, str]:
    """A workspace created through the API: its id and tokens."""
    response = httpx.post(f"{server.url}/api/workspaces", timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


COMMON = """
seed = {seed}
workers = 1
request-timeout = 10

[generation]
max-examples = {examples}
deterministic = true

[checks]
enabled = true
# A well-formed request can still mean something impossible (a program that does not parse,
# shapes that do not fit, a gate given too few inputs) or ask for more than a limit allows: no
# JSON schema can say so, and the document gives every route its 422 and 413 for it.
positive_data_acceptance.expected-statuses = ["2xx", "3xx", 401, 403, 404, 409, 413, 422, 429]

# The event stream never ends: each call reads what the stream sends in its first second (the
# events a Last-Event-ID asks for again, or a resync), and each event is checked.
[[operations]]
include-path-regex = '/events$'
request-timeout = 1
"""
# One call at a time, on a real workspace: every operation works on `shared`, except deleting
# one, which gets `doomed`, so the others keep a workspace.
ONE_BY_ONE = """
[parameters]
"path.workspace_id" = "{shared[id]}"

[headers]
Authorization = "Bearer {shared[token]}"

[[operations]]
include-method = "DELETE"
include-path = "/api/workspaces/{{workspace_id}}"
parameters = {{ "path.workspace_id" = "{doomed[id]}" }}
headers = {{ Authorization = "Bearer {doomed[token]}" }}

# The one path whose other parameter (a kept step, 0) can be valid: a too-long workspace_id
# schemathesis makes is replaced by the pinned one, so its "invalid" request is valid and
# answered 200. The step's own bad values (-1, "a") are checked in test_training_timeline.
[[operations]]
include-path-regex = '/training/at/[^/]+$'
checks.negative_data_rejection.enabled = false
"""

# A 404 from these operations names something else the path names and the chain never made:
# the variable of its {name}, or a training run; ensure_resource_availability would take it for
# the workspace the chain just created being missing. (A variable a body names that does not
# exist is a 422, so the operations that take one are checked.)
NOT_THE_WORKSPACE = r"""
[[operations]]
include-path-regex = '/(\{name\}|training(/[a-z]+)?)$'
checks.ensure_resource_availability.enabled = false
"""


def schemathesis_run(
    server: ServerProcess, directory: Path, config: str, options: list[str]
) -> None:
    """Run schemathesis on the server with ``config`` added to COMMON and the command line
    ``options``; fail with its report."""
    settings = directory / "schemathesis.toml"
    settings.write_text(COMMON.format(seed=SEED, examples=EXAMPLES_PER_OPERATION) + config)
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(settings), "run"]
    command += [f"{server.url}/openapi.json", "--no-color"]
    command += options
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=directory)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}\nserver log:\n{server.log.read_text()}"


def test_every_operation_answers_as_the_document_says(
    server: ServerProcess, tmp_path: Path
) -> None:
    shared, doomed = new_workspace(server), new_workspace(server)
    config = ONE_BY_ONE.format(shared=shared, doomed=doomed)
    schemathesis_run(server, tmp_path, config, ["--phases", "examples,coverage,fuzzing"])


def test_chains_of_calls_along_the_documents_links_answer_as_it_says(
    server: ServerProcess, tmp_path: Path
) -> None:
    # No fixed workspace: the links of a workspace's creation give each chain its id and token.
    # That token is no credential schemathesis configured, so ignored_auth would take it for a
    # made-up one and call its success a failure; the one-by-one run checks auth instead.
    options = ["--phases", "stateful", "--exclude-checks", "ignored_auth"]
    schemathesis_run(server, tmp_path, NOT_THE_WORKSPACE, options)
