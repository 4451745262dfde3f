"""Clients generated from the OpenAPI document come out whole and work: openapi-python-client
writes every model without a warning, and micrograd's example (examples/micrograd.py) runs
through the client it wrote against a real server; openapi-typescript, which makes the
frontend's types, writes every schema."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from backend.http.app import create_app
from e2e.server import REPO_ROOT, ServerProcess

PACKAGE = "wengert_generated"
# The package's own name, so that it cannot be taken for the real client, wengert_client.
GENERATOR_CONFIG = f"package_name_override: {PACKAGE}\nproject_name_override: wengert-generated\n"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app().openapi()


@pytest.fixture(scope="module")
def document_file(document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("document") / "openapi.json"
    path.write_text(json.dumps(document))
    return path


def generate_python_client(document_file: Path, directory: Path) -> str:
    """Run openapi-python-client into ``directory``/wengert_generated; what it printed."""
    config = directory / "generator.yaml"
    config.write_text(GENERATOR_CONFIG)
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--meta", "none"]
    command += ["--path", str(document_file), "--config", str(config)]
    command += ["--output-path", str(directory / PACKAGE)]
    # It formats what it writes with ruff, which sits beside this interpreter.
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    run = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout + run.stderr


@pytest.fixture(scope="module")
def python_client(
    document_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ModuleType, str]]:
    """The generated package, imported, and what the generator printed."""
    directory = tmp_path_factory.mktemp("python_client")
    printed = generate_python_client(document_file, directory)
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(directory))
        yield importlib.import_module(PACKAGE), printed
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    directory = tmp_path_factory.mktemp("generated_client_server")
    process = ServerProcess(directory / "data", directory / "server.log").start()
    yield process
    process.stop()


def object_schemas(document: dict[str, Any]) -> list[str]:
    """The names of the document's schemas that are objects: each should be a class."""
    schemas = document["components"]["schemas"]
    return [name for name, schema in schemas.items() if "properties" in schema]


def test_the_python_client_is_generated_without_a_warning(python_client) -> None:
    _, printed = python_client
    said = [line for line in printed.splitlines() if line and not line.startswith("Generating")]
    assert said == []


def test_the_python_client_has_a_class_for_every_object_schema(python_client, document) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    assert set(object_schemas(document)) - set(models.__all__) == set()


class Operations:
    """The generated client's operations, found by path and method in the document."""

    def __init__(self, package: ModuleType, document: dict[str, Any], url: str) -> None:
        self.package = package
        self.models = importlib.import_module(f"{PACKAGE}.models")
        self.document = document
        self.url = url
        self.client = package.Client(base_url=url, raise_on_unexpected_status=True)

    def call(self, method: str, path: str, **arguments: Any) -> Any:
        """Call the operation; its answer parsed into the generated models."""
        operation = self.document["paths"][path][method]
        # The generator names the module by the operationId in snake case, "__" made "_".
        function = re.sub("_+", "_", operation["operationId"])
        module = importlib.import_module(f"{PACKAGE}.api.{operation['tags'][0]}.{function}")
        return module.sync(client=self.client, **arguments)

    def authorize(self, token: str) -> None:
        """Send ``token`` as the bearer token from now on."""
        self.client = self.package.AuthenticatedClient(
            base_url=self.url, token=token, raise_on_unexpected_status=True
        )


WORKSPACE = "/api/workspaces/{workspace_id}"


class Scalar:
    """A workspace variable through the generated client, with micrograd's operators: each
    applies a gate, as wengert_client's Variable does."""

    def __init__(self, operations: Operations, workspace_id: str, name: str) -> None:
        self.operations = operations
        self.workspace_id = workspace_id
        self.name = name

    def gate(self, gate: str, *inputs: Scalar | float) -> Scalar:
        models = self.operations.models
        body = models.GateApply(
            gate=gate, inputs=[i.name if isinstance(i, Scalar) else i for i in inputs]
        )
        path = f"{WORKSPACE}/gates"
        applied = self.operations.call("post", path, workspace_id=self.workspace_id, body=body)
        assert isinstance(applied, models.GateApplied), applied
        return Scalar(self.operations, self.workspace_id, applied.outputs[0])

    def __add__(self, other: Scalar | float) -> Scalar:
        return self.gate("add", self, other)

    def __radd__(self, other: float) -> Scalar:
        return self.gate("add", other, self)

    def __sub__(self, other: Scalar | float) -> Scalar:
        return self.gate("sub", self, other)

    def __mul__(self, other: Scalar | float) -> Scalar:
        return self.gate("mul", self, other)

    def __rmul__(self, other: float) -> Scalar:
        return self.gate("mul", other, self)

    def __truediv__(self, other: Scalar | float) -> Scalar:
        return self.gate("div", self, other)

    def __rtruediv__(self, other: float) -> Scalar:
        return self.gate("div", other, self)

    def __pow__(self, other: float) -> Scalar:
        return self.gate("pow", self, other)

    def __neg__(self) -> Scalar:
        return self.gate("neg", self)

    def relu(self) -> Scalar:
        return self.gate("relu", self)


def new_workspace(operations: Operations) -> str:
    """A workspace made through the generated client, which then sends its token."""
    created = operations.call("post", "/api/workspaces")
    assert isinstance(created, operations.models.WorkspaceCreated), created
    operations.authorize(created.token)
    return created.id


def leaf(operations: Operations, workspace_id: str, name: str, value: float) -> Scalar:
    body = operations.models.VariableCreate(name=name, value=value, requires_grad=True)
    operations.call("post", f"{WORKSPACE}/variables", workspace_id=workspace_id, body=body)
    return Scalar(operations, workspace_id, name)


def test_micrograds_example_runs_through_the_generated_python_client(
    python_client, document, server
) -> None:
    package, _ = python_client
    operations = Operations(package, document, server.url)
    workspace_id = new_workspace(operations)
    a = leaf(operations, workspace_id, "a", -4.0)
    b = leaf(operations, workspace_id, "b", 2.0)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    body = operations.models.BackpropRequest(variable=g.name)
    path = f"{WORKSPACE}/backprop"
    result = operations.call("post", path, workspace_id=workspace_id, body=body)
    assert isinstance(result, operations.models.BackpropResult), result
    gradients = result.gradients.additional_properties
    # micrograd's own numbers (its README), as examples/micrograd.py prints them.
    assert round(gradients["a"], 4) == 138.8338
    assert round(gradients["b"], 4) == 645.5773
    path = f"{WORKSPACE}/variables/{{name}}"
    read = operations.call("get", path, workspace_id=workspace_id, name=g.name)
    assert round(read.value, 4) == 24.7041


def test_the_export_and_training_answers_parse_in_the_generated_python_client(
    python_client, document, server
) -> None:
    package, _ = python_client
    operations = Operations(package, document, server.url)
    workspace_id = new_workspace(operations)
    exported = operations.call("get", f"{WORKSPACE}/export", workspace_id=workspace_id)
    assert isinstance(exported, operations.models.StateDocument), exported
    status = operations.call("get", f"{WORKSPACE}/training", workspace_id=workspace_id)
    assert isinstance(status, operations.models.TrainingStatus), status
    assert status.state == "unconfigured"
    path = f"{WORKSPACE}/training"
    body = operations.models.TrainingConfigInput.from_dict({"epochs": 1})
    configured = operations.call("put", path, workspace_id=workspace_id, body=body)
    assert isinstance(configured, operations.models.TrainingStatus), configured
    assert isinstance(configured.config, operations.models.TrainingConfig)


def typescript_schemas(generated: str) -> set[str]:
    """The schema names in openapi-typescript's `components.schemas`."""
    schemas = generated.split("\n    schemas: {\n", 1)[1].split("\n    };\n", 1)[0]
    return set(re.findall(r'^ {8}"?([\w-]+)"?: ', schemas, re.MULTILINE))


def test_openapi_typescript_writes_every_schema(document, document_file, tmp_path) -> None:
    output = tmp_path / "schema.gen.ts"
    command = ["npx", "--no-install", "openapi-typescript", str(document_file)]
    command += ["--output", str(output)]
    frontend = REPO_ROOT / "frontend"
    run = subprocess.run(command, cwd=frontend, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "warn" not in (run.stdout + run.stderr).lower(), run.stdout + run.stderr
    assert typescript_schemas(output.read_text()) == set(document["components"]["schemas"])
