"""export.py gives every variable its own Python name, whatever the workspace called them,
so the script computes what the workspace did."""

import builtins

import pytest

from backend.export.python_script import Identifiers
from backend.tests.test_exporting import run_exported_script

REQUESTS = [
    ("/variables", {"name": "x", "value": [1.5, -2.0], "requires_grad": True}),
    # Names a script might take for itself, or that Python spells differently.
    ("/variables", {"name": "h_v1", "value": [100.0, 200.0]}),
    ("/variables", {"name": "h_v1_2", "value": [300.0, 400.0]}),
    ("/variables", {"name": "ctx", "value": [5.0, 6.0], "requires_grad": True}),
    ("/variables", {"name": "list", "value": [7.0, 8.0]}),
    ("/variables", {"name": "print", "value": [0.5, 0.25]}),
    ("/variables", {"name": "lambda", "value": [2.0, 3.0]}),
    ("/variables", {"name": "lambda_", "value": [4.0, 5.0]}),
    ("/variables", {"name": "None", "value": [9.0, 10.0]}),
    ("/variables", {"name": "__name__", "value": [11.0, 12.0]}),
    # Dunders Python binds itself: __builtins__ rebound would take every builtin away.
    ("/variables", {"name": "__builtins__", "value": [13.0, 14.0]}),
    ("/variables", {"name": "__file__", "value": [15.0, 16.0]}),
    # h is bound three times: h@1 and h@2 keep the earlier ones.
    ("/eval", {"source": "h = x * ctx"}),
    ("/eval", {"source": "h = h * x"}),
    ("/eval", {"source": "h = h + h_v1"}),
    ("/gates", {"gate": "mul", "inputs": ["h@1", "lambda"], "output": "lam"}),
    ("/gates", {"gate": "add", "inputs": ["lam", "lambda_"], "output": "lam2"}),
    ("/gates", {"gate": "mul", "inputs": ["lam2", "None"], "output": "nothing"}),
    ("/gates", {"gate": "add", "inputs": ["nothing", "__name__"]}),
    ("/gates", {"gate": "mul", "inputs": ["__builtins__", "__file__"], "output": "dunders"}),
    ("/gates", {"gate": "mul", "inputs": ["h", "list"], "output": "listed"}),
    ("/gates", {"gate": "split", "inputs": ["listed"], "params": {"sizes": 1}}),
    ("/gates", {"gate": "mul", "inputs": ["print", "h_v1_2"], "output": "printed"}),
    ("/eval", {"source": "total = sum(listed) + sum(printed)"}),
    ("/backprop", {"variable": "total"}),
    ("/optimizer/step", {"optimizer": "adam", "lr": 0.1, "params": ["x", "ctx"]}),
    # After the step, h@1's node is stale: x changed in place after it ran.
    ("/eval", {"source": "h = x * x"}),
]


def test_every_rebinding_and_reserved_name_round_trips_through_the_script(workspace, tmp_path):
    for path, body in REQUESTS:
        response = workspace.post(path, body)
        assert response.status_code < 300, (path, body, response.text)
    variables = workspace.get().json()["variables"]
    names = [v["name"] for v in variables]
    assert {"h@1", "h@2", "h@3", "h"} <= set(names)

    rebuilt = run_exported_script(workspace, tmp_path)

    assert sorted(rebuilt) == sorted(names)
    for var in variables:
        assert rebuilt[var["name"]]["value"] == pytest.approx(var["value"]), var["name"]
        assert rebuilt[var["name"]]["grad"] == pytest.approx(var["grad"]), var["name"]


def test_identifiers_are_distinct_and_never_a_builtin_or_a_keyword():
    names = Identifiers()
    given = ["h@1", "h_v1", "h_v1_2", "lambda", "lambda_", "list", "ctx", "None", "__name__"]
    given += ["__builtins__", "__file__", "print"]
    idents = [names[name] for name in given]
    assert len(set(idents)) == len(idents)
    assert all(ident.isidentifier() for ident in idents)
    assert not set(idents) & set(dir(builtins))
    assert not [ident for ident in idents if ident.startswith("__") and ident.endswith("__")]
    assert names["h@1"] == idents[0]  # the same name gets the same identifier every time
