"""The OpenAPI document describes every route, its body, its errors and examples."""

import json
import re

import pytest

from backend.http.app import create_app
from backend.training.datasets import MAX_CLASSES, MULTICLASS_KINDS, REGRESSION_KINDS


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app().openapi()


def operations(spec: dict):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_contract_route_is_documented(spec):
    documented = {(path, method) for path, method, _ in operations(spec)}
    base = "/api/workspaces/{workspace_id}"
    expected = {
        ("/api/workspaces", "post"),
        (base, "get"),
        (base, "delete"),
        (base + "/variables", "post"),
        (base + "/variables/{name}", "get"),
        (base + "/gates", "post"),
        (base + "/backprop", "post"),
        (base + "/zero_grad", "post"),
        (base + "/no_grad", "put"),
        (base + "/eval", "post"),
        (base + "/gradcheck", "post"),
        (base + "/optimizer/step", "post"),
        (base + "/export", "get"),
        ("/api/workspaces/import", "post"),
        (base + "/export.py", "get"),
        ("/api/gates", "get"),
        (base + "/events", "get"),
        ("/healthz", "get"),
        ("/readyz", "get"),
    }
    assert expected <= documented


def test_every_workspace_route_documents_its_errors_with_the_error_model(spec):
    for path, method, operation in operations(spec):
        if not path.startswith("/api/workspaces/{workspace_id}"):
            continue
        assert {"401", "404"} <= set(operation["responses"]), (method, path)
        schema = operation["responses"]["404"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/ErrorResponse")


def test_every_workspace_route_documents_the_429_of_its_turn_and_what_its_token_may_do(spec):
    """Declared once, on the dependencies: every request waits for its turn on the workspace
    (429 when too many wait), and a route that changes the workspace refuses a viewer (403)
    and a damaged workspace (409)."""
    for path, method, operation in operations(spec):
        if not path.startswith("/api/workspaces/{workspace_id}"):
            continue
        assert "429" in operation["responses"], (method, path)
        if "403" in operation["responses"] and not path.endswith(("/repair", "}")):
            assert "409" in operation["responses"], (method, path)


def test_every_route_has_a_description(spec):
    for path, method, operation in operations(spec):
        assert operation.get("description") or operation.get("summary"), (method, path)


def test_request_bodies_carry_examples(spec):
    schemas = spec["components"]["schemas"]
    for name in (
        "VariableCreate",
        "GateApply",
        "BackpropRequest",
        "EvalRequest",
        "GradcheckRequest",
        "OptimizerStepRequest",
    ):
        assert schemas[name].get("examples"), name


def test_every_workspace_route_declares_the_bearer_token_as_its_security(spec):
    assert spec["components"]["securitySchemes"]["WorkspaceToken"]["scheme"] == "bearer"
    for path, method, operation in operations(spec):
        if path.startswith("/api/workspaces/{workspace_id}"):
            assert {"WorkspaceToken": []} in operation["security"], (method, path)
            names = {p["name"].lower() for p in operation.get("parameters", [])}
            assert "authorization" not in names, (method, path)


def test_the_event_stream_also_takes_a_ticket_instead_of_the_token(spec):
    operation = spec["paths"]["/api/workspaces/{workspace_id}/events"]["get"]
    assert operation["security"] == [{"WorkspaceToken": []}, {"StreamTicket": []}]
    assert spec["components"]["securitySchemes"]["StreamTicket"]["in"] == "query"


def test_every_route_documents_its_422_with_the_error_model(spec):
    for path, method, operation in operations(spec):
        if path in ("/healthz", "/readyz", "/api/gates"):
            continue  # they take no input that could be malformed
        schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/ErrorResponse"), (method, path)


def test_creating_a_workspace_links_to_every_operation_on_it_with_its_id_and_token(spec):
    on_a_workspace = {
        operation["operationId"]
        for path, _, operation in operations(spec)
        if path.startswith("/api/workspaces/{workspace_id}")
    }
    for created in ("/api/workspaces", "/api/workspaces/import"):
        links = spec["paths"][created]["post"]["responses"]["201"]["links"]
        assert {link["operationId"] for link in links.values()} == on_a_workspace
        for link in links.values():
            assert link["parameters"] == {
                "path.workspace_id": "$response.body#/id",
                "header.Authorization": "Bearer {$response.body#/token}",
            }


def test_the_event_stream_documents_every_event_type(spec):
    stream = spec["paths"]["/api/workspaces/{workspace_id}/events"]["get"]["responses"]["200"]
    sent = stream["content"]["text/event-stream"]["schema"]["oneOf"]
    mapping = spec["components"]["schemas"]["ServerEvent"]["discriminator"]["mapping"]
    # Each Server-Sent Event: its `event` is the type, its `data` that type's model.
    assert {
        event["properties"]["event"]["const"]: event["properties"]["data"]["contentSchema"][
            "allOf"
        ][0]["$ref"]
        for event in sent
    } == mapping
    assert set(mapping) == {
        "variable_created",
        "node_recorded",
        "renamed",
        "backprop_step",
        "backprop_done",
        "zero_grad",
        "no_grad",
        "optimizer_step",
        "training",
        "weight_edited",
        "training_data",
        "deleted",
        "resync",
    }
    for ref in mapping.values():
        assert ref.removeprefix("#/components/schemas/") in spec["components"]["schemas"]


def test_every_schema_reference_resolves(spec):
    references = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(spec)))
    assert references - set(spec["components"]["schemas"]) == set()


def test_every_schema_has_a_name_and_title_of_its_own(spec):
    schemas = spec["components"]["schemas"]
    titles = [schema.get("title", name) for name, schema in schemas.items()]
    assert len(set(titles)) == len(titles)
    assert [name for name in schemas if not name.isidentifier()] == []


def test_a_model_read_and_sent_is_named_by_its_answer_and_its_request_form(spec):
    schemas = spec["components"]["schemas"]
    # Answers mark every field required; requests may leave out those with a default.
    assert "epochs" in schemas["TrainingConfig"]["required"]
    assert "epochs" not in schemas["TrainingConfigInput"].get("required", [])
    configure = spec["paths"]["/api/workspaces/{workspace_id}/training"]["put"]
    body = configure["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/TrainingConfigInput"}


def test_the_dataset_kinds_publish_their_groups_as_the_trainer_keeps_them(spec):
    for name in ("DatasetConfig", "DatasetConfigInput"):
        kind = spec["components"]["schemas"][name]["properties"]["kind"]
        groups = kind["x-enum-groups"]
        assert set(groups["regression"]) == REGRESSION_KINDS
        assert set(groups["multiclass"]) == MULTICLASS_KINDS
        assert set(groups["regression"]) | set(groups["multiclass"]) <= set(kind["enum"])
        classes = spec["components"]["schemas"][name]["properties"]["classes"]
        assert classes["maximum"] == MAX_CLASSES
