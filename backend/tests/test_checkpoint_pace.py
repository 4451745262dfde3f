"""Checkpoints are paced by one budget: every few seconds while it lasts, never rarer than
the longest interval, and not at all sooner than the shortest."""

import time

from backend.training.checkpoint_pace import BURST, LONGEST, SHORTEST, CheckpointPace


def test_a_checkpoint_is_never_due_sooner_than_the_shortest_interval():
    pace = CheckpointPace()
    assert not pace.due(SHORTEST - 0.1)
    assert pace.due(SHORTEST)


def spend(pace: CheckpointPace, seconds: float, monkeypatch) -> None:
    """One checkpoint that took ``seconds`` by the pace's clock."""
    clock = [time.monotonic()]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    with pace.storing():
        clock[0] += seconds
    monkeypatch.undo()


def test_a_spent_budget_holds_checkpoints_back_until_the_longest_interval(monkeypatch):
    pace = CheckpointPace()
    spend(pace, BURST + 2.0, monkeypatch)  # slow checkpoints: overdrawn for a while
    assert not pace.due(SHORTEST)
    assert not pace.due(LONGEST - 1)
    assert pace.due(LONGEST)


def test_checkpoints_cheaper_than_the_budget_stay_due_every_shortest_interval(monkeypatch):
    pace = CheckpointPace()
    for _ in range(10):
        assert pace.due(SHORTEST)
        spend(pace, 0.01, monkeypatch)


def test_no_checkpoint_is_due_while_another_is_being_stored():
    pace = CheckpointPace()
    with pace.storing():
        assert not pace.due(SHORTEST)
        assert not pace.due(LONGEST)  # the overdue one waits its turn too
    assert pace.due(SHORTEST)
