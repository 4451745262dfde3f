"""What only the PostgreSQL store does: its versioned schema, and the leases that let one
process at a time write a workspace (fencing a process whose lease was taken over)."""

import time
from collections.abc import Iterator

import psycopg
import pytest

from backend.store.interface import LeaseLost, Operation, OwnedElsewhere, Snapshot, SnapshotStats
from backend.store.interface import StoredWorkspace as Stored
from backend.store.postgres import MIGRATIONS, PostgresStore

LEASE = 0.5  # seconds: short, so a test can wait one out
OPERATION = Operation("set_no_grad", {"enabled": True}, 1)


@pytest.fixture
def stores(database_url: str) -> Iterator[tuple[PostgresStore, PostgresStore]]:
    """Two processes' stores on one database."""
    first, second = PostgresStore(database_url, LEASE), PostgresStore(database_url, LEASE)
    yield first, second
    first.close()
    second.close()


def test_the_schema_is_applied_once_and_its_version_recorded(database_url):
    PostgresStore(database_url).close()
    again = PostgresStore(database_url)
    assert again.schema_version() == len(MIGRATIONS)
    with psycopg.connect(database_url) as db:
        assert db.execute("SELECT count(*) FROM schema_version").fetchone() == (len(MIGRATIONS),)
    again.close()


def create(store: PostgresStore, workspace_id: str) -> None:
    """A new workspace, claimed by ``store``'s process."""
    assert store.create_workspace(Stored(workspace_id, "h", "v"), 10)
    store.claim(workspace_id)


def test_snapshots_are_stored_as_bytea(database_url):
    store = PostgresStore(database_url)
    create(store, "w1")
    store.save_snapshot("w1", Snapshot(1, 1, b"\x00\xff" * 3, SnapshotStats(1, 1, 1)))
    with psycopg.connect(database_url) as db:
        row = db.execute("SELECT pg_typeof(body)::text, body FROM snapshots").fetchone()
    assert row == ("bytea", b"\x00\xff" * 3)
    store.close()


def test_a_workspace_another_live_process_holds_cannot_be_claimed(stores):
    first, second = stores
    create(first, "w1")
    with pytest.raises(OwnedElsewhere) as refused:
        second.claim("w1")
    assert 0 < refused.value.retry_after <= LEASE
    assert not second.holds("w1")
    with pytest.raises(LeaseLost):
        second.append("w1", 1, OPERATION)


def test_a_lease_renewed_in_time_stays_with_its_holder(stores):
    first, second = stores
    create(first, "w1")
    for _ in range(3):
        time.sleep(LEASE / 2)
        assert first.renew() == []
    with pytest.raises(OwnedElsewhere):
        second.claim("w1")
    assert first.holds("w1")


def test_a_stale_owners_write_is_rejected_and_nothing_of_it_is_stored(stores):
    first, second = stores
    create(first, "w1")
    first.append("w1", 1, OPERATION)
    time.sleep(LEASE + 0.1)  # the first process stalls past its lease...
    second.claim("w1")  # ...and the second takes the workspace over
    second.append("w1", 2, OPERATION)
    with pytest.raises(LeaseLost):
        first.append("w1", 3, OPERATION)
    with pytest.raises(LeaseLost):
        first.save_snapshot("w1", Snapshot(3, 3, b"stale", SnapshotStats(1, 1, 1)))
    with pytest.raises(LeaseLost):
        first.drop_from("w1", 1)
    assert [row.seq for row in second.operations("w1")] == [1, 2]
    assert second.snapshots("w1") == []
    assert not first.holds("w1") and second.holds("w1")


def test_a_lease_taken_over_is_reported_lost_at_renewal(stores):
    first, second = stores
    create(first, "w1")
    create(first, "w2")
    time.sleep(LEASE + 0.1)
    second.claim("w1")
    assert first.renew() == ["w1"]
    assert not first.holds("w1") and first.holds("w2")


def test_a_released_lease_is_taken_at_once(stores):
    first, second = stores
    create(first, "w1")
    first.release(["w1"])
    second.claim("w1")
    second.append("w1", 1, OPERATION)
    assert not first.holds("w1") and [row.seq for row in first.operations("w1")] == [1]


def test_a_new_workspace_is_held_by_no_process_until_one_serves_it(stores):
    first, second = stores
    first.create_workspace(Stored("w1", "h", "v"), 10)
    assert not first.holds("w1")
    second.claim("w1")
    assert second.holds("w1")


def test_the_quota_counts_every_process_workspaces(stores):
    first, second = stores
    assert first.create_workspace(Stored("w1", "h", "v"), 2)
    assert second.create_workspace(Stored("w2", "h", "v"), 2)
    assert not first.create_workspace(Stored("w3", "h", "v"), 2)
    assert second.count_workspaces() == 2


def test_a_database_in_sql_ascii_reads_text_as_text(postgres_cluster):
    # A database created without an encoding can be SQL_ASCII, where libpq's default client
    # encoding hands text back as bytes, and comparing a token's hash with it raised a 500.
    ascii_url = postgres_cluster.url("wengert_ascii")
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as db:
        db.execute("CREATE DATABASE wengert_ascii ENCODING 'SQL_ASCII' TEMPLATE template0")
    store = PostgresStore(ascii_url)
    try:
        create(store, "ascii")
        assert store.find_workspace("ascii") == Stored("ascii", "h", "v")
    finally:
        store.close()
