"""Request and response models: the REST contract users script against."""

import math
import secrets
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.names import GROUP_PATTERN, NAME_PATTERN

NonFinite = Literal["nan", "inf", "-inf"]
JsonNumber = float | NonFinite
"""A number as JSON: NaN and infinities spelled "nan", "inf", "-inf"."""
Tensor = JsonNumber | list[Any]
"""A tensor as JSON: a number for a scalar, nested lists otherwise; "nan", "inf", "-inf"."""

Name = Annotated[str, Field(pattern=NAME_PATTERN, description="A variable name.")]
Group = Annotated[
    str, Field(pattern=GROUP_PATTERN, max_length=256, description="A module's qualified name.")
]


def _all_finite(value: Any) -> bool:
    """Whether every number inside a JSON value is finite (JSON cannot carry the others)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_all_finite(v) for v in value)
    return True


class Answer(BaseModel):
    """A model the server sends: every field is always sent, defaults too, so the document
    marks them all required in answers (clients need not guard against their absence)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class Strict(BaseModel):
    """Requests reject unknown fields, so a typo is an error rather than silently ignored, and
    take values only of the types the document gives: a number field refuses `true` and
    `"1.5"`, an integer field `2.0`, a boolean field `1`."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Echoed(Strict):
    """A request the server also sends back (a training run's config): in answers it is
    documented whole, as for an Answer, while requests may leave out what has a default."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class WorkspaceCreated(BaseModel):
    """A new workspace and the credentials to use it."""

    id: str = Field(description="Workspace id.")
    token: str = Field(description="Bearer token allowing everything.")
    viewer_token: str = Field(description="Bearer token allowing reads and subscriptions only.")
    url: str = Field(description="Opens the workspace in the browser with write access.")
    viewer_url: str = Field(description="Opens the workspace in the browser read-only.")


class VariableInit(Strict):
    """Generate a tensor instead of sending its values."""

    kind: Literal["zeros", "ones", "randn", "uniform", "arange"]
    shape: list[Annotated[int, Field(ge=0)]] = Field(
        default_factory=list, max_length=8, description="Tensor shape; [] for a scalar."
    )
    seed: int = Field(
        default_factory=lambda: secrets.randbelow(2**31),
        ge=0,
        description="Random seed for randn and uniform; chosen and recorded when omitted.",
    )


class VariableCreate(Strict):
    """A new named variable from a literal ``value`` or a generated ``init``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"name": "a", "value": 3.0, "requires_grad": True},
                {"name": "W", "init": {"kind": "randn", "shape": [4, 2], "seed": 0}},
            ]
        },
    )

    name: str = Field(pattern=NAME_PATTERN, description="Unique name in the workspace.")
    value: Tensor | None = Field(None, description="A number or a nested list of numbers.")
    init: VariableInit | None = Field(None, description="Generate the value instead.")
    requires_grad: bool = Field(False, description="Whether backprop computes its gradient.")
    dtype: Literal["float64", "float32"] = "float64"
    allow_nonfinite: bool = Field(False, description="Accept NaN and infinities in value.")

    @model_validator(mode="after")
    def _value_or_init(self) -> "VariableCreate":
        if (self.value is None) == (self.init is None):
            raise ValueError("give exactly one of value and init")
        return self


class AnomalyOut(BaseModel):
    """Where a NaN or infinity was born: the first gate (forward) or the first backward
    step (backward) that made one from numbers without it."""

    # Import reads these from a document: its values must have the types given here.
    model_config = ConfigDict(strict=True)

    phase: Literal["forward", "backward"]
    node: int | None = Field(description="Id of the node; None when nothing was recorded.")
    gate: str
    variable: str | None = Field(
        description="The output (forward) or the input whose gradient (backward) holds it."
    )
    index: list[int] = Field(description="Its first such element; [] for a scalar.")
    value: JsonNumber
    explanation: str = Field(examples=["log made −∞ at [1] from finite inputs: log(0) = −∞"])


class HealthOut(BaseModel):
    """How a variable's gradient looks after backprop, and whether its units are dead.

    The gradient figures are None when there is no gradient; ``dead_units`` and ``units``
    only for the outputs of ReLU with a batch axis. ``notes`` explain ``warnings`` in words.
    """

    model_config = ConfigDict(strict=True)

    norm: JsonNumber | None = Field(description="‖grad‖, the L2 norm.")
    max_abs: JsonNumber | None = Field(description="The largest |grad|.")
    zero_fraction: float | None = Field(description="The fraction of exact zeros in grad.")
    ratio: JsonNumber | None = Field(description="‖grad‖ / ‖value‖; None for a zero value.")
    dead_units: int | None = Field(None, description="Units zero for every row of the batch.")
    units: int | None = None
    warnings: list[Literal["vanishing", "exploding", "dead_units"]]
    notes: list[str]


class TensorPreview(BaseModel):
    """A tensor as events carry it: its values when small, else only summary statistics;
    fetch it in full from `GET …/variables/{name}`."""

    shape: list[int]
    values: Tensor | None = Field(description="The values, when there are at most 64.")
    min: JsonNumber | None = Field(description="Smallest element; None when empty.")
    max: JsonNumber | None = Field(description="Largest element; None when empty.")
    mean: JsonNumber | None = Field(description="Mean of the elements; None when empty.")


class VariableOut(BaseModel):
    """A variable with its value and gradient."""

    # Import reads these from a document: its values must have the types given here.
    model_config = ConfigDict(strict=True)

    name: str
    shape: list[int]
    dtype: str
    requires_grad: bool
    value: Tensor | None = Field(
        description="The values; None in the answer to creating a variable of more than "
        "4,096 elements, which does not echo a large tensor back (GET it by name)."
    )
    grad: Tensor | None = Field(description="None when no gradient is required.")
    created_by: int | None = Field(description="Id of the node that produced it; None for a leaf.")
    health: HealthOut | None = Field(
        None, description="Gradient health after backprop, and dead ReLU units; see HealthOut."
    )


class StateVariable(VariableOut):
    """A variable as a workspace's state shows it: a tensor too large to carry (over
    `WENGERT_STATE_TENSOR_ELEMENTS` elements) as a preview, as events show it."""

    value_preview: TensorPreview | None = Field(
        None,
        description="The statistics of a value too large to carry; `value` is None then: "
        "GET …/variables/{name} for every element.",
    )
    grad_preview: TensorPreview | None = Field(
        None, description="The same for a gradient too large to carry; `grad` is None then."
    )


class VariableSummary(BaseModel):
    """A variable as events carry it: what it is, and previews of its value and gradient."""

    name: str
    shape: list[int]
    dtype: str
    requires_grad: bool
    created_by: int | None
    value: TensorPreview
    grad: TensorPreview | None


MAX_GATE_INPUTS = 1024
"""More inputs than any gate needs; a longer list is refused before it is read."""


class GateApply(Strict):
    """Apply a catalog gate to variables (by name) or numeric literals (constants)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"gate": "mul", "inputs": ["a", "b"], "output": "c"}]},
    )

    gate: str = Field(description="A gate name from GET /api/gates.")
    inputs: list[str | float] = Field(
        max_length=MAX_GATE_INPUTS, description="Variable names or numbers, in order."
    )
    params: dict[str, Any] = Field(default_factory=dict, description="The gate's parameters.")
    output: Name | list[Name] | None = Field(
        None,
        description="The output's name, or a list of names, one per output of a multi-output "
        "gate. Generated when omitted, numbered as the node: `mul3` for a single output, "
        "`split3_0`, `split3_1`, … for the outputs of a multi-output gate (a number with a "
        "taken name is skipped).",
    )
    group: Group | None = Field(
        None,
        description="The module this node belongs to, by qualified name (`encoder.layer1`): "
        "pictures of the graph fold a group into one card.",
    )
    allow_nonfinite: bool = Field(False, description="Accept NaN and infinities in the result.")
    dry_run: bool = Field(
        False,
        description="Only say what the gate would produce and the memory it needs; "
        "nothing is recorded.",
    )

    @model_validator(mode="after")
    def _finite_literals(self) -> "GateApply":
        if not _all_finite(self.inputs) or not _all_finite(self.params):
            raise ValueError("numbers in inputs and params must be finite")
        return self


class NodeOut(BaseModel):
    """One gate application in the workspace's history."""

    # Import reads these from a document: its values must have the types given here.
    model_config = ConfigDict(strict=True)

    id: int
    gate: str
    inputs: list[str | float]
    outputs: list[str]
    params: dict[str, Any]
    on_tape: bool = Field(description="Still on the tape, i.e. not yet consumed by backprop.")
    stale: bool = Field(
        False,
        description="An input changed in place (an optimizer step, training) after it ran: "
        "its outputs show values from before, and backprop through it is refused.",
    )
    anomaly: AnomalyOut | None = Field(
        None, description="The NaN or infinity this gate made from numbers without one."
    )
    group: str | None = Field(None, description="The module it belongs to, if it was given one.")


class OutputSpec(BaseModel):
    """The shape and dtype of a tensor a gate would produce."""

    shape: list[int]
    dtype: str


class GatePreview(BaseModel):
    """What a gate would produce, answered to a dry run before any work."""

    gate: str
    outputs: list[OutputSpec]
    bytes: int = Field(description="Estimated peak memory of the forward pass.")


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
    """One node popped from the tape: the gradient flowing into it, what it added to each
    parent, and each parent's gradient after it (a parent reached by several nodes adds up)."""

    node: int
    gate: str
    grads: dict[str, Tensor] = Field(
        description="What this step added to each named parent (its SmallDiff; x * x adds twice)."
    )
    upstream: dict[str, Tensor] = Field(
        description="The gradient flowing in: each named output's gradient as the step ran."
    )
    accumulated: dict[str, Tensor] = Field(
        description="Each named parent's gradient after this step: the sum of all it received "
        "so far."
    )


class BackpropResult(BaseModel):
    """The backward steps in the order they ran, and every gradient afterwards."""

    steps: list[BackpropStepOut]
    gradients: dict[str, Tensor]
    health: dict[str, HealthOut] = Field(
        description="The health of each gradient (and dead ReLU units), by variable."
    )
    anomaly: AnomalyOut | None = Field(
        description="The first backward step that made NaN or infinity from a finite gradient."
    )


class ZeroGradRequest(Strict):
    """Reset gradients to zero: of the listed variables, or of all when omitted."""

    variables: list[str] | None = None


class NoGradRequest(Strict):
    """Turn no-grad mode on or off: while on, nothing is recorded on the tape."""

    enabled: bool


class EvalRequest(Strict):
    """A small program of assignments; every operation is applied as a gate, all or nothing."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"source": "h = tanh(W @ x + b)\nloss = mean(h * h)"}]},
    )

    source: str = Field(min_length=1, max_length=100_000)
    again: bool = Field(
        False,
        description="Run the program again as the next turn of a loop: a leaf it defines "
        "that already exists is kept as it is (with what optimizer steps made of it) "
        "instead of made anew.",
    )
    seed: int = Field(
        default_factory=lambda: secrets.randbelow(2**31),
        ge=0,
        lt=2**31,
        description="Seeds `randn` and `uniform` written without `seed=` (plus the "
        "statement's index); chosen and recorded when omitted.",
    )
    allow_nonfinite: bool = Field(
        False, description="Accept NaN and infinities in the results, as a gate's option does."
    )


class EvalResult(BaseModel):
    """The nodes the program recorded and the names it bound."""

    nodes: list[NodeOut]
    created: list[str] = Field(default_factory=list, description="The leaves it created.")
    kept: list[str] = Field(
        default_factory=list, description="The leaves it kept as they were (`again`)."
    )
    assigned: dict[str, str] = Field(description="Each assigned name and the variable it holds.")


class GradcheckRequest(Strict):
    """Compare analytic and numerical gradients of the output ``variable`` with respect to
    ``wrt``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"variable": "loss", "wrt": ["W", "b"]}, {"wrt": ["W"]}],
        },
    )

    variable: str | None = Field(
        None,
        description="The output differentiated. Omitted: the root of the last backprop."
        " A leaf that is also in `wrt` is refused (422): d a / d a is 1 by definition.",
    )
    wrt: list[str] = Field(
        min_length=1, description="The variables the output is differentiated with respect to."
    )
    eps: float = Field(1e-6, gt=0, lt=1)
    tolerance: float = Field(
        1e-5, gt=0, description="Relative error under which a gradient matches."
    )


class GradcheckEntry(BaseModel):
    """How far the analytic gradient of one input is from central finite differences."""

    max_abs_error: float
    max_rel_error: float
    ok: bool


class GradcheckResult(BaseModel):
    """One entry per input."""

    variable: str = Field(description="The output differentiated.")
    results: dict[str, GradcheckEntry]


class OptimizerStepRequest(Strict):
    """One optimizer update of the listed parameters from their current gradients."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"optimizer": "adam", "lr": 0.01, "params": ["W", "b"]}]},
    )

    optimizer: Literal["sgd", "momentum", "adam"]
    lr: float = Field(gt=0, le=10)
    params: list[str] = Field(min_length=1)
    momentum: float = Field(0.9, ge=0, lt=1, description="For momentum.")
    beta1: float = Field(0.9, ge=0, lt=1, description="For adam.")
    beta2: float = Field(0.999, ge=0, lt=1, description="For adam.")
    eps: float = Field(1e-8, gt=0, description="For adam.")


class VariableDetail(VariableOut):
    """A variable with summary statistics and where it is used."""

    value: Tensor = Field(description="The values, always in full.")
    consumed_by: list[int] = Field(description="Ids of the nodes that take it as an input.")


class Damage(BaseModel):
    """What a damaged workspace lost: it loaded up to the operation before ``at``."""

    at: int = Field(description="Sequence number of the first operation that could not be loaded.")
    kind: str = Field(description="That operation's kind, or `snapshot`.")
    reason: str = Field(description="Why it could not be loaded.")
    lost_operations: int = Field(
        description="Operations from it on that are not in the state; "
        "`POST …/repair` drops them for good."
    )


class DroppedOperation(BaseModel):
    """A journaled operation that repair drops."""

    seq: int = Field(description="Its sequence number in the journal.")
    kind: str = Field(description="Its kind, as the journal names it (`apply_gate`, …).")


class DroppedSnapshot(BaseModel):
    """A stored snapshot that repair drops: one that could not be read."""

    seq: int = Field(description="The last operation it covers.")
    bytes: int = Field(description="Its size as stored.")


class RepairPlan(BaseModel):
    """What `POST …/repair` would drop now, and nothing more: the dry run of a repair."""

    damage: Damage | None = Field(description="What was lost on loading; null: nothing to do.")
    operations: list[DroppedOperation] = Field(
        description="The journaled operations from the damaged one on, in order."
    )
    snapshots: list[DroppedSnapshot] = Field(
        description="The stored snapshots from the damaged operation on, none of them readable."
    )


class WorkspaceState(Answer):
    """The whole state of a workspace."""

    id: str
    variables: list[StateVariable]
    tape: list[NodeOut]
    history: list[NodeOut]
    no_grad: bool
    seq: int = Field(0, description="Number of the last event this state includes.")
    access: Literal["write", "read"] = Field(
        "write", description="What the token used may do: everything, or read and subscribe."
    )
    tape_bytes: int = Field(
        description="Memory the tape keeps alive: the inputs and outputs of its nodes."
    )
    held_bytes: int = Field(
        0,
        description="Memory the workspace holds, counted against WENGERT_MAX_WORKSPACE_BYTES: "
        "values, gradients, what the tape keeps for backward, optimizer state.",
    )
    damage: Damage | None = Field(
        None,
        description="Set when the stored workspace could not be loaded whole: reads work, "
        "writes answer 409 `workspace_damaged` until the owner repairs it.",
    )
    anomalies: list[AnomalyOut] = Field(
        default_factory=list,
        description="Where NaN and infinity were born: by gates of the history, then by the "
        "last backprop.",
    )


class GateInfo(BaseModel):
    """One gate of the catalog."""

    name: str
    arity: int | None
    params: dict[str, Any]
    doc: str
    multi_output: bool
    torch: str | None = Field(
        description="The PyTorch expression the torch export writes for this gate, as a "
        "Python format template (`{0}`, `{1}`: the inputs; `{inputs}`: all of them; a param "
        "by its name); null for a gate without a PyTorch counterpart, which the torch export "
        "refuses with `no_torch_mapping`.",
        examples=["torch.matmul({0}, {1})"],
    )


class ErrorBody(BaseModel):
    """The payload of every error response."""

    code: str
    message: str
    detail: Any = None


class ErrorResponse(BaseModel):
    """Every error response: ``{"error": {"code", "message", "detail"}}``."""

    error: ErrorBody
