"""Compile the workspace's expression language into a flat list of gate applications.

``h = tanh(W @ x + b)`` becomes three steps: ``matmul(W, x)``, ``add(<that>, b)`` and
``tanh(<that>)`` named ``h``. A statement whose value is a number, a list of numbers or an
initializer creates a leaf instead: ``a = -4``, ``x = [[1, 2], [3, 4]]``,
``W = randn(3, 4, seed=0)``, ``b = zeros(3)``; ``c = const(2.5)`` makes a constant. An
initializer or ``const(...)`` inside an expression (``x @ randn(3, 3, seed=1)``) makes a
leaf the workspace names.
The gates of a ``with group("layer1"):`` block belong to the module group ``layer1``.

The source is parsed with :mod:`ast` and every node is checked against a whitelist; nothing
is ever evaluated. This module knows nothing of workspaces: names
pass through untouched for the workspace to resolve in order, and the gate catalog arrives as
a plain mapping from gate name to arity.
"""

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

from backend.errors import Part, Role
from backend.names import GROUP_RULE, NAME_RULE, is_valid_group, is_valid_name

MAX_SOURCE_CHARS = 100_000
MAX_STEPS = 1_000
# Deepest nesting of sub-expressions, to keep the recursive compiler far from Python's limit.
MAX_DEPTH = 200

CONSTANTS_HINT = "make a variable first, as in `a = 2.5`"
LEAF_HINT = (
    "a new variable is a number, a list of numbers or an initializer, as in `a = -4`, "
    "`x = [[1, 2], [3, 4]]`, `W = randn(3, 4, seed=0)` or `c = const(2.5)`"
)
INITIALIZERS = ("zeros", "ones", "randn", "uniform", "arange")
"""The calls that generate a leaf's value (the variable form's kinds)."""
STATEMENT_HINT = "each statement is `name = expression` or an expression"
EXPRESSION_HINT = "expressions use numbers, names, + - * / @ **, gate calls, `.T` and `[...]`"
GROUP_HINT = 'a block groups gates by module, as in `with group("layer1"):`'
INDEX_HINT = "an index is a whole number like `0` or `-1`, a slice like `1:3`, `...` or `None`"


@dataclass(frozen=True)
class Temp:
    """The output of an earlier step of the same program, by its index in the step list."""

    index: int


Operand: TypeAlias = str | float | Temp
"""A gate input: a variable name, a number, or the output of an earlier step."""


@dataclass(frozen=True)
class Leaf:
    """A new leaf variable named ``target`` (None: made inside an expression, the workspace
    names it): a literal ``value`` (a number or nested lists) or a generated one, ``init``
    ({"kind", "shape"} and maybe "seed"). Leaves require grad; constants, written
    ``const(...)``, do not."""

    target: str | None
    value: Any
    init: dict[str, Any] | None
    requires_grad: bool
    line: int
    column: int

    def position_of(self, part: Part | None) -> tuple[int, int]:
        """Where the leaf was written: its errors are about the whole value."""
        return self.line, self.column


@dataclass(frozen=True)
class Step:
    """One gate application; the workspace runs a program's steps in order, all or nothing.

    ``target`` is the name a statement assigns and is set on that statement's last step only;
    ``None`` asks the workspace to generate a name. ``line`` and ``column`` are 1-based and
    locate the sub-expression that produced the step; ``fields`` locates its parts (its
    second input, its ``axis`` param), so an error naming a part can point at what the
    learner typed there.
    """

    gate: str
    inputs: tuple[Operand, ...]
    params: dict[str, Any]
    target: str | None
    line: int
    column: int
    fields: dict[Part, tuple[int, int]] = field(default_factory=dict, compare=False)
    group: str | None = None

    def position_of(self, part: Part | None) -> tuple[int, int]:
        """Where ``part`` was written, else where the step was."""
        where = (self.line, self.column)
        return where if part is None else self.fields.get(part, where)


class ExpressionError(ValueError):
    """A program that cannot be compiled.

    ``str(error)`` and ``error.message`` read "line 2, column 5: <reason>"; ``reason``,
    ``line`` and ``column`` (1-based) are also available separately.
    """

    def __init__(self, message: str, line: int, column: int) -> None:
        self.reason = message
        self.line = line
        self.column = column
        self.message = f"line {line}, column {column}: {message}"
        super().__init__(self.message)


_BINARY: dict[type[ast.operator], tuple[str, Callable[[float, float], Any] | None]] = {
    ast.Add: ("add", operator.add),
    ast.Sub: ("sub", operator.sub),
    ast.Mult: ("mul", operator.mul),
    ast.Div: ("div", operator.truediv),
    ast.Pow: ("pow", operator.pow),
    ast.MatMult: ("matmul", None),
}


def compile_program(
    source: str, gates: Mapping[str, int | None], *, max_steps: int = MAX_STEPS
) -> list[Step | Leaf]:
    """Compile ``source`` into the steps that run it, or raise ExpressionError.

    ``gates`` maps each catalog gate name to its number of inputs (None: any number).
    """
    if len(source) > MAX_SOURCE_CHARS:
        message = f"the program has {len(source):,} characters; the limit is {MAX_SOURCE_CHARS:,}"
        raise ExpressionError(message, 1, 1)
    tree = _parse(source)
    if not tree.body:
        raise ExpressionError("the program is empty; write a statement such as `y = tanh(x)`", 1, 1)
    compiler = _Compiler(source, gates, max_steps)
    for statement in tree.body:
        compiler.statement(statement)
    return compiler.steps


def _parse(source: str) -> ast.Module:
    """Parse ``source`` as Python syntax, reporting failures as ExpressionError."""
    try:
        return ast.parse(source)
    except SyntaxError as error:
        line, column = error.lineno or 1, max(error.offset or 1, 1)
        raise ExpressionError(f"syntax error: {error.msg}", line, column) from None
    except (MemoryError, RecursionError):  # how CPython's parser reports extreme nesting
        message = "the program is nested too deeply to read; split it into several statements"
        raise ExpressionError(message, 1, 1) from None


def _is_call(node: ast.expr, names: tuple[str, ...]) -> bool:
    """Whether ``node`` calls one of ``names`` by its bare name."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names


def _misused_constant(value: object) -> str:
    """Why a literal that is not a number cannot be a gate input."""
    if isinstance(value, bool):
        return "`True` and `False` can only be gate parameters, as in `sum(x, keepdims=True)`"
    if value is None:
        return "`None` can only be a gate parameter or an index"
    if value is Ellipsis:
        return "`...` can only be used inside `[...]` indexing"
    if isinstance(value, str):
        return 'text can only be a gate parameter, as in `name="text"`'
    return f"{type(value).__name__} values are not supported; {EXPRESSION_HINT}"


class _Compiler:
    """Walks one parsed program, checking each node and collecting the steps it needs."""

    def __init__(self, source: str, gates: Mapping[str, int | None], max_steps: int) -> None:
        self.source = source
        self.lines = re.split(r"\r\n|\r|\n", source)
        self.gates = gates
        self.max_steps = max_steps
        self.steps: list[Step | Leaf] = []
        self.depth = 0
        self.group: str | None = None  # inside `with group("name"):`, the module's name

    def locate(self, node: ast.AST, line: int = 0, byte_offset: int = -1) -> tuple[int, int]:
        """The 1-based line and character column of ``node`` (or of an explicit byte offset).

        ast counts columns in UTF-8 bytes; learners count characters.
        """
        line = line or node.lineno
        byte_offset = node.col_offset if byte_offset < 0 else byte_offset
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        return line, len(text.encode()[:byte_offset].decode(errors="replace")) + 1

    def locate_attribute(self, node: ast.Attribute) -> tuple[int, int]:
        """Where the name after the dot starts, so errors point at `foo` in `x.foo`."""
        start = max(node.end_col_offset - len(node.attr.encode()), 0)
        return self.locate(node, node.end_lineno, start)

    def error(self, where: ast.AST | tuple[int, int], message: str) -> ExpressionError:
        """An ExpressionError at a node or at an explicit (line, column)."""
        line, column = where if isinstance(where, tuple) else self.locate(where)
        return ExpressionError(message, line, column)

    def snippet(self, node: ast.AST) -> str:
        """The start of ``node``'s source text, for quoting in an error."""
        text = (ast.get_source_segment(self.source, node) or "").splitlines() or [""]
        return text[0] if len(text[0]) <= 40 else text[0][:39] + "…"

    def unsupported(self, node: ast.AST, hint: str = "") -> ExpressionError:
        """The error for a construct outside the language, quoting its source."""
        if not hint:
            hint = STATEMENT_HINT if isinstance(node, ast.stmt) else EXPRESSION_HINT
        return self.error(node, f"`{self.snippet(node)}` cannot be used; {hint}")

    def statement(self, node: ast.stmt) -> None:
        """Compile one statement, naming its last step when it assigns."""
        match node:
            case ast.Assign(targets=[target], value=value):
                self.assign(self.target_name(target), value)
            case ast.Assign():
                raise self.error(node, "assign one name per statement, as in `y = tanh(x)`")
            case ast.AugAssign(target=target, op=op, value=value):
                name = self.target_name(target)
                left = ast.copy_location(ast.Name(id=name, ctx=ast.Load()), target)
                self.assign(name, ast.copy_location(ast.BinOp(left, op, value), node))
            case ast.Expr(value=value):
                self.assign(None, value)
            case ast.With():
                self.grouped(node)
            case _:
                raise self.unsupported(node)

    def grouped(self, node: ast.With) -> None:
        """Compile ``with group("layer1"): ...``: the gates of its body belong to the module
        ``layer1`` (``enc.layer1`` inside ``with group("enc"):``)."""
        match node.items:
            case [ast.withitem(context_expr=call, optional_vars=None)] if _is_call(
                call, ("group",)
            ):
                name = self.group_name(call)
            case _:
                raise self.error(node, GROUP_HINT)
        outer = self.group
        self.group = name if outer is None else f"{outer}.{name}"
        try:
            for statement in node.body:
                self.statement(statement)
        finally:
            self.group = outer

    def group_name(self, call: ast.Call) -> str:
        """The module name ``group("…")`` gives, following the rule of group names."""
        match call:
            case ast.Call(args=[ast.Constant(value=str(name))], keywords=[]) if is_valid_group(
                name
            ):
                return name
            case _:
                raise self.error(call, f"{GROUP_HINT}; {GROUP_RULE}")

    def target_name(self, target: ast.expr) -> str:
        """The plain name a statement assigns to, following the rule of variable names."""
        if isinstance(target, ast.Name):
            if not is_valid_name(target.id):
                message = f"`{self.snippet(target)}` cannot name a variable: {NAME_RULE}"
                raise self.error(target, message)
            return target.id
        if isinstance(target, ast.Tuple | ast.List):
            raise self.error(target, "assign one name per statement, as in `y = tanh(x)`")
        raise self.error(target, "only a plain name can be assigned to, as in `y = tanh(x)`")

    def assign(self, name: str | None, value: ast.expr) -> None:
        """Compile ``name = value``, or a bare expression when ``name`` is None.

        The value applies a gate or makes a leaf (a number, a list, an initializer,
        ``const(...)``); ``y = x`` would only alias a variable, and is refused.
        """
        if self.leaf(name, value):
            return
        result = self.expr(value)
        if isinstance(result, float) and name is not None:
            self.add_leaf(Leaf(name, result, None, True, *self.locate(value)))
            return
        if not isinstance(result, Temp):
            statement = f"`{name} = {self.snippet(value)}`" if name else "this statement"
            hint = (
                CONSTANTS_HINT
                if isinstance(result, float)
                else f"apply one, as in `tanh({result})`"
            )
            raise self.error(value, f"{statement} applies no gate; {hint}")
        assert result.index == len(self.steps) - 1, "a statement's value is its last step"
        self.steps[-1] = replace(self.steps[-1], target=name)

    def leaf(self, name: str | None, node: ast.expr) -> bool:
        """Add the leaf ``name = node`` makes, if ``node`` is a list, an initializer or
        ``const(...)``; False for any other value."""
        made = self.made_leaf(node)
        if made is None:
            return False
        if name is None:
            raise self.error(node, f"a new variable needs a name; {LEAF_HINT}")
        self.add_leaf(Leaf(name, *made, *self.locate(node)))
        return True

    def made_leaf(self, node: ast.expr) -> tuple[Any, dict[str, Any] | None, bool] | None:
        """(value, init, requires_grad) of the leaf ``node`` makes; None when it makes none."""
        if _is_call(node, ("const",)):
            return *self.constant(node), False
        made = self.leaf_value(node)
        return None if made is None else (*made, True)

    def inline_leaf(self, node: ast.Call) -> Temp:
        """An initializer or ``const(...)`` inside an expression: a leaf the workspace names."""
        made = self.made_leaf(node)
        assert made is not None, "called for initializer and const calls only"
        self.add_leaf(Leaf(None, *made, *self.locate(node)))
        return Temp(len(self.steps) - 1)

    def constant(self, node: ast.Call) -> tuple[Any, dict[str, Any] | None]:
        """What ``const(...)`` holds: a number, a list of numbers or an initializer."""
        if len(node.args) != 1 or node.keywords:
            raise self.error(node, "`const` takes one value, as in `c = const(2.5)`")
        value = node.args[0]
        made = self.leaf_value(value)
        if made is not None:
            return made
        number = self.signed_number(value)
        if number is None:
            raise self.error(
                value, f"`const` takes a number, a list or an initializer; {LEAF_HINT}"
            )
        return float(number), None

    def add_leaf(self, leaf: Leaf) -> None:
        if len(self.steps) >= self.max_steps:
            raise self.error(
                (leaf.line, leaf.column), "the program has too many steps; split it up"
            )
        self.steps.append(leaf)

    def leaf_value(self, node: ast.expr) -> tuple[Any, dict[str, Any] | None] | None:
        """(value, None) for a list of numbers, (None, init) for an initializer, else None."""
        if isinstance(node, ast.List | ast.Tuple):
            return self.tensor(node), None
        if _is_call(node, INITIALIZERS):
            return None, self.initializer(node)
        return None

    def tensor(self, node: ast.expr) -> Any:
        """Nested lists of numbers written out, as a leaf's value."""
        if isinstance(node, ast.List | ast.Tuple):
            return [self.tensor(element) for element in node.elts]
        number = self.signed_number(node)
        if number is None:
            message = "a tensor is written as nested lists of numbers, as in `[[1, 2], [3, 4]]`"
            raise self.error(node, message)
        return float(number)

    def initializer(self, node: ast.Call) -> dict[str, Any]:
        """``randn(3, 4, seed=0)`` or ``zeros((3, 4))`` as the variable form's init."""
        kind = node.func.id
        dims = (
            node.args[0].elts
            if len(node.args) == 1 and isinstance(node.args[0], ast.List | ast.Tuple)
            else node.args
        )
        shape = [self.dimension(kind, dim) for dim in dims]
        init: dict[str, Any] = {"kind": kind, "shape": shape}
        for keyword in node.keywords:
            if keyword.arg != "seed" or kind not in ("randn", "uniform"):
                message = f"`{kind}` takes the sizes of its axes"
                message += ", and `seed=`" if kind in ("randn", "uniform") else ""
                raise self.error(keyword, message + f", as in `{kind}(3, 4)`")
            init["seed"] = self.dimension(kind, keyword.value)
        return init

    def dimension(self, kind: str, node: ast.expr) -> int:
        number = self.signed_number(node)
        if not isinstance(number, int) or number < 0:
            message = f"`{kind}` takes whole numbers, not negative, as in `{kind}(3, 4)`"
            raise self.error(node, message)
        return number

    def expr(self, node: ast.expr) -> Operand:
        """Compile one expression into the operand that holds its value."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                message = f"the expression is nested more than {MAX_DEPTH} levels deep; "
                raise self.error(node, message + "split it into several statements")
            match node:
                case ast.Constant(value=int() | float() as value) if not isinstance(value, bool):
                    return self.arithmetic(node, lambda: float(value))
                case ast.Constant(value=value):
                    raise self.error(node, _misused_constant(value))
                case ast.Name(id=name):
                    return name
                case ast.BinOp():
                    return self.binary(node)
                case ast.UnaryOp():
                    return self.unary(node)
                case ast.Call() if _is_call(node, (*INITIALIZERS, "const")):
                    return self.inline_leaf(node)
                case ast.Call():
                    return self.call(node)
                case ast.Attribute():
                    return self.attribute(node)
                case ast.Subscript():
                    return self.subscript(node)
            raise self.unsupported(node)
        finally:
            self.depth -= 1

    def arithmetic(self, node: ast.expr, compute: Callable[[], Any]) -> float:
        """Fold arithmetic on numbers, turning Python's failures into errors at ``node``."""
        try:
            value = compute()
        except ZeroDivisionError as error:
            raise self.error(node, f"this arithmetic divides by zero ({error})") from None
        except OverflowError:
            value = math.inf
        if isinstance(value, complex):
            raise self.error(node, "the result of this arithmetic is not a real number")
        if not math.isfinite(value):
            raise self.error(node, "this number is too large")
        return float(value)

    def binary(self, node: ast.BinOp) -> Operand:
        """``a + b`` and friends: folded when both sides are numbers, else a gate."""
        if type(node.op) not in _BINARY:
            power = "; write powers as `**`" if isinstance(node.op, ast.BitXor) else ""
            raise self.unsupported(node, f"the operators are + - * / @ **{power}")
        gate, fold = _BINARY[type(node.op)]
        left, right = self.expr(node.left), self.expr(node.right)
        if fold is not None and isinstance(left, float) and isinstance(right, float):
            return self.arithmetic(node, lambda: fold(left, right))
        return self.apply(gate, (left, right), {}, node, at=self.places([node.left, node.right]))

    def unary(self, node: ast.UnaryOp) -> Operand:
        """``-a`` is the gate neg (or a negative number); ``+a`` is ``a``."""
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise self.unsupported(node)
        operand = self.expr(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(operand, float):
            return -operand
        return self.apply("neg", (operand,), {}, node, at=self.places([node.operand]))

    def call(self, node: ast.Call) -> Temp:
        """``gate(a, b, key=value)`` or ``a.gate(b, key=value)``."""
        func = node.func
        if isinstance(func, ast.Name):
            gate, inputs, where = func.id, node.args, self.locate(func)
        elif isinstance(func, ast.Attribute):
            gate, inputs, where = func.attr, [func.value, *node.args], self.locate_attribute(func)
        else:
            raise self.error(func, "only gates can be called, as in `tanh(x)` or `x.relu()`")
        if gate == "T" and isinstance(func, ast.Attribute):
            raise self.error(where, "`.T` takes no parentheses: write `x.T`")
        self.arity(gate, where)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.error(arg, "`*` unpacking cannot be used; pass each input separately")
        params = self.params(node.keywords)
        operands = tuple(self.expr(arg) for arg in inputs)
        at = self.places(inputs) | {
            Part(Role.GATE_PARAM, k.arg): self.locate(k) for k in node.keywords if k.arg is not None
        }
        method = isinstance(func, ast.Attribute)
        return self.apply(gate, operands, params, node, method=method, at=at)

    def attribute(self, node: ast.Attribute) -> Temp:
        """``a.T`` is the gate transpose; no other attribute exists."""
        if node.attr != "T":
            if node.attr in self.gates:
                message = f"`.{node.attr}` is a gate; call it with parentheses: `.{node.attr}()`"
            else:
                message = f"`.{node.attr}` does not exist; the only attribute is `.T`, and "
                message += "gates are called as methods, as in `x.relu()`"
            raise self.error(self.locate_attribute(node), message)
        at = self.places([node.value])
        return self.apply("transpose", (self.expr(node.value),), {}, node, at=at)

    def subscript(self, node: ast.Subscript) -> Temp:
        """``a[0, 1:3, ..., None]`` is the gate getitem with the index as a JSON list."""
        receiver = self.expr(node.value)
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        index = [self.index_part(part) for part in parts]
        at = self.places([node.value]) | {Part(Role.GATE_PARAM, "index"): self.locate(node.slice)}
        return self.apply("getitem", (receiver,), {"index": index}, node, at=at)

    def index_part(self, node: ast.expr) -> Any:
        """One element of an index: an int, a slice dict, "..." or None."""
        if isinstance(node, ast.Slice):
            bounds = {"start": node.lower, "stop": node.upper, "step": node.step}
            return {key: self.slice_bound(bound) for key, bound in bounds.items()}
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            return "..."
        return self.slice_bound(node)

    def slice_bound(self, node: ast.expr | None) -> int | None:
        """A whole number written out, or None (absent or the literal `None`)."""
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return None
        number = self.signed_number(node)
        if not isinstance(number, int):
            raise self.error(node, f"{INDEX_HINT}; indices cannot be variables or arithmetic")
        return number

    def params(self, keywords: list[ast.keyword]) -> dict[str, Any]:
        """Keyword arguments as JSON gate parameters."""
        params = {}
        for keyword in keywords:
            if keyword.arg is None:
                message = "`**` unpacking cannot be used; write each parameter as `name=value`"
                raise self.error(keyword, message)
            params[keyword.arg] = self.literal(keyword.value, keyword.arg)
        return params

    def literal(self, node: ast.expr, name: str) -> Any:
        """A parameter value: a number, bool, None, text, or a list or tuple of them."""
        if isinstance(node, ast.List | ast.Tuple):
            return [self.literal(element, name) for element in node.elts]
        if isinstance(node, ast.Constant) and isinstance(node.value, bool | str | None):
            return node.value
        number = self.signed_number(node)
        if number is None:
            message = f"parameter `{name}` must be written out as a number, True, False, None, "
            raise self.error(node, message + "text, or a list of them")
        return number

    def signed_number(self, node: ast.expr) -> int | float | None:
        """The number a literal such as ``3``, ``-1`` or ``2.5`` stands for, else None."""
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign = -1 if isinstance(node.op, ast.USub) else 1
            node = node.operand
        if not isinstance(node, ast.Constant) or type(node.value) not in (int, float):
            return None
        value = node.value
        # Keep ints within int64 so they survive JSON and NumPy; floats must be finite.
        if abs(value) >= 2**63 if isinstance(value, int) else not math.isfinite(value):
            raise self.error(node, "this number is too large")
        return sign * value

    def places(self, inputs: list[ast.expr]) -> dict[Part, tuple[int, int]]:
        """Where each input of a step was written, by its part (the gate's input 0, ...)."""
        return {Part(Role.GATE_INPUT, i): self.locate(node) for i, node in enumerate(inputs)}

    def arity(self, gate: str, where: ast.AST | tuple[int, int]) -> int | None:
        """The number of inputs ``gate`` takes (None: any), or an error if it is unknown."""
        if gate not in self.gates:
            raise self.error(where, f"`{gate}` is not a gate; see the gate catalog")
        return self.gates[gate]

    def apply(
        self,
        gate: str,
        inputs: tuple[Operand, ...],
        params: dict[str, Any],
        node: ast.expr,
        method: bool = False,
        at: dict[Part, tuple[int, int]] | None = None,
    ) -> Temp:
        """Append one checked step and return the reference to its output; ``at`` locates
        its inputs and parameters (see ``Step.fields``)."""
        expected = self.arity(gate, node)
        if expected is not None and expected != len(inputs):
            noun = "input" if expected == 1 else "inputs"
            given = f"{len(inputs)} {'was' if len(inputs) == 1 else 'were'} given"
            message = f"`{gate}` takes {expected} {noun}, but {given}"
            if method:
                message += " (the value before the dot is the first input)"
            raise self.error(node, message)
        if all(isinstance(operand, float) for operand in inputs):
            message = f"`{gate}` needs at least one variable among its inputs; {CONSTANTS_HINT}"
            raise self.error(node, message)
        if len(self.steps) >= self.max_steps:
            message = f"the program applies more than {self.max_steps:,} gates; split it up"
            raise self.error(node, message)
        position = self.locate(node)
        self.steps.append(Step(gate, inputs, params, None, *position, at or {}, self.group))
        return Temp(len(self.steps) - 1)
