"""A snapshot's JSON made a slice of each long list at a time is json.dumps's text, byte for
byte, and one C call never encodes more than a slice of a long list."""

import json
import math

import pytest

from backend.store.snapshots import sliced_json
from backend.store.snapshots.sliced_json import SLICE

DOCUMENTS = [
    {
        "history": [
            {"epoch": i, "loss": i / 7, "layers": [{"dead": 0}]} for i in range(3 * SLICE + 5)
        ]
    },
    {"runs": {"current": {"kept": list(range(SLICE * 2)), "spacing": 1}}, "empty": []},
    {"odd": [math.nan, math.inf, -0.0, 'é\u2028"\\', None, True], "int keys": {1: "a", 2.5: "b"}},
    [[1] * (SLICE + 1), {"inner": list(range(SLICE + 3))}],
    {"exactly a slice": list(range(SLICE)), "one more": list(range(SLICE + 1))},
    "a lone string",
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_text_is_json_dumps_byte_for_byte(document):
    assert sliced_json.dumps(document) == json.dumps(document, separators=(",", ":"))


def test_a_long_list_is_encoded_a_slice_per_call(monkeypatch):
    sizes = []
    encode = sliced_json._ENCODE

    def counting(value):
        sizes.append(len(value) if isinstance(value, list) else 0)
        return encode(value)

    monkeypatch.setattr(sliced_json, "_ENCODE", counting)
    sliced_json.dumps({"history": [{"epoch": i} for i in range(10 * SLICE)]})
    assert max(sizes) == SLICE
    assert sum(sizes) == 10 * SLICE
