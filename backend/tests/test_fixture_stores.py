"""Every released snapshot format opens in this release, whole: the fixture stores in
``fixtures/`` (written by ``fixtures/make_store.py`` with the code of their release) load
with the same values, gradients, names, versions, optimizer state and training state, and
their tapes still backprop to the same gradients."""

import json
import shutil
import sqlite3
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.store import snapshots
from backend.store.postgres import MIGRATIONS
from backend.tests.conftest import WorkspaceHandle
from backend.tests.fixtures.make_store import SNAPSHOT_EVERY, read_back

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = sorted(int(path.stem.rsplit("-", 1)[1]) for path in FIXTURES.glob("store-format-*.json"))


def opened(tmp_path: Path, version: int) -> tuple[Settings, dict]:
    """A copy of the fixture store of ``version`` (loading may rewrite it) and what it holds."""
    settings = Settings(data_dir=tmp_path / "data", snapshot_every_operations=SNAPSHOT_EVERY)
    settings.data_dir.mkdir(parents=True)
    shutil.copy(FIXTURES / f"store-format-{version}.sqlite3", settings.data_dir / "wengert.sqlite3")
    return settings, json.loads((FIXTURES / f"store-format-{version}.json").read_text())


def test_a_fixture_exists_for_every_format_up_to_today():
    assert list(range(1, FORMATS[-1] + 1)) == FORMATS


@pytest.mark.parametrize("version", FORMATS)
def test_a_released_store_opens_with_everything_it_held(tmp_path, version):
    settings, written = opened(tmp_path, version)
    with TestClient(create_app(settings)) as client:
        for workspace_id, expected in written.items():
            handle = WorkspaceHandle(client, workspace_id, expected.pop("token"), "")
            assert fields_of(expected, read_back(handle)) == expected


MISSING = "(a field that was written is missing)"


def fields_of(written: object, read: object) -> object:
    """``read`` with only the fields ``written`` has: a later release may add fields to its
    answers (a gate's ``group``, say), but every field that was written must read the same."""
    if isinstance(written, dict) and isinstance(read, dict):
        return {key: fields_of(written[key], read.get(key, MISSING)) for key in written}
    if isinstance(written, list) and isinstance(read, list) and len(written) == len(read):
        return [fields_of(w, r) for w, r in zip(written, read, strict=True)]
    return read


@pytest.mark.parametrize("version", FORMATS)
def test_a_released_store_holds_a_paused_run_optimizer_state_and_a_tape(version):
    # The fixture itself must hold what the test above compares, or it compares nothing.
    written = json.loads((FIXTURES / f"store-format-{version}.json").read_text())
    full = max(written.values(), key=lambda ws: len(ws["state"]["variables"]))
    assert full["training"]["state"] == "paused" and full["training"]["step"] == 3
    assert full["export"]["optimizers"][0]["state"]["steps"]
    assert len(full["state"]["tape"]) >= 3
    assert any(v["name"].endswith("@1") for v in full["state"]["variables"])
    before = {v["name"]: v["grad"] for v in full["state"]["variables"]}
    after = {v["name"]: v["grad"] for v in full["after_backprop"]["variables"]}
    assert before["w"] != after["w"]  # the loaded tape's backprop reached the leaves


def snapshot_formats(settings: Settings, workspace_id: str) -> list[int | None]:
    """The format of each stored snapshot of a workspace, newest first."""
    with sqlite3.connect(settings.data_dir / "wengert.sqlite3") as db:
        rows = db.execute(
            "SELECT body FROM snapshots WHERE workspace_id = ? ORDER BY id DESC", (workspace_id,)
        ).fetchall()
    return [snapshots.format_of(bytes(body)) for (body,) in rows]


@pytest.mark.parametrize("version", FORMATS)
def test_a_released_store_is_saved_in_todays_format_once_loaded_and_still_whole(tmp_path, version):
    settings, written = opened(tmp_path, version)
    with TestClient(create_app(settings)) as client:
        newest = []
        for workspace_id, expected in written.items():
            handle = WorkspaceHandle(client, workspace_id, expected["token"], "")
            assert handle.get().status_code == 200  # loads it
            newest += snapshot_formats(settings, workspace_id)[:1]
        assert newest and set(newest) == {snapshots.FORMAT}
    with TestClient(create_app(settings)) as client:  # this time from today's format
        for workspace_id, expected in written.items():
            handle = WorkspaceHandle(client, workspace_id, expected.pop("token"), "")
            assert fields_of(expected, read_back(handle)) == expected


DUMPS = sorted(FIXTURES.glob("store-format-*.postgres-*.sql"))


@pytest.mark.parametrize("dump", DUMPS, ids=[path.stem for path in DUMPS])
def test_a_released_postgres_store_is_upgraded_and_opens_whole(tmp_path, database_url, dump):
    schema = int(dump.stem.rsplit("-", 1)[1])
    version = int(dump.stem.split(".")[0].rsplit("-", 1)[1])
    with psycopg.connect(database_url, autocommit=True) as db:
        db.execute(dump.read_text())
        assert db.execute("SELECT max(version) FROM schema_version").fetchone() == (schema,)
    written = json.loads((FIXTURES / f"store-format-{version}.json").read_text())
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        snapshot_every_operations=SNAPSHOT_EVERY,
    )
    tokens = {workspace_id: expected.pop("token") for workspace_id, expected in written.items()}
    with TestClient(create_app(settings)) as client:
        for workspace_id, expected in written.items():
            handle = WorkspaceHandle(client, workspace_id, tokens[workspace_id], "")
            assert fields_of(expected, read_back(handle)) == expected
    with TestClient(create_app(settings)) as client:  # from what the first saved, in format 2
        for workspace_id, expected in written.items():
            handle = WorkspaceHandle(client, workspace_id, tokens[workspace_id], "")
            saved = expected.get("after_backprop", expected["state"])
            assert fields_of(saved, handle.get().json()) == saved
    with psycopg.connect(database_url) as db:
        assert db.execute("SELECT max(version) FROM schema_version").fetchone() == (
            len(MIGRATIONS),
        )
        bodies = db.execute(
            "SELECT DISTINCT ON (workspace_id) body FROM snapshots ORDER BY workspace_id, id DESC"
        ).fetchall()
    assert bodies and {snapshots.format_of(bytes(body)) for (body,) in bodies} == {snapshots.FORMAT}
