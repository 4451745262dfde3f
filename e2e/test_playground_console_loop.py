"""The console as a place to iterate: leaves made in it, a program that stays, history, and a
training loop of forward, backprop, optimizer step and Run again."""

import re

from playwright.sync_api import Page, expect

from e2e.pages.workspace import WorkspacePage

PROGRAM = "w = 2\nx = const(3)\ny = w * x"


def test_forward_backprop_step_and_run_again_is_a_training_loop(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.set_animation(skip=True)
    workspace.run_expression(PROGRAM)
    expect(workspace.value_of("y")).to_have_text("6")
    expect(workspace.console_status).to_have_text("Ran: 1 node; made w, x; assigned y.")
    expect(workspace.expression).to_have_value(PROGRAM)  # the program stays to run again
    expect(workspace.role_of("w")).to_have_text("param")
    expect(workspace.role_of("x")).to_have_text("const")

    workspace.backprop("y")
    expect(workspace.grad_of("w")).to_have_text("3")
    workspace.optimizer_step("SGD", "0.5")
    expect(workspace.value_of("w")).to_have_text("0.5")  # 2 - 0.5 * 3
    expect(workspace.grad_of("w")).to_have_text("0")  # zeroed after the step, for the next turn

    workspace.run_again()
    expect(workspace.console_status).to_have_text("Ran again: 1 node; kept w, x; assigned y.")
    expect(workspace.value_of("y")).to_have_text("1.5")  # 0.5 * 3, from the moved w
    workspace.backprop("y")
    expect(workspace.grad_of("w")).to_have_text("3")  # not 6: the turns do not pile up
    page.screenshot(path="test-results/playground-console-loop.png")


def test_arrow_up_recalls_earlier_programs_also_after_a_reload(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.run_expression("a = -4")
    expect(workspace.value_of("a")).to_have_text("-4")  # a run is refused while one is pending
    workspace.run_expression("b = a * a")
    expect(workspace.value_of("b")).to_have_text("16")
    workspace.expression.fill("draft")
    workspace.expression.press("ArrowUp")
    expect(workspace.expression).to_have_value("b = a * a")
    workspace.expression.press("ArrowUp")
    expect(workspace.expression).to_have_value("a = -4")
    workspace.expression.press("ArrowDown")
    workspace.expression.press("ArrowDown")
    expect(workspace.expression).to_have_value("draft")

    page.reload()
    expect(workspace.value_of("b")).to_have_text("16")
    workspace.expression.press("ArrowUp")
    expect(workspace.expression).to_have_value("b = a * a")
    workspace.run_again()  # the newest program of the history, kept across the reload
    expect(workspace.console_status).to_have_text("Ran again: 1 node; assigned b.")


def test_a_stale_backprop_says_what_changed_and_where(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.set_animation(skip=True)
    workspace.run_expression(PROGRAM)
    expect(workspace.value_of("y")).to_have_text("6")
    workspace.backprop("y")
    expect(workspace.grad_of("w")).to_have_text("3")
    workspace.run_expression("z = w * x")  # recorded after backprop, which would drop it
    expect(workspace.value_of("z")).to_have_text("6")
    workspace.optimizer_step("SGD", "0.5")
    stale = workspace.gate("mul #2").get_by_text("stale", exact=True)
    expect(stale).to_be_visible()  # marked as soon as the step moved w
    workspace.backprop("z")
    expect(page.get_by_role("alert").filter(has_text=re.compile("^w was changed"))).to_have_text(
        "w was changed by an optimizer step after node #2 (mul) recorded it; "
        "run the forward pass again"
    )
    page.reload()  # the state says so too, not only the event
    expect(stale).to_be_visible()
    page.screenshot(path="test-results/playground-stale.png")


README_LOOP = (
    "w = randn(2, 1, seed=0)\nx = const([[1, 2], [3, 4]])\nt = const([[1], [0]])\n"
    "loss = mean((x @ w - t) ** 2)"
)


def _turn(workspace: WorkspacePage) -> None:
    """One turn of README's loop in the playground: Backprop, Optimizer step, Run again."""
    workspace.backprop("loss")
    workspace.page.get_by_role("button", name="Optimizer step").click()
    expect(workspace.grad_of("w")).to_have_text("[[0], [0]]")
    workspace.run_again()
    expect(workspace.console_status).to_contain_text("Ran again")


def test_readme_loop_falls_at_the_default_rate_and_a_growing_loss_is_said(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.set_animation(skip=True)
    workspace.run_expression(README_LOOP)
    expect(workspace.value_of("loss")).to_have_text("0.6595")
    expect(page.get_by_label("Learning rate", exact=True)).to_have_value("0.05")

    _turn(workspace)
    expect(workspace.value_of("loss")).to_have_text("0.5174")
    _turn(workspace)
    expect(workspace.value_of("loss")).to_have_text("0.4781")
    expect(page.get_by_role("status").filter(has_text="grew")).to_have_count(0)

    page.get_by_label("Learning rate", exact=True).fill("0.3")
    _turn(workspace)
    _turn(workspace)
    warning = page.get_by_role("status").filter(has_text="loss grew from")
    expect(warning).to_contain_text("the learning rate may be too large")
    page.screenshot(path="test-results/playground-loss-grew.png")


def test_an_initializer_inside_an_expression_makes_a_parameter(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.run_expression("x = [[1, 2, 3]]\ny = x @ randn(3, 3, seed=1)")
    expect(workspace.console_status).to_have_text(re.compile(r"made x, randn\d+; assigned y"))
    expect(workspace.variable_card("y")).to_be_visible()
