"""What the server checks about its store when it starts: that it opens (and the SQLite
file is sound), and how many stored workspaces hold more than today's limits allow."""

from __future__ import annotations

import logging

from backend.settings import Settings
from backend.store.interface import SnapshotStats, Store, StoreDamaged
from backend.store.postgres import PostgresStore
from backend.store.sqlite import SqliteStore

logger = logging.getLogger("wengert.store")

RECOVERY = """\
The server will not start on a damaged store. To recover what can be recovered:
  1. Stop every server using it, and move the file aside:
       mv {path} {path}.damaged  (and its -wal and -shm files, if any)
  2. Let SQLite copy out what it can still read (the sqlite3 command line tool):
       sqlite3 {path}.damaged ".recover" | sqlite3 {path}
     or, where .recover answers "SQL logic error" (builds without the dbpage table):
       sqlite3 {path}.damaged ".dump" | sqlite3 {path}
  3. Start the server again. Workspaces whose newest snapshot or operations were lost
     load up to their last good point and say so (their state's `damage`); their owners
     can repair them with POST /api/workspaces/{{id}}/repair.
See README, "Recovering a damaged store"."""


def open_checked(settings: Settings) -> Store:
    """The store the settings name: PostgreSQL at ``database_url`` (its schema brought up to
    date), or else the SQLite file after its ``quick_check``; raises StoreDamaged with the
    way out."""
    if settings.database_url:
        return PostgresStore(settings.database_url, settings.lease_seconds)
    path = settings.data_dir / "wengert.sqlite3"
    try:
        store = SqliteStore(settings.data_dir)
    except StoreDamaged as damage:
        raise StoreDamaged(f"{damage}\n\n{RECOVERY.format(path=path)}") from damage
    problems = store.quick_check()
    if problems:
        store.close()
        found = "\n".join(f"  {problem}" for problem in problems[:10])
        raise StoreDamaged(
            f"{path} fails SQLite's quick_check:\n{found}\n\n{RECOVERY.format(path=path)}"
        )
    return store


def exceeds(stats: SnapshotStats, settings: Settings) -> bool:
    """Whether a workspace holding ``stats`` is over today's limits."""
    return (
        stats.variables > settings.max_variables
        or stats.largest_tensor > settings.max_tensor_elements
        or stats.tape_length > settings.max_tape_length
    )


def over_limits(store: Store, settings: Settings) -> int:
    """How many stored workspaces' newest snapshots exceed today's limits."""
    return sum(exceeds(stats, settings) for stats in store.snapshot_stats())


def report_over_limits(store: Store, settings: Settings) -> None:
    """Say at start how many workspaces hold more than the limits now allow: they load and
    can be read, but requests that would add to them are refused."""
    over, unchecked = over_limits(store, settings), store.count_unsnapshotted()
    if over:
        logger.warning(
            "%d stored workspaces exceed today's limits (variables %d, tensor elements %d, "
            "tape length %d); they load and can be read, and requests that would make them "
            "larger are refused",
            over,
            settings.max_variables,
            settings.max_tensor_elements,
            settings.max_tape_length,
        )
    if unchecked:
        logger.info(
            "%d stored workspaces have no snapshot yet (few operations, or written by an "
            "earlier server); each is checked against the limits when it loads",
            unchecked,
        )
