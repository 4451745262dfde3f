"""Training on more than two classes, on a regression, and on the user's own points."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import TrainingPage

# Three corners of the plot, as fractions of its width and height, four clicks each.
CORNERS = [(0.2, 0.2), (0.8, 0.2), (0.5, 0.8)]
NUDGES = [(0, 0), (0.04, 0), (0, 0.04), (-0.03, -0.02)]


def test_clicked_points_of_three_classes_train_to_90_percent(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    training.set_up("custom", ["16", "16"], speed="full", epochs="300", learning_rate="0.03")
    training.apply_button.click()
    expect(training.your_points).to_have_text("No points yet")
    expect(training.control("Step")).to_be_enabled()

    for label, (across, up) in enumerate(CORNERS):
        training.choose_class(label)
        for dx, dy in NUDGES:
            training.click_plot(across + dx, up + dy)
    expect(training.your_points).to_have_text("12 points: 4 of class 0, 4 of class 1, 4 of class 2")
    training.click_plot(0.5, 0.5)  # a stray point of class 2 ...
    expect(training.your_points).to_contain_text("13 points")
    training.click_plot(0.5, 0.5, shift=True)  # ... shift-clicked away
    expect(training.your_points).to_have_text("12 points: 4 of class 0, 4 of class 1, 4 of class 2")
    points = re.compile(r"9 train and 3 test points of custom data$")
    expect(training.boundary).to_have_accessible_name(points)

    training.control("Train").click()
    expect(training.progress).to_contain_text("State: done")
    expect(training.latest_metrics).to_have_text(re.compile(r"^Train accuracy (9\d|100)\.\d%"))
    expect(training.boundary).to_have_accessible_name(re.compile(r"class 0 .*class 1 .*class 2"))
    page.screenshot(path="test-results/training-data-three-classes.png")


def test_the_plane_regression_reaches_a_test_mse_below_005(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    training.set_up("plane", ["8"], speed="full", epochs="30", learning_rate="0.02")
    expect(page.get_by_label("Loss", exact=True)).to_have_value("mse")
    training.apply_button.click()
    expect(training.progress).to_contain_text("State: idle")

    training.control("Train").click()
    expect(training.progress).to_contain_text("State: done")
    expect(training.latest_metrics).to_contain_text("Test MSE")
    assert training.test_mse() < 0.05, training.latest_metrics.inner_text()
    expect(training.boundary).to_have_accessible_name(re.compile(r"predictions from -\d"))
    # Nothing about classes: no accuracy chart, no rounding of the output to a class.
    expect(page.get_by_role("figure", name=re.compile(r"^Accuracy"))).to_have_count(0)
    expect(page.get_by_label("Discretize output")).to_have_count(0)
    page.screenshot(path="test-results/training-data-plane.png")


def test_an_uploaded_csv_shows_its_points_and_a_bad_one_lists_its_lines(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    training.page.get_by_label("Dataset", exact=True).select_option("custom")
    training.apply_button.click()
    expect(training.your_points).to_have_text("No points yet")

    rows = "\n".join(f"{x},{y},{label}" for x, y, label in [(-1, -1, 0), (-1, 0, 0), (0, -1, 0)])
    training.upload_csv("points.csv", f"x,y,label\n{rows}\n1,1,4\n1,0.5,4\n0.5,1,4\n")
    expect(training.your_points).to_have_text("6 points: 3 of class 0, 3 of class 4")
    points = re.compile(r"4 train and 2 test points of custom data$")
    expect(training.boundary).to_have_accessible_name(points)
    expect(page.get_by_text("class 4", exact=True).first).to_be_visible()

    training.upload_csv("bad.csv", "1,2,0\n1,two,0\n3,4,9\n")
    expect(training.csv_problems).to_contain_text('line 2: y is not a finite number: "two"')
    expect(training.csv_problems).to_contain_text("line 3: the label must be a whole number 0 to 5")
    expect(training.your_points).to_have_text("6 points: 3 of class 0, 3 of class 4")
    page.screenshot(path="test-results/training-data-csv.png")

    # A good CSV over points already there asks first; keeping them changes nothing.
    training.upload_csv("two.csv", "0,0,1\n1,1,2\n")
    question = page.get_by_role("alertdialog", name="Replace your points?")
    expect(question).to_contain_text("Replace your 6 points with the 2 of two.csv?")
    question.get_by_role("button", name="Keep mine").click()
    expect(question).to_have_count(0)
    expect(training.your_points).to_have_text("6 points: 3 of class 0, 3 of class 4")
    training.upload_csv("two.csv", "0,0,1\n1,1,2\n")
    question.get_by_role("button", name="Replace them").click()
    expect(training.your_points).to_have_text("2 points: 1 of class 1, 1 of class 2")
