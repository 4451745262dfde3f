"""Additions to the OpenAPI document FastAPI builds: each made once, when it is first built."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

Document = dict[str, Any]


def add_to_openapi(app: FastAPI, change: Callable[[Document], None]) -> None:
    """Make ``app.openapi()`` apply ``change`` to the document when it first builds it.

    FastAPI keeps the document it built and hands out that one afterwards; changes are
    applied in the order they were added, each seeing the ones before.
    """
    build: Callable[[], Document] = app.openapi

    def openapi() -> Document:
        first = app.openapi_schema is None
        document = build()
        if first:
            change(document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
