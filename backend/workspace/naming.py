"""Naming in a workspace: free names checked, outputs named as asked or numbered as their
node, a name moved to a versioned label, and the room for more variables."""

from __future__ import annotations

from collections.abc import Sequence

import engine
from backend.errors import Invalid, NameTaken, OutputCount, Part, Role, TooLarge
from backend.event_payloads import Renamed
from backend.workspace.parts import WorkspaceParts

NEW_NAME = Part(Role.NEW_VARIABLE)
"""The part a name takes by default: a new variable's own."""


class Naming(WorkspaceParts):
    """How the Workspace names its variables."""

    def check_name_free(self, name: str, part: Part = NEW_NAME) -> None:
        """A 409 when ``name`` is taken; it names the ``part`` of the operation that gave it."""
        if name in self.variables:
            raise NameTaken(name, part)

    def check_room_for(self, count: int) -> None:
        """A 413 when ``count`` more variables would pass the workspace's limit."""
        if len(self.variables) + count > self.settings.max_variables:
            raise TooLarge(
                "too_many_variables",
                f"a workspace holds at most {self.settings.max_variables} variables",
            )

    def output_names(self, gate: str, wanted: str | Sequence[str] | None, count: int) -> list[str]:
        """The names of a gate's ``count`` outputs: ``wanted`` (a name, or one per output),
        each free, or generated when None."""
        if wanted is None:
            self.check_room_for(count)
            return self.generated_names(gate, count)
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        if len(names) != count:
            raise OutputCount(gate, count, len(names))
        if len(set(names)) != len(names):
            raise Invalid("output_names", "the output names must differ from each other")
        for i, name in enumerate(names):
            self.check_name_free(
                name, Part(Role.GATE_OUTPUT, None if isinstance(wanted, str) else i)
            )
        self.check_room_for(count)
        return names

    def generated_name(self, gate: str) -> str:
        """A fresh name for an unnamed output, such as ``mul3`` (or an unnamed leaf, ``randn3``)."""
        return self.generated_names(gate, 1)[0]

    def generated_names(self, gate: str, count: int) -> list[str]:
        """Fresh names for the ``count`` unnamed outputs of ``gate``, numbered as its node
        will be: ``mul3`` for a single output; ``split3_0``, ``split3_1``, … for each
        output of a multi-output gate. A number any of whose names is taken is skipped."""
        n = len(self.history) + 1
        while True:
            if gate in engine.REGISTRY and engine.REGISTRY[gate].multi_output:
                names = [f"{gate}{n}_{i}" for i in range(count)]
            else:
                names = [f"{gate}{n}"]
            if not any(name in self.variables for name in names):
                return names
            n += 1

    def bind(self, name: str, var: engine.Variable) -> None:
        """Make ``var`` the variable called ``name`` (undone if the savepoint fails)."""
        var.name = name
        self.variables[name] = var
        self._on_undo(lambda: self.variables.pop(name))

    def rename_to_version(self, name: str) -> str:
        """Move the variable called ``name`` to a versioned label (``h@1``), freeing the name."""
        before = dict(self.variables)
        var = self.variables.pop(name)
        version = 1
        while f"{name}@{version}" in self.variables:
            version += 1
        var.name = f"{name}@{version}"
        self.variables[var.name] = var
        self._on_undo(lambda: self._restore_names(before))
        self.announce(Renamed(old=name, new=var.name))
        return var.name

    def _restore_names(self, variables: dict[str, engine.Variable]) -> None:
        self.variables = variables
        for name, var in variables.items():
            var.name = name
