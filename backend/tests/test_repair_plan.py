"""Repair says what it will drop before it drops it (``GET …/repair``, a dry run), then
drops exactly that; a snapshot that cannot be read falls back to the one before it and the
operations after that, losing nothing."""

from backend.settings import Settings
from backend.tests.conftest import assert_error
from backend.tests.test_damage import append_row, journaled_workspace, reopened, store_file
from backend.tests.test_snapshot_format import built


def stored_rows(settings: Settings, workspace_id: str) -> tuple[set, set]:
    """The (seq, kind) of every journaled operation and the (seq, size) of every snapshot."""
    with store_file(settings) as db:
        operations = db.execute(
            "SELECT seq, kind FROM operations WHERE workspace_id = ?", (workspace_id,)
        ).fetchall()
        snapshots = db.execute(
            "SELECT seq, length(body) FROM snapshots WHERE workspace_id = ?", (workspace_id,)
        ).fetchall()
    return set(operations), set(snapshots)


def planned(plan: dict) -> tuple[set, set]:
    operations = {(row["seq"], row["kind"]) for row in plan["operations"]}
    return operations, {(row["seq"], row["bytes"]) for row in plan["snapshots"]}


def test_the_dry_run_lists_the_damaged_tail_and_repair_drops_exactly_that(settings):
    workspace = journaled_workspace(settings)
    append_row(settings, workspace.id, "transmogrify", "{}")  # operation 4: unreadable
    with store_file(settings) as db:  # and one after it, readable but lost with it
        db.execute(
            "INSERT INTO operations VALUES (?, 5, 'create_variable', ?, 10, 0.0)",
            (workspace.id, '{"name": "late", "value": 1.0}'),
        )
    client, workspace = reopened(settings, workspace)
    try:
        before = stored_rows(settings, workspace.id)
        plan = workspace.get("/repair")
        assert plan.status_code == 200, plan.text
        assert plan.json()["damage"]["at"] == 4
        assert planned(plan.json()) == ({(4, "transmogrify"), (5, "create_variable")}, set())
        assert stored_rows(settings, workspace.id) == before  # the dry run drops nothing

        assert workspace.post("/repair", {}).json()["damage"] is None
        operations, snapshots = stored_rows(settings, workspace.id)
        dropped, _ = planned(plan.json())
        assert operations == before[0] - dropped  # no more than the plan said
        assert before[1] <= snapshots  # and every snapshot kept (repair adds its own)
        assert workspace.get("/repair").json() == {
            "damage": None,
            "operations": [],
            "snapshots": [],
        }
    finally:
        client.__exit__(None, None, None)


def test_with_every_snapshot_unreadable_the_plan_names_them_all(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", snapshot_every_operations=2)
    handle, _ = built(settings)
    with store_file(settings) as db:
        db.execute("UPDATE snapshots SET body = x'00'")
    before = stored_rows(settings, handle.id)
    client, workspace = reopened(settings, handle)
    try:
        plan = workspace.get("/repair").json()
        assert plan["damage"]["kind"] == "snapshot"
        assert planned(plan) == before  # nothing in them can be read
        assert workspace.post("/repair", {}).status_code == 200
        operations, snapshots = stored_rows(settings, workspace.id)
        assert not operations and not (snapshots & before[1])
    finally:
        client.__exit__(None, None, None)


def test_the_dry_run_is_for_the_owner_only(settings):
    workspace = journaled_workspace(settings)
    client, workspace = reopened(settings, workspace)
    try:
        viewer = workspace.get("/repair", token=workspace.viewer_token)
        assert_error(viewer, 403, viewer.json()["error"]["code"])
        assert workspace.get("/repair").json()["damage"] is None
    finally:
        client.__exit__(None, None, None)


def test_an_unreadable_newest_snapshot_falls_back_to_the_one_before_and_its_tail(tmp_path):
    # Snapshots at 4, 8, 12 and the training steps: the newest has a byte of an array flipped.
    settings = Settings(data_dir=tmp_path / "data", snapshot_every_operations=4)
    handle, before = built(settings)
    with store_file(settings) as db:
        newest, body = db.execute("SELECT id, body FROM snapshots ORDER BY id DESC").fetchone()
        damaged = bytearray(body)
        damaged[-5] ^= 0xFF
        db.execute("UPDATE snapshots SET body = ? WHERE id = ?", (bytes(damaged), newest))
    client, workspace = reopened(settings, handle)
    try:
        assert workspace.get().json() == before
        assert workspace.get("/repair").json()["damage"] is None  # nothing was lost
    finally:
        client.__exit__(None, None, None)
