"""Errors where they belong: the console's caret under the offending name, form errors beside
their field and gone once it is edited or another form is used, every training problem at once."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import TrainingPage
from e2e.pages.workspace import WorkspacePage


def test_the_console_caret_sits_under_an_unknown_name(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("W", "[[1, 2], [3, 4]]")

    workspace.run_expression("z = W @ nope")

    expect(workspace.console_error).to_contain_text("no variable named 'nope'")
    marker = workspace.console_error.get_by_label("at line 1, column 9")
    expect(marker).to_have_text("z = W @ nope\n        ^")


def test_a_gate_error_sits_beside_its_field_and_goes_when_it_is_edited(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("x", "2")
    output = workspace.field("Output name")

    workspace.submit_gate("neg", ["x"], "x")

    expect(output).to_have_attribute("aria-invalid", "true")
    expect(output).to_have_accessible_description(re.compile("named 'x' already exists"))
    page.screenshot(path="test-results/playground-field-error.png")
    output.fill("y")
    expect(output).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").filter(has_text="already exists")).to_have_count(0)


def test_an_error_from_one_form_is_gone_once_another_is_used(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("x", "2")
    workspace.submit_gate("neg", ["x"], "x")
    stale = page.get_by_role("alert").filter(has_text="already exists")
    expect(stale).to_be_visible()

    workspace.add_variable("y", "3")

    expect(stale).to_have_count(0)
    expect(workspace.field("Output name")).not_to_have_attribute("aria-invalid", "true")


def test_the_training_form_shows_every_problem_at_once(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    points = page.get_by_label("Points", exact=True)
    learning_rate = page.get_by_label("Learning rate", exact=True)
    points.fill("5")  # out of range: the server says so
    learning_rate.fill("fast")  # no number: the form says so before the server is asked

    training.apply_button.click()

    expect(points).to_have_accessible_description(re.compile("greater than or equal to 20"))
    expect(learning_rate).to_have_accessible_description("Enter a number.")
    expect(training.progress).to_contain_text("No run yet")
