"""Request and response models: the REST contract users script against."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Tensor = float | list[Any]
"""A tensor as JSON: a number for a scalar, nested lists otherwise."""

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"


class Strict(BaseModel):
    """Requests reject unknown fields, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class WorkspaceCreated(BaseModel):
    """A new workspace and the credentials to use it."""

    id: str = Field(description="Workspace id.")
    token: str = Field(description="Bearer token allowing everything.")
    viewer_token: str = Field(description="Bearer token allowing reads and subscriptions only.")
    url: str = Field(description="Opens the workspace in the browser with write access.")
    viewer_url: str = Field(description="Opens the workspace in the browser read-only.")


class VariableCreate(Strict):
    """A new named variable from a literal value."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "a", "value": 3.0, "requires_grad": True}]},
    )

    name: str = Field(pattern=NAME_PATTERN, description="Unique name in the workspace.")
    value: Tensor = Field(description="A number or a nested list of numbers.")
    requires_grad: bool = Field(False, description="Whether backprop computes its gradient.")
    dtype: Literal["float64", "float32"] = "float64"


class VariableOut(BaseModel):
    """A variable with its value and gradient."""

    name: str
    shape: list[int]
    dtype: str
    requires_grad: bool
    value: Tensor | None
    grad: Tensor | None = Field(description="None until a gradient is required.")
    created_by: int | None = Field(description="Id of the node that produced it; None for a leaf.")


class GateApply(Strict):
    """Apply a catalog gate to variables (by name) or numeric literals (constants)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"gate": "mul", "inputs": ["a", "b"], "output": "c"}]},
    )

    gate: str = Field(description="A gate name from GET /api/gates.")
    inputs: list[str | float] = Field(description="Variable names or numbers, in order.")
    params: dict[str, Any] = Field(default_factory=dict, description="The gate's parameters.")
    output: str | list[str] | None = Field(
        None, description="Output name (a list for multi-output gates); generated when omitted."
    )


class NodeOut(BaseModel):
    """One gate application in the workspace's history."""

    id: int
    gate: str
    inputs: list[str | float]
    outputs: list[str]
    params: dict[str, Any]
    on_tape: bool = Field(description="Still on the tape, i.e. not yet consumed by backprop.")


class GateApplied(BaseModel):
    """The node a gate application recorded and the names of its outputs."""

    node: NodeOut
    outputs: list[str]


class BackpropRequest(Strict):
    """Backpropagate from a variable."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"variable": "c"}]})

    variable: str
    seed: Tensor | None = Field(None, description="Explicit seed gradient; ones when omitted.")


class BackpropStepOut(BaseModel):
    """One node popped from the tape and the gradient it added to each parent."""

    node: int
    gate: str
    grads: dict[str, Tensor]


class BackpropResult(BaseModel):
    """The backward steps in the order they ran, and every gradient afterwards."""

    steps: list[BackpropStepOut]
    gradients: dict[str, Tensor]


class WorkspaceState(BaseModel):
    """The whole state of a workspace."""

    id: str
    variables: list[VariableOut]
    tape: list[NodeOut]
    history: list[NodeOut]
    no_grad: bool


class GateInfo(BaseModel):
    """One gate of the catalog."""

    name: str
    arity: int | None
    params: dict[str, Any]
    doc: str
    multi_output: bool


class ErrorBody(BaseModel):
    """The payload of every error response."""

    code: str
    message: str
    detail: Any = None


class ErrorResponse(BaseModel):
    """Every error response: ``{"error": {"code", "message", "detail"}}``."""

    error: ErrorBody
