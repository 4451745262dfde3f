"""Checkpoints are paced by one budget: every few seconds while it lasts, never rarer than
the longest interval, and not at all sooner than the shortest."""

from backend.training.checkpoint_pace import BURST, LONGEST, SHORTEST, CheckpointPace


def test_a_checkpoint_is_never_due_sooner_than_the_shortest_interval():
    pace = CheckpointPace()
    assert not pace.due(SHORTEST - 0.1)
    assert pace.due(SHORTEST)


def test_a_spent_budget_holds_checkpoints_back_until_the_longest_interval():
    pace = CheckpointPace()
    pace.spent(BURST + 2.0)  # slow checkpoints: the budget is overdrawn for a while
    assert not pace.due(SHORTEST)
    assert not pace.due(LONGEST - 1)
    assert pace.due(LONGEST)


def test_checkpoints_cheaper_than_the_budget_stay_due_every_shortest_interval():
    pace = CheckpointPace()
    for _ in range(10):
        assert pace.due(SHORTEST)
        pace.spent(0.01)
