"""The caps on open event streams: per workspace, server-wide, and slots given back once."""

import pytest

from backend.errors import Refused
from backend.http.errors import headers_of, status_of
from backend.workspace.stream_slots import StreamSlots


def test_a_workspace_past_its_cap_is_refused_with_429_and_retry_after():
    slots = StreamSlots(per_workspace=2, server_wide=10)
    slots.take("a"), slots.take("a")
    with pytest.raises(Refused) as refused:
        slots.take("a")
    assert status_of(refused.value) == 429
    assert int(headers_of(refused.value)["Retry-After"]) > 0
    slots.take("b")  # another workspace still may


def test_the_server_past_its_cap_refuses_every_workspace():
    slots = StreamSlots(per_workspace=5, server_wide=2)
    slots.take("a"), slots.take("b")
    with pytest.raises(Refused) as refused:
        slots.take("c")
    assert status_of(refused.value) == 429


def test_a_slot_given_back_twice_frees_one_place():
    slots = StreamSlots(per_workspace=1, server_wide=1)
    slot = slots.take("a")
    slot.give_back()
    slot.give_back()
    slots.take("a")
    with pytest.raises(Refused):
        slots.take("a")
