"""The SQLite store: where it lives, how it journals, what it finds."""

import sqlite3
import time

import pytest

from backend.store import JournalRow, Operation, Store, StoredWorkspace


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "data")


def test_the_store_is_wengert_sqlite3_in_the_data_directory_made_with_its_parents(tmp_path):
    store = Store(tmp_path / "not" / "yet" / "there")
    assert store.path == tmp_path / "not" / "yet" / "there" / "wengert.sqlite3"
    assert store.path.is_file()


def test_the_store_journals_in_wal_mode(store):
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_workspace_is_found_by_its_id_with_its_hashes(store):
    store.create_workspace(StoredWorkspace("w1", "hash", "viewer-hash"))
    assert store.find_workspace("w1") == StoredWorkspace("w1", "hash", "viewer-hash")
    assert store.find_workspace("w2") is None
    assert store.count_workspaces() == 1


def test_operations_come_back_in_journal_order_per_workspace(store):
    for workspace_id in ("w1", "w2"):
        store.create_workspace(StoredWorkspace(workspace_id, "h", "v"))
    store.append("w1", 2, Operation("zero_grad", {"variables": None}, 5))
    store.append("w2", 1, Operation("set_no_grad", {"enabled": True}, 1))
    store.append("w1", 1, Operation("create_variable", {"name": "a", "value": [1.5]}, 2))
    assert store.operations("w1") == [
        JournalRow(1, "create_variable", '{"name":"a","value":[1.5]}', 2),
        JournalRow(2, "zero_grad", '{"variables":null}', 5),
    ]
    assert store.operations("w1", after=1) == [JournalRow(2, "zero_grad", '{"variables":null}', 5)]


def test_deleting_a_workspace_deletes_its_operations(store):
    store.create_workspace(StoredWorkspace("w1", "h", "v"))
    store.append("w1", 1, Operation("set_no_grad", {"enabled": True}, 1))
    store.delete_workspace("w1")
    assert store.find_workspace("w1") is None and store.operations("w1") == []
    assert store.count_workspaces() == 0


def test_an_operation_of_an_unknown_workspace_is_refused(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.append("ghost", 1, Operation("set_no_grad", {"enabled": True}, 1))


def test_a_workspace_is_idle_since_its_last_operation_or_else_its_creation(store):
    for workspace_id in ("fresh", "used", "untouched"):
        store.create_workspace(StoredWorkspace(workspace_id, "h", "v"))
    store.append("used", 1, Operation("set_no_grad", {"enabled": True}, 1))
    store._db.execute("UPDATE workspaces SET created_at = created_at - 7200")
    store._db.execute("UPDATE workspaces SET created_at = created_at + 7200 WHERE id = 'fresh'")
    assert sorted(store.idle_since(time.time() - 3600)) == ["untouched"]


def test_a_closed_store_is_not_reachable(store):
    assert store.is_reachable()
    store.close()
    assert not store.is_reachable()
