"""A module run once under torch.fx, turned into a plan of Wengert leaves and gates."""

from __future__ import annotations

from typing import Any

import torch
from torch import fx, nn
from torch.fx.passes.shape_prop import ShapeProp

from wengert_client.tracing.ops import (
    Site,
    as_array,
    convert_function,
    convert_method,
    convert_module,
)
from wengert_client.tracing.plan import Out, Plan, UnsupportedOperation, parameter_name


def plan_module(module: nn.Module, example_inputs: tuple[torch.Tensor, ...]) -> Plan:
    """The leaves and gates that rebuild ``module`` run on ``example_inputs``; raises
    UnsupportedOperation for the first operation Wengert has no gate for."""
    try:
        graph_module = fx.symbolic_trace(module)
    except Exception as error:  # torch.fx says why, e.g. control flow on a tensor's value
        raise UnsupportedOperation(type(module).__name__, "forward", f"torch.fx: {error}") from None
    ShapeProp(graph_module).propagate(*example_inputs)
    plan = Plan()
    values: dict[str, Any] = {}
    inputs = iter(example_inputs)
    for node in graph_module.graph.nodes:
        if node.op == "placeholder":
            values[node.name] = plan.leaf(node.name, as_array(next(inputs)), False)
        elif node.op == "get_attr":
            tensor = graph_module.get_parameter(node.target)
            values[node.name] = plan.leaf(parameter_name(node.target), as_array(tensor), True)
        elif node.op == "output":
            _outputs(plan, fx.node.map_arg(node.args[0], lambda n: values[n.name]))
        else:
            values[node.name] = _convert(graph_module, node, values, plan)
    return plan


def _convert(
    graph_module: fx.GraphModule, node: fx.Node, values: dict[str, Any], plan: Plan
) -> Any:
    resolve = lambda n: values[n.name]  # noqa: E731
    site = Site(
        plan=plan,
        operation=_operation(graph_module, node),
        args=list(fx.node.map_arg(node.args, resolve)),
        kwargs=dict(fx.node.map_arg(node.kwargs, resolve)),
        group=_group(node),
        where=_where(node),
        shape=_shape(node),
    )
    if node.op == "call_module":
        name = str(node.target)
        return convert_module(site, graph_module.get_submodule(name), name)
    if node.op == "call_method":
        return convert_method(site, str(node.target))
    return convert_function(site, node.target)


def _outputs(plan: Plan, result: Any) -> None:
    several = isinstance(result, tuple | list)
    items = list(result) if several else [result]
    for item in items:
        if not isinstance(item, str | Out):
            raise UnsupportedOperation("a result that is not a tensor", "forward's return")
    plan.outputs, plan.single_output = items, not several


def _operation(graph_module: fx.GraphModule, node: fx.Node) -> str:
    """How the operation reads in an error: ``nn.LSTM``, ``torch.cumsum``, ``.unfold()``."""
    if node.op == "call_module":
        return f"nn.{type(graph_module.get_submodule(str(node.target))).__name__}"
    if node.op == "call_method":
        return f".{node.target}()"
    module = getattr(node.target, "__module__", None) or ""
    prefix = "torch" if module.startswith("torch") else module or "operator"
    return f"{prefix}.{getattr(node.target, '__name__', node.target)}"


def _group(node: fx.Node) -> str | None:
    """The qualified name of the innermost module the node ran in (None at the top)."""
    if node.op == "call_module":
        return str(node.target)
    stack = node.meta.get("nn_module_stack") or {}
    return next(reversed(stack.values()))[0] if stack else None


def _where(node: fx.Node) -> str:
    group = _group(node)
    return f"module {group!r} (node {node.name})" if group else f"forward (node {node.name})"


def _shape(node: fx.Node) -> tuple[int, ...] | None:
    meta = node.meta.get("tensor_meta")
    shape = getattr(meta, "shape", None)
    return None if shape is None else tuple(int(n) for n in shape)
