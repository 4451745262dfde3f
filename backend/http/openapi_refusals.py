"""The error responses of each route in OpenAPI, from the refusals its dependencies declare:
what a dependency can refuse (the 429 of a workspace's turn, the 401 of its token) is
declared once, on the dependency, and documented on every route that runs it."""

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from backend.errors import Refused
from backend.http.errors import status_of_kind
from backend.http.openapi_document import Document, add_to_openapi

F = TypeVar("F", bound=Callable[..., Any])

Kind = type[Refused] | int
"""A refusal by its kind, or by the status of an error the edge itself makes (403)."""


def refuses(*kinds: Kind) -> Callable[[F], F]:
    """Declare the refusals a dependency can raise: each route that runs it documents them."""

    def declared(dependency: F) -> F:
        dependency.refusals = kinds  # type: ignore[attr-defined]
        return dependency

    return declared


def statuses(kinds: tuple[Kind, ...]) -> set[int]:
    """The statuses ``kinds`` are answered with."""
    return {kind if isinstance(kind, int) else status_of_kind(kind) for kind in kinds}


def dependency_statuses(dependant: Dependant) -> set[int]:
    """The statuses the dependencies of ``dependant`` (and theirs) declare."""
    found: set[int] = set()
    for dependency in dependant.dependencies:
        found |= statuses(getattr(dependency.call, "refusals", ()))
        found |= dependency_statuses(dependency)
    return found


def install_refusals(
    app: FastAPI, routes: list[BaseRoute], response: Callable[[int], dict[str, Any]]
) -> None:
    """Document on each of ``app``'s ``routes`` the refusals of its dependencies, each status
    as ``response(status)`` gives it (a route's own declaration of a status stays)."""

    def document_refusals(document: Document) -> None:
        for route in routes:
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            found = dependency_statuses(route.dependant)
            for method in route.methods:
                operation = document["paths"][route.path_format][method.lower()]
                responses = operation["responses"]
                for status in sorted(found - {int(key) for key in responses}):
                    responses[str(status)] = response(status)

    add_to_openapi(app, document_refusals)
