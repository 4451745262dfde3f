"""The registry's lock guards its dictionary only: loading one workspace, or waiting on a
busy one, never holds up another workspace."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from backend.errors import Refused
from backend.http.errors import status_of
from backend.schemas import VariableCreate
from backend.settings import Settings
from backend.store.registry import WorkspaceRegistry
from backend.store.sqlite import SqliteStore
from backend.workspace.operations import perform

WAIT = 10  # seconds; generous, as a failure would otherwise hang


class SlowStore(SqliteStore):
    """The real SQLite store, whose journal reads for chosen workspaces wait for a signal
    and are counted, so a test can hold a load in progress."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.hold: set[str] = set()
        self.unblock = threading.Event()
        self.reads: dict[str, int] = {}
        self.reading = threading.Event()

    def operations(self, workspace_id: str):
        self.reads[workspace_id] = self.reads.get(workspace_id, 0) + 1
        if workspace_id in self.hold:
            self.reading.set()
            assert self.unblock.wait(WAIT)
        return super().operations(workspace_id)


@pytest.fixture
def store(tmp_path: Path) -> SlowStore:
    return SlowStore(tmp_path / "data")


def registry_on(store: SqliteStore) -> WorkspaceRegistry:
    return WorkspaceRegistry(Settings(data_dir=store.path.parent), store)


def restarted(store: SlowStore, *ids: str) -> WorkspaceRegistry:
    """A fresh registry on the same store, as after a restart, with ``ids`` slow to load."""
    store.hold.update(ids)
    return registry_on(store)


def add_variable(registry: WorkspaceRegistry, credentials, name: str) -> None:
    workspace, _ = registry.authorize(credentials.id, credentials.token)
    perform(workspace, "create_variable", VariableCreate(name=name, value=1.0))


def test_a_workspace_loading_does_not_hold_up_another(store):
    first = registry_on(store)
    slow, quick = first.create(), first.create()
    add_variable(first, slow, "a")
    registry = restarted(store, slow.id)
    pool = ThreadPoolExecutor(2)
    try:
        loading = pool.submit(registry.authorize, slow.id, slow.token)
        assert store.reading.wait(WAIT)
        workspace, can_write = pool.submit(registry.authorize, quick.id, quick.token).result(WAIT)
        assert can_write and workspace.id == quick.id
        assert not loading.done()
    finally:
        store.unblock.set()
        pool.shutdown()
    assert list(loading.result()[0].variables) == ["a"]


def test_a_workspace_is_loaded_once_however_many_ask_at_once(store):
    first = registry_on(store)
    credentials = first.create()
    add_variable(first, credentials, "a")
    registry = restarted(store, credentials.id)
    with ThreadPoolExecutor(8) as pool:
        asks = [
            pool.submit(registry.authorize, credentials.id, credentials.token) for _ in range(8)
        ]
        assert store.reading.wait(WAIT)
        store.unblock.set()
        workspaces = {id(ask.result(WAIT)[0]) for ask in asks}
    assert workspaces == {id(registry.authorize(credentials.id, credentials.token)[0])}
    assert store.reads[credentials.id] == 1


def test_a_failed_load_is_retried_by_the_next_request(store):
    registry = registry_on(store)
    with pytest.raises(Refused) as missing:
        registry.authorize("nope", "token")
    assert status_of(missing.value) == 404
    assert not registry.is_loaded("nope")


def test_delete_waits_for_its_own_workspace_only(store):
    registry = registry_on(store)
    busy, other = registry.create(), registry.create()
    workspace, _ = registry.authorize(busy.id, busy.token)
    pool = ThreadPoolExecutor(2)
    workspace.lock.acquire()  # heavy work in progress on `busy`
    try:
        deleting = pool.submit(registry.delete, workspace)
        created = pool.submit(registry.create).result(WAIT)
        assert registry.authorize(other.id, other.token)[1]
        assert registry.authorize(created.id, created.token)[1]
        assert not deleting.done()
    finally:
        workspace.lock.release()
        pool.shutdown()
    deleting.result()
    with pytest.raises(Refused) as gone:
        registry.authorize(busy.id, busy.token)
    assert status_of(gone.value) == 404


def test_a_request_that_waited_for_a_deleted_workspace_gets_404(store):
    registry = registry_on(store)
    credentials = registry.create()
    workspace, _ = registry.authorize(credentials.id, credentials.token)
    registry.delete(workspace)
    with pytest.raises(Refused) as gone:
        perform(workspace, "create_variable", VariableCreate(name="a", value=1.0))
    assert (status_of(gone.value), gone.value.code) == (404, "workspace_not_found")
