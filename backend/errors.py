"""What the domain refuses, as exceptions that speak no HTTP: each says what was wrong in the
words a client reads (a code, a message, a detail); ``backend/http/errors.py`` alone turns
each kind into its status.

The kinds: ``NotFound`` (what a request names does not exist), ``Invalid`` (it cannot be
carried out as given), ``Conflict`` (the state does not allow it now), ``TooLarge`` (over a
size, time or memory limit), ``TooBusy`` (try again after ``retry_after`` seconds),
``Unauthorized`` (a credential does not open it) and ``ClientGone`` (nobody waits for the
answer any more). Named refusals (``UnknownVariable``, ``TapeFull``, …) are one of these
with their code and detail fixed.

A refusal about one part of what was asked (the second input of a gate, its ``axis`` param)
says which in the domain's words, a :class:`Part` under ``detail["field"]``; the HTTP edge
writes it as the request's field path ("inputs.1", "params.axis").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Role(Enum):
    """What a part of an operation is to the operation."""

    GATE = "the gate applied"
    GATE_INPUT = "an input of a gate, by position"
    GATE_PARAM = "a param of a gate, by name"
    GATE_OUTPUT = "the name of a gate's output, by position when it has several"
    NEW_VARIABLE = "the name of a variable made from a value"
    ROOT = "the variable backprop or a gradient check starts from"
    CHECKED_INPUT = "a variable a gradient check differentiates with respect to, by position"
    ZEROED = "a variable whose gradient is zeroed, by position"
    OPTIMIZED = "a parameter an optimizer step updates, by position"


@dataclass(frozen=True)
class Part:
    """One part of an operation: its role, and for one of several its position or name."""

    role: Role
    key: int | str | None = None


class Refused(Exception):
    """Work refused because of what the client asked: its code, message and detail."""

    def __init__(self, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail

    def relocated(self, message: str, detail: Any) -> Refused:
        """The same refusal, of the same kind and code, told with another message and detail
        (a program's step says its line and column)."""
        moved = type(self).__new__(type(self))
        moved.__dict__.update(self.__dict__)
        moved.args, moved.message, moved.detail = (message,), message, detail
        return moved


class NotFound(Refused):
    """What the request names does not exist."""


class Invalid(Refused):
    """The request cannot be carried out as given: malformed, or shapes that do not fit."""


class Conflict(Refused):
    """The workspace's state does not allow it now: a name taken, a tape that changed."""


class TooLarge(Refused):
    """Over a size, time or memory limit."""


class Unauthorized(Refused):
    """A credential is missing or does not open what the request names."""


class ClientGone(Refused):
    """The client went away before the work was done: nobody reads the answer."""


class TooBusy(Refused):
    """Too much at once: the client tries again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__("too_many_requests", message, {"retry_after": retry_after})
        self.retry_after = retry_after


class UnknownVariable(Invalid):
    """An operation names a variable that does not exist; ``part`` says where."""

    def __init__(self, name: str, part: Part) -> None:
        super().__init__(
            "unknown_variable", f"no variable named {name!r}", {"field": part, "name": name}
        )
        self.name = name
        self.part = part


class VariableNotFound(NotFound):
    """The path names a variable that does not exist."""

    def __init__(self, name: str) -> None:
        super().__init__("variable_not_found", f"no variable named {name!r}")
        self.name = name


class NameTaken(Conflict):
    """A new variable's name is taken; ``part`` is the part of the operation that gave it."""

    def __init__(self, name: str, part: Part) -> None:
        message = f"a variable named {name!r} already exists"
        super().__init__("name_taken", message, {"field": part, "name": name})
        self.name = name
        self.part = part


class TapeFull(TooLarge):
    """The tape holds as many nodes as it may: backprop empties it."""

    def __init__(self, limit: int) -> None:
        message = f"the tape holds at most {limit} nodes; run backprop first"
        super().__init__("tape_full", message)
        self.limit = limit


class GateRefused(Invalid):
    """A gate cannot take these inputs; its detail names the gate, inputs and shapes."""

    def __init__(self, message: str, gate: str, inputs: list[str | float], shapes: Any) -> None:
        detail = {"gate": gate, "inputs": inputs, "shapes": shapes}
        super().__init__("gate_failed", message, detail)
        self.gate = gate


class OutputCount(Invalid):
    """The names given for a gate's outputs are not one per output."""

    def __init__(self, gate: str, produced: int, named: int) -> None:
        message = f"{gate} produces {produced} outputs, {named} named"
        super().__init__("output_count", message)
        self.produced = produced
        self.named = named


class StaleTape(Conflict):
    """Backprop through a node whose saved input changed in place since it ran."""
