"""One name per schema in the OpenAPI document, usable as a class name by client generators.

A model that requests send and answers carry is documented twice when the two forms differ
(an answer marks every field required, see ``schemas.Answer``): FastAPI names them
`TrainingConfig-Input` and `TrainingConfig-Output`, both titled `TrainingConfig`, and
generators that name classes by title (openapi-python-client) then make two classes of one
name and drop both, with every answer that uses them. Here the answer's form takes the
model's own name and the request's form is `…Input`, each titled by its name.
"""

from typing import Any

from fastapi import FastAPI

from backend.http.openapi_document import add_to_openapi

SCHEMAS = "#/components/schemas/"
FORMS = {"-Output": "", "-Input": "Input"}
"""FastAPI's suffix of each form, and the suffix it has here."""


def new_names(schemas: dict[str, Any]) -> dict[str, str]:
    """The new name of each schema FastAPI named by its form."""
    renamed = {}
    for name in schemas:
        for suffix, replacement in FORMS.items():
            if name.endswith(suffix):
                renamed[name] = name.removesuffix(suffix) + replacement
    taken = set(schemas) - set(renamed)
    assert taken.isdisjoint(renamed.values()), "a new schema name is already a schema's"
    return renamed


def with_references_renamed(value: Any, renamed: dict[str, str]) -> Any:
    """``value`` with every reference to a renamed schema (`$ref`, discriminator mappings)
    pointing at its new name."""
    if isinstance(value, dict):
        return {key: with_references_renamed(item, renamed) for key, item in value.items()}
    if isinstance(value, list):
        return [with_references_renamed(item, renamed) for item in value]
    if isinstance(value, str) and value.startswith(SCHEMAS):
        name = value.removeprefix(SCHEMAS)
        return SCHEMAS + renamed.get(name, name)
    return value


def rename_schemas(document: dict[str, Any]) -> None:
    """Give every schema FastAPI named by its form a name and title of its own."""
    renamed = new_names(document["components"]["schemas"])
    schemas = {
        renamed.get(name, name): {**schema, "title": renamed[name]} if name in renamed else schema
        for name, schema in document["components"]["schemas"].items()
    }
    document["components"]["schemas"] = schemas
    document.update(with_references_renamed(document, renamed))


def install_schema_names(app: FastAPI) -> None:
    """Make ``app.openapi()`` name each schema once (before other additions see them)."""
    add_to_openapi(app, rename_schemas)
