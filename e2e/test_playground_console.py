"""The expression console: programs build the graph; a bad one says where and changes nothing."""

import re

from playwright.sync_api import Page, expect

from e2e.pages.workspace import WorkspacePage

MICROGRAD = """c = a + b
d = a * b + b**3
c = c + c + 1
c = c + 1 + c + (-a)
d = d + d * 2 + (b + a).relu()
d = d + 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g = g + 10.0 / f"""


def test_micrograd_expression_gives_micrograds_gradients(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("a", "-4")
    workspace.add_variable("b", "2")
    workspace.run_expression(MICROGRAD)
    expect(workspace.value_of("g")).to_have_text("24.7")

    workspace.set_animation(skip=True)  # the result, not the animation (test_playground_stepper)
    workspace.backprop("g")

    expect(workspace.grad_of("a")).to_have_text("138.8")
    expect(workspace.grad_of("b")).to_have_text("645.6")
    page.screenshot(path="test-results/playground-micrograd.png")


def test_bad_expression_shows_line_and_column_and_changes_nothing(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("a", "3")
    workspace.run_expression("b = a * 2")
    expect(workspace.tape_count).to_have_text(re.compile(r"^Tape: 1 node$"))

    workspace.run_expression("c = a + 1\nd = c * * 2")

    expect(workspace.console_error).to_contain_text("line 2, column 9")
    expect(workspace.console_error.get_by_label("at line 2, column 9")).to_contain_text(
        "d = c * * 2"
    )
    expect(workspace.expression).to_have_value("c = a + 1\nd = c * * 2")
    expect(workspace.tape_count).to_have_text(re.compile(r"^Tape: 1 node$"))
    expect(workspace.variable_card("c")).to_have_count(0)
    page.screenshot(path="test-results/playground-console-error.png")


def test_shift_enter_adds_a_line_and_enter_runs(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("a", "3")
    workspace.expression.press_sequentially("b = a * 2")
    workspace.expression.press("Shift+Enter")
    workspace.expression.press_sequentially("c = b + 1")
    expect(workspace.expression).to_have_value("b = a * 2\nc = b + 1")

    workspace.expression.press("Enter")

    expect(workspace.value_of("c")).to_have_text("7")
    # The program stays in the box, to edit or to run again.
    expect(workspace.expression).to_have_value("b = a * 2\nc = b + 1")
