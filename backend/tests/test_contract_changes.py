"""The REST contract changes only on purpose: today's OpenAPI document is compared with the
last release's (kept in docs/contract/) by a real OpenAPI diff tool, Optic, and a change its
rules call breaking fails the test unless the release notes (docs/CHANGES.md) name its
operation under "Breaking changes" of the unreleased section."""

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from backend.http.app import create_app

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "docs" / "contract"
RELEASE_NOTES = ROOT / "docs" / "CHANGES.md"
# A devDependency of the frontend (package.json), installed by `npm ci` with the rest of it.
OPTIC = ROOT / "frontend" / "node_modules" / ".bin" / "optic"
# Optic's severities: 0 info, 1 warning, 2 error; its breaking-change rules report errors.
BREAKING = 2
OPERATION = re.compile(r"`((?:GET|PUT|POST|PATCH|DELETE) /[^`\s]*)`")


def last_release() -> Path:
    """The document of the newest release: docs/contract/openapi-<version>.json."""
    documents = CONTRACTS.glob("openapi-*.json")

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.stem.removeprefix("openapi-").split("."))

    return max(documents, key=version)


def write_document(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, indent=2))
    return path


def breaking_changes(before: Path, after: Path, workdir: Path) -> dict[str, list[str]]:
    """Each operation (`METHOD /path`) Optic finds broken from ``before`` to ``after``, with
    what its rules say of each break.

    Optic writes its findings as JSON (ci-run-details.json, in its working directory) when
    it runs as in CI; its own exit code only says whether there was any."""
    assert OPTIC.exists(), "Optic is missing: run `npm ci` in frontend/"
    environment = {**os.environ, "CI": "true", "OPTIC_TELEMETRY_LEVEL": "off"}
    command = [str(OPTIC), "diff", str(before), str(after), "--check"]
    run = subprocess.run(
        command, cwd=workdir, env=environment, capture_output=True, text=True, timeout=300
    )
    report = json.loads((workdir / "ci-run-details.json").read_text())
    assert not report["failed"], f"Optic could not compare:\n{run.stdout}\n{run.stderr}"
    found: dict[str, list[str]] = {}
    for comparison in report["completed"]:
        for result in comparison["comparison"]["results"]:
            if not result["passed"] and not result["exempted"] and result["severity"] >= BREAKING:
                # "GET /healthz response 200": the operation, then where in it.
                operation = " ".join(result["where"].split()[:2])
                found.setdefault(operation, []).append(f"{result['where']}: {result['error']}")
    return found


def named_breaking_changes(notes: str) -> set[str]:
    """The operations (`METHOD /path`) named under "### Breaking changes" in "## Unreleased"."""
    unreleased = notes.partition("\n## Unreleased")[2].split("\n## ")[0]
    breaking = unreleased.partition("\n### Breaking changes")[2].split("\n### ")[0]
    return set(OPERATION.findall(breaking))


def test_every_breaking_change_since_the_last_release_is_named_in_the_release_notes(
    tmp_path: Path,
) -> None:
    today = write_document(create_app().openapi(), tmp_path / "openapi.json")
    found = breaking_changes(last_release(), today, tmp_path)
    named = named_breaking_changes(RELEASE_NOTES.read_text())
    unnamed = {operation: rules for operation, rules in found.items() if operation not in named}
    assert not unnamed, (
        "breaking changes to the REST contract that docs/CHANGES.md does not name under "
        f"'## Unreleased' / '### Breaking changes': {json.dumps(unnamed, indent=2)}"
    )


def test_a_removed_operation_is_found_and_not_taken_for_named(tmp_path: Path) -> None:
    document = create_app().openapi()
    before = write_document(document, tmp_path / "before.json")
    del document["paths"]["/healthz"]
    after = write_document(document, tmp_path / "after.json")
    found = breaking_changes(before, after, tmp_path)
    assert (
        "GET /healthz: cannot remove an operation. This is a breaking change."
        in found["GET /healthz"]
    )
    assert "GET /healthz" not in named_breaking_changes(RELEASE_NOTES.read_text())


def test_the_release_notes_name_operations_only_in_the_unreleased_breaking_changes() -> None:
    notes = (
        "# Changes\n\n## Unreleased\n\n### Breaking changes\n\n- `POST /a/{id}`: 422 now.\n\n"
        "### Other changes\n\n- `GET /b`: faster.\n\n## 0.1.0\n\n### Breaking changes\n\n"
        "- `DELETE /c`: gone.\n"
    )
    assert named_breaking_changes(notes) == {"POST /a/{id}"}
