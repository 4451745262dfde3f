"""Creating leaf variables: from the variable form, and from the console's `a = -4`."""

from __future__ import annotations

import numpy as np

from backend.event_payloads import VariableCreated
from backend.schemas import VariableCreate, VariableOut
from backend.workspace.initializers import checked_size, initial_value
from backend.workspace.tensors import decode
from backend.workspace.workspace import Workspace


def create_variable(ws: Workspace, request: VariableCreate) -> VariableOut:
    """Add a named leaf variable from a literal value or a generated one."""
    ws.check_name_free(request.name)
    ws.check_room_for(1)
    limit = ws.settings.max_tensor_elements
    what = f"the variable {request.name}"
    if request.init is not None:
        size = checked_size(request.init, limit)
        ws.check_memory_for(size * np.dtype(request.dtype).itemsize, what)
        value = initial_value(request.init, request.dtype, limit)
    else:
        value = decode(request.value, request.dtype, limit, "value", request.allow_nonfinite)
        ws.check_memory_for(value.nbytes, what)
    var = ws.context.variable(value, request.requires_grad, request.name, request.dtype)
    ws.note_allocated(var.value.nbytes)
    ws.bind(request.name, var)
    ws.announce(VariableCreated(variable=ws.variable_summary(var)))
    return ws.variable_out(var, echo=False)
