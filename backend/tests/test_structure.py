"""The backend's parts import only downward, in no circle, and only the HTTP edge speaks HTTP.

Read from the source (every import, those under ``TYPE_CHECKING`` and inside functions
included), so a change that breaks the structure fails here before anyone reads it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]

FLOORS = [
    ("http", ["backend.__main__", "backend.http"]),
    ("export", ["backend.export"]),
    ("keepers", ["backend.store.registry", "backend.store.journal", "backend.store.snapshots"]),
    ("operations", ["backend.workspace.operations"]),
    ("training", ["backend.training"]),
    ("workspace", ["backend.workspace"]),
    (
        "models",
        [
            "backend.schemas",
            "backend.event_payloads",
            "backend.names",
            "backend.errors",
            "backend.training.schemas",
            "backend.training.network_schemas",
            "backend.training.timeline_schemas",
            "backend.training.datasets",
        ],
    ),
    ("store", ["backend.store", "backend.settings", "backend"]),
]
"""The backend's floors, top to bottom (README's "Where things live" draws them): a module
may import its own floor and those below it. A module's floor is that of the longest prefix
naming it. Below them all is the engine, which imports nothing of the backend."""

HTTP_NAMES = {"ApiError", "send_error", "HTTPException", "JSONResponse", "Response", "status_of"}
"""What makes an HTTP status: none of these is named outside ``backend/http/``."""

HTTP_PACKAGES = ("fastapi", "starlette", "uvicorn")
"""The web framework: imported by the edge only (and ``__main__``, which starts uvicorn)."""


def modules() -> dict[str, Path]:
    """Every backend module but the tests, by dotted name."""
    found = {}
    for path in BACKEND.rglob("*.py"):
        parts = path.relative_to(BACKEND.parent).with_suffix("").parts
        if "tests" in parts:
            continue
        name = ".".join(parts).removesuffix(".__init__")
        found[name] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The backend modules ``name`` imports (a name imported from a package that is itself
    a module counts as that module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("backend"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            if not base.startswith("backend"):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in known else base


def floor_of(module: str) -> int:
    """The index of ``module``'s floor in FLOORS (0 is the top)."""
    best, floor = -1, len(FLOORS)
    for index, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, floor = len(prefix), index
    return floor


def import_graph() -> dict[str, set[str]]:
    """Each backend module and the backend modules it imports."""
    known = modules()
    return {name: set(imported(name, path, known)) - {name} for name, path in known.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import from a floor to one above it, as "a (floor) → b (floor)"."""
    return sorted(
        f"{a} ({FLOORS[floor_of(a)][0]}) → {b} ({FLOORS[floor_of(b)][0]})"
        for a, targets in graph.items()
        for b in targets
        if floor_of(b) < floor_of(a)
    )


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected sets of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                found.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def http_speakers() -> list[str]:
    """Every place outside ``backend/http/`` that names what makes an HTTP status."""
    spoken = []
    for name, path in modules().items():
        if name == "backend.__main__" or name.startswith("backend.http"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(HTTP_PACKAGES):
                said = [node.module or ""]
            elif isinstance(node, ast.Import):
                said = [a.name for a in node.names if a.name.startswith(HTTP_PACKAGES)]
            elif isinstance(node, ast.ImportFrom):
                said = [alias.name for alias in node.names if alias.name in HTTP_NAMES]
            elif isinstance(node, ast.Name):
                said = [node.id] if node.id in HTTP_NAMES else []
            elif isinstance(node, ast.Attribute):
                said = [node.attr] if node.attr in HTTP_NAMES else []
            else:
                said = []
            spoken += [f"{name}:{node.lineno} {word}" for word in said]
    return sorted(set(spoken))


def test_every_module_has_a_floor():
    assert [name for name in modules() if floor_of(name) == len(FLOORS)] == []


def test_the_parts_import_only_downward():
    assert upward_imports(import_graph()) == []


def test_no_modules_import_each_other_in_a_circle():
    assert circles(import_graph()) == []


def test_only_the_http_edge_makes_http_errors():
    assert http_speakers() == []


def test_the_checks_see_what_they_look_for():
    """The checks above find an upward import, a circle and an HTTP error when there is one."""
    graph = {"backend.workspace.a": {"backend.http.app"}, "backend.http.app": set()}
    assert upward_imports(graph) == ["backend.workspace.a (workspace) → backend.http.app (http)"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert floor_of("backend.training.schemas") > floor_of("backend.training.trainer")
