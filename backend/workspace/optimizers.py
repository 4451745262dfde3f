"""Optimizer steps in a workspace, with optimizer state kept between steps."""

from __future__ import annotations

import engine
from backend.errors import Invalid, Part, Role
from backend.event_payloads import OptimizerStepped
from backend.schemas import OptimizerStepRequest, VariableOut
from backend.workspace.workspace import Workspace
from engine.optim import SGD, Adam, NonFiniteStep, Optimizer


def optimizer_step(ws: Workspace, request: OptimizerStepRequest) -> list[VariableOut]:
    """Update the listed parameters from their gradients; state (momentum, Adam moments)
    carries over between steps of the same optimizer on the same parameters."""
    params = [ws.variable(name, Part(Role.OPTIMIZED, i)) for i, name in enumerate(request.params)]
    frozen = [p.name for p in params if not p.requires_grad]
    if frozen:
        raise Invalid("not_a_parameter", f"{frozen[0]} does not require grad")
    key = f"{request.optimizer}:{','.join(request.params)}"
    optimizer = ws.optimizers.get(key)
    if optimizer is None or any(a is not b for a, b in zip(optimizer.params, params, strict=True)):
        optimizer = new_optimizer(request, params)
        ws.optimizers[key] = optimizer
    set_hyperparameters(optimizer, request)
    try:
        optimizer.step(refuse_nonfinite=True)
    except NonFiniteStep as refused:
        raise non_finite_step(request, refused) from None
    ws.touch(params, "an optimizer step")
    summaries = [ws.variable_summary(p) for p in params]
    ws.announce(OptimizerStepped(optimizer=request.optimizer, params=summaries))
    return [ws.variable_out(p) for p in params]


def non_finite_step(request: OptimizerStepRequest, refused: NonFiniteStep) -> Invalid:
    """The 422 for a step refused because it would write NaN or infinity: which optimizer, which
    parameter and element, and what the user can change in the optimizer panel."""
    name = request.params[refused.param]
    element = f"{name}[{', '.join(map(str, refused.index))}]" if refused.index else name
    return Invalid(
        "non_finite_step",
        f"{request.optimizer} with lr {request.lr:g} would write {refused.value} into {element}; "
        f"nothing was changed. Lower the learning rate, or leave {name} out of the parameters",
        {"optimizer": request.optimizer, "parameter": name, "index": list(refused.index)},
    )


def new_optimizer(request: OptimizerStepRequest, params: list[engine.Variable]) -> Optimizer:
    if request.optimizer == "adam":
        return Adam(params, request.lr, (request.beta1, request.beta2), request.eps)
    momentum = request.momentum if request.optimizer == "momentum" else 0.0
    return SGD(params, request.lr, momentum)


def set_hyperparameters(optimizer: Optimizer, request: OptimizerStepRequest) -> None:
    optimizer.lr = request.lr
    if isinstance(optimizer, SGD) and optimizer.momentum:
        optimizer.momentum = request.momentum
    if isinstance(optimizer, Adam):
        optimizer.betas, optimizer.eps = (request.beta1, request.beta2), request.eps
