"""For any sequence of operations, the state loaded from a snapshot and the operations after
it equals the state from replaying the whole journal, and the live state it was taken from."""

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from backend.errors import Refused
from backend.settings import Settings
from backend.store import journal
from backend.store.registry import WorkspaceRegistry
from backend.store.sqlite import SqliteStore
from backend.workspace.operations import OPERATIONS, perform
from backend.workspace.workspace import Workspace

NAMES = st.sampled_from(["a", "b", "c", "d"])
PRELUDE = [
    ("create_variable", {"name": "a", "value": [0.5, -1.0], "requires_grad": True}),
    ("create_variable", {"name": "b", "value": [2.0, 0.25], "requires_grad": True}),
    ("create_variable", {"name": "c", "value": [1.0, 3.0]}),
]
"""Variables to work on, so that most of the random requests after it succeed."""
SMALL = st.floats(-3, 3, allow_nan=False).map(lambda x: round(x, 3))


def operation() -> st.SearchStrategy[tuple[str, dict]]:
    """One request of any kind, on names that may or may not exist (then it is refused)."""
    return st.one_of(
        st.builds(
            lambda name, value, grad: (
                "create_variable",
                {"name": name, "value": value, "requires_grad": grad},
            ),
            NAMES,
            st.lists(SMALL, min_size=2, max_size=2),
            st.booleans(),
        ),
        st.builds(
            lambda gate, x, y, out: ("apply_gate", {"gate": gate, "inputs": [x, y], "output": out}),
            st.sampled_from(["mul", "add", "sub"]),
            NAMES,
            st.one_of(NAMES, SMALL),
            st.one_of(st.none(), NAMES),
        ),
        st.builds(
            lambda gate, x: ("apply_gate", {"gate": gate, "inputs": [x]}),
            st.sampled_from(["tanh", "sigmoid", "sum", "exp"]),
            NAMES,
        ),
        st.builds(
            lambda target, x, y: ("eval", {"source": f"{target} = tanh({x} * {y})"}),
            NAMES,
            NAMES,
            NAMES,
        ),
        st.builds(lambda name: ("backprop", {"variable": name}), NAMES),
        st.just(("zero_grad", {})),
        st.builds(lambda on: ("set_no_grad", {"enabled": on}), st.booleans()),
        st.builds(
            lambda kind, name: ("optimizer_step", {"optimizer": kind, "lr": 0.1, "params": [name]}),
            st.sampled_from(["sgd", "momentum", "adam"]),
            NAMES,
        ),
    )


def everything(ws: Workspace) -> dict:
    """The state as clients see it, with the optimizers' buffers and the last backprop's root,
    without the event count."""
    state = ws.state().model_dump(exclude={"seq"})
    state["optimizers"] = {
        key: {name: array.tolist() for name, array in optimizer.state_dict().items()}
        for key, optimizer in ws.optimizers.items()
    }
    state["touched"] = sorted(var.name for var in ws.touched)
    state["last_backprop_root"] = ws.last_backprop_root
    return state


@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests=st.lists(operation(), min_size=1, max_size=24), cut=st.integers(0, 27))
def test_snapshot_and_tail_equal_a_full_replay_and_the_live_state(requests, cut):
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), snapshot_every_operations=10**6)
        store = SqliteStore(settings.data_dir)
        try:
            registry = WorkspaceRegistry(settings, store)
            credentials = registry.create()
            live, _ = registry.authorize(credentials.id, credentials.token)
            for index, (kind, body) in enumerate(PRELUDE + requests):
                if index == cut:
                    with live.lock:
                        live.journal.snapshot()
                # A refused request is neither done nor journaled.
                with contextlib.suppress(Refused):
                    perform(live, kind, OPERATIONS[kind].request.model_validate(body))

            from_snapshot = Workspace(live.id, settings)
            journal.load(store, from_snapshot)
            replayed = Workspace(live.id, settings)
            journal.replay_rows(replayed, store.operations(live.id))

            expected = everything(live)
            assert everything(from_snapshot) == expected
            assert everything(replayed) == expected
            assert from_snapshot.damage is None and replayed.damage is None
        finally:
            store.close()
