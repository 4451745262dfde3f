"""The stores, SQLite and PostgreSQL alike: where they live, how they journal, what they find."""

import sqlite3
import time

import pytest

from backend.store.interface import (
    JournalRow,
    Operation,
    Snapshot,
    SnapshotStats,
    Store,
    StoredWorkspace,
    WriteRefused,
)
from backend.store.postgres import PostgresStore
from backend.store.sqlite import SqliteStore

MANY = 1_000


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """Each test below runs once on each store."""
    if request.param == "sqlite":
        opened: Store = SqliteStore(tmp_path / "data")
    else:
        opened = PostgresStore(request.getfixturevalue("database_url"))
    yield opened
    opened.close()


def execute(store: Store, statement: str) -> None:
    """Run SQL on the store's own database, behind its back (to age rows, say)."""
    if isinstance(store, SqliteStore):
        store._db.execute(statement)
    else:
        with store._pool.connection() as db:
            db.execute(statement)


def create(store: Store, *workspace_ids: str) -> None:
    """New workspaces, served (so written) by this store's process."""
    for workspace_id in workspace_ids:
        assert store.create_workspace(StoredWorkspace(workspace_id, "h", "v"), MANY)
        store.claim(workspace_id)


def test_the_sqlite_store_is_wengert_sqlite3_in_the_data_directory_made_with_its_parents(
    tmp_path,
):
    store = SqliteStore(tmp_path / "not" / "yet" / "there")
    assert store.path == tmp_path / "not" / "yet" / "there" / "wengert.sqlite3"
    assert store.path.is_file()


def test_the_sqlite_store_journals_in_wal_mode(tmp_path):
    store = SqliteStore(tmp_path / "data")
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_workspace_is_found_by_its_id_with_its_hashes(store):
    assert store.create_workspace(StoredWorkspace("w1", "hash", "viewer-hash"), MANY)
    assert store.find_workspace("w1") == StoredWorkspace("w1", "hash", "viewer-hash")
    assert store.find_workspace("w2") is None
    assert store.count_workspaces() == 1


def test_a_workspace_beyond_the_quota_is_not_created(store):
    create(store, "w1", "w2")
    assert not store.create_workspace(StoredWorkspace("w3", "h", "v"), 2)
    assert store.find_workspace("w3") is None and store.count_workspaces() == 2


def test_operations_come_back_in_journal_order_per_workspace(store):
    create(store, "w1", "w2")
    store.append("w1", 2, Operation("zero_grad", {"variables": None}, 5))
    store.append("w2", 1, Operation("set_no_grad", {"enabled": True}, 1))
    store.append("w1", 1, Operation("create_variable", {"name": "a", "value": [1.5]}, 2))
    assert store.operations("w1") == [
        JournalRow(1, "create_variable", '{"name":"a","value":[1.5]}', 2),
        JournalRow(2, "zero_grad", '{"variables":null}', 5),
    ]
    assert store.operations("w1", after=1) == [JournalRow(2, "zero_grad", '{"variables":null}', 5)]


def test_deleting_a_workspace_deletes_its_operations(store):
    create(store, "w1")
    store.append("w1", 1, Operation("set_no_grad", {"enabled": True}, 1))
    store.delete_workspace("w1")
    assert store.find_workspace("w1") is None and store.operations("w1") == []
    assert store.count_workspaces() == 0


def test_an_operation_of_an_unknown_workspace_is_refused(store):
    with pytest.raises(WriteRefused):
        store.append("ghost", 1, Operation("set_no_grad", {"enabled": True}, 1))
    assert store.operations("ghost") == []


def snapshot(seq: int, body: bytes) -> Snapshot:
    return Snapshot(seq, seq + 10, body, SnapshotStats(seq, 2, 3))


def test_a_snapshot_keeps_the_one_before_it_and_compacts_what_both_cover(store):
    create(store, "w1")
    for seq in range(1, 8):
        store.append("w1", seq, Operation("set_no_grad", {"enabled": True}, seq))
        if seq in (2, 4, 6):
            store.save_snapshot("w1", snapshot(seq, bytes([seq, 0, 255])))
    kept = store.snapshots("w1")
    assert [(s.seq, s.event_seq, s.body, s.stats) for s in kept] == [
        (6, 16, bytes([6, 0, 255]), SnapshotStats(6, 2, 3)),
        (4, 14, bytes([4, 0, 255]), SnapshotStats(4, 2, 3)),
    ]
    assert [row.seq for row in store.operations("w1")] == [5, 6, 7]
    assert store.snapshot_stats() == [SnapshotStats(6, 2, 3)]
    store.drop_from("w1", 6)
    assert [s.seq for s in store.snapshots("w1")] == [4]
    assert [row.seq for row in store.operations("w1")] == [5]


def test_a_workspace_is_created_with_its_first_snapshot_all_or_nothing(store):
    # An import: the workspace and its snapshot in one transaction.
    assert store.create_workspace(StoredWorkspace("w1", "h", "v"), 2, snapshot(3, b"first"))
    store.claim("w1")
    assert [(s.seq, s.body) for s in store.snapshots("w1")] == [(3, b"first")]
    assert store.create_workspace(StoredWorkspace("w2", "h", "v"), 2)
    assert not store.create_workspace(StoredWorkspace("w3", "h", "v"), 2, snapshot(1, b"x"))
    assert store.find_workspace("w3") is None
    assert len(store.snapshot_stats()) == 1  # w1's alone


def test_a_workspace_is_idle_since_its_last_operation_or_else_its_creation(store):
    create(store, "fresh", "used", "untouched")
    store.append("used", 1, Operation("set_no_grad", {"enabled": True}, 1))
    execute(store, "UPDATE workspaces SET created_at = created_at - 7200")
    execute(store, "UPDATE workspaces SET created_at = created_at + 7200 WHERE id = 'fresh'")
    assert sorted(store.idle_since(time.time() - 3600)) == ["untouched"]


def test_a_claimed_workspace_is_held_and_can_be_claimed_again(store):
    create(store, "w1")
    store.claim("w1")
    assert store.holds("w1")
    store.claim("w1")  # taking one's own lease again is allowed
    assert store.holds("w1") and store.renew() == []


def test_a_closed_store_is_not_reachable(store):
    assert store.is_reachable()
    store.close()
    assert not store.is_reachable()
