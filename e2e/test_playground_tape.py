"""The tape panel: the Wengert list grows with gates, not in no-grad mode; export and import."""

import json
import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage
from e2e.server import REPO_ROOT


def run_script(path: Path) -> dict:
    """Run an exported script with the engine importable; what it prints, parsed."""
    run = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT)},
        timeout=60,
        check=True,
    )
    return json.loads(run.stdout)


def test_no_grad_mode_keeps_the_tape_from_growing(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("a", "3")
    workspace.run_expression("b = a * 2")
    expect(workspace.tape_count).to_have_text(re.compile(r"^Tape: 1 node$"))
    expect(page.get_by_role("list", name="Wengert list")).to_contain_text("b = mul(a, 2")
    memory = workspace.tape_memory.inner_text()

    workspace.no_grad_mode.check()
    expect(page.get_by_text("No-grad mode is on")).to_be_visible()
    workspace.run_expression("c = b * b")
    expect(workspace.variable_card("c")).to_be_visible()

    expect(workspace.tape_count).to_have_text(re.compile(r"^Tape: 1 node$"))
    expect(workspace.tape_memory).to_have_text(memory)
    workspace.no_grad_mode.uncheck()
    expect(page.get_by_text("No-grad mode is on")).to_be_hidden()


def test_zero_grads_resets_every_gradient(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("a", "3")
    workspace.run_expression("b = a * a")
    workspace.backprop("b")
    expect(workspace.grad_of("a")).to_have_text("6")

    page.get_by_role("button", name="Zero grads").click()

    expect(workspace.grad_of("a")).to_have_text("0")


def test_export_then_import_rebuilds_the_workspace(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 3.0, "requires_grad": True})
    api.post("/eval", {"source": "b = a * 4"})
    api.post("/backprop", {"variable": "b"})
    workspace = WorkspacePage.open(page, api.id, api.token)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export JSON").click()
    document = json.loads(download.value.path().read_text())
    with page.expect_download() as script:
        page.get_by_role("button", name="Export Python").click()
    rebuilt = run_script(script.value.path())
    assert rebuilt == {"a": {"value": 3.0, "grad": 4.0}, "b": {"value": 12.0, "grad": 1.0}}

    page.goto("/")
    page.get_by_label("Import export file").set_input_files(
        files=[
            {
                "name": "w.json",
                "mimeType": "application/json",
                "buffer": json.dumps(document).encode(),
            }
        ]
    )

    expect(page.locator("[data-ready='true']")).to_be_visible()
    assert api.id not in page.url
    expect(workspace.value_of("b")).to_have_text("12")
