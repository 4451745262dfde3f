"""The start page and the workspace page."""

import re
from urllib.parse import urlparse

from playwright.sync_api import Locator, Page, Request, expect

STATE_PATH = re.compile(r"^/api/workspaces/[^/]+$")
VARIABLE_PATH = re.compile(r"^/api/workspaces/[^/]+/variables/[^/]+$")


class WorkspacePage:
    """A workspace opened in the browser."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def create(cls, page: Page) -> "WorkspacePage":
        """Open the start page and create a new workspace."""
        page.goto("/")
        page.get_by_role("button", name="Create workspace").click()
        expect(page.locator("[data-ready='true']")).to_be_visible()
        return cls(page)

    @classmethod
    def open_example(cls, page: Page, title: str) -> "WorkspacePage":
        """Open one of the start page's built-in examples."""
        page.goto("/")
        page.get_by_role("button", name=f"Example: {title}").click()
        expect(page.locator("[data-ready='true']")).to_be_visible()
        return cls(page)

    @classmethod
    def open(cls, page: Page, workspace_id: str, token: str) -> "WorkspacePage":
        """Open an existing workspace by its link and wait until its state has loaded."""
        page.goto(f"/w/{workspace_id}#{token}")
        expect(page.locator("[data-ready='true']")).to_be_visible()
        return cls(page)

    def wait_for_event(self, seq: int) -> None:
        """Wait until the state on screen includes event ``seq``, and no later one."""
        expect(self.page.locator(f"[data-seq='{seq}']")).to_be_attached()

    @property
    def connection(self) -> Locator:
        """The live-updates indicator in the top bar."""
        return self.page.get_by_role("status").filter(has_text="Live updates")

    @property
    def read_only_badge(self) -> Locator:
        return self.page.get_by_text("read-only", exact=True)

    def open_share_dialog(self) -> Locator:
        """Click Share and return the dialog that shows the links."""
        self.page.get_by_role("button", name="Share").click()
        dialog = self.page.get_by_role("dialog", name="Share this workspace")
        expect(dialog).to_be_visible()
        return dialog

    def add_variable(self, name: str, value: str, requires_grad: bool = True) -> None:
        self.page.get_by_label("Name", exact=True).fill(name)
        self.page.get_by_label("Value", exact=True).fill(value)
        self.page.get_by_label("requires grad").set_checked(requires_grad)
        self.page.get_by_role("button", name="Add variable").click()
        expect(self.variable_card(name)).to_be_visible()

    def submit_generated_variable(
        self,
        name: str,
        init: str,
        shape: str,
        seed: str = "",
        dtype: str = "float64",
        requires_grad: bool = True,
    ) -> None:
        """Fill "New variable" for a generated value and press Add variable; asserts nothing."""
        self.page.get_by_label("Name", exact=True).fill(name)
        self.page.get_by_role("radio", name="Generated").check()
        self.page.get_by_label("Init", exact=True).select_option(init)
        self.page.get_by_label("Shape", exact=True).fill(shape)
        if seed:
            self.page.get_by_label("Seed", exact=True).fill(seed)
        self.page.get_by_label("dtype", exact=True).select_option(dtype)
        self.page.get_by_label("requires grad").set_checked(requires_grad)
        self.page.get_by_role("button", name="Add variable").click()

    def apply_gate(
        self, gate: str, inputs: list[str], output: str, params: dict[str, str] | None = None
    ) -> None:
        """Apply a gate from the palette; inputs are variable names or numbers as typed."""
        self.page.get_by_label("Gate", exact=True).select_option(gate)
        for _ in range(len(inputs) - self.page.get_by_label(re.compile(r"^Input \d+$")).count()):
            self.page.get_by_role("button", name="Add input").click()
        for index, name in enumerate(inputs, start=1):
            self.page.get_by_label(f"Input {index}", exact=True).fill(name)
        for name, text in (params or {}).items():
            field = self.page.get_by_label(re.compile(rf"^{name}( \(required\))?$"))
            if text in ("true", "false"):
                field.set_checked(text == "true")
            else:
                field.fill(text)
        self.page.get_by_label("Output name").fill(output)
        self.page.get_by_role("button", name="Apply gate").click()
        expect(self.variable_card(output)).to_be_visible()

    def submit_gate(self, gate: str, inputs: list[str], output: str) -> None:
        """Fill the gate palette (fixed-arity gates) and press Apply gate; asserts nothing."""
        self.page.get_by_label("Gate", exact=True).select_option(gate)
        for index, name in enumerate(inputs, start=1):
            self.page.get_by_label(f"Input {index}", exact=True).fill(name)
        self.page.get_by_label("Output name").fill(output)
        self.page.get_by_role("button", name="Apply gate").click()

    def field(self, label: str) -> Locator:
        """A form control by its label, whose accessible description carries its error."""
        return self.page.get_by_label(label, exact=True)

    def backprop(self, name: str) -> None:
        self.page.get_by_label("Backprop from").select_option(name)
        self.page.get_by_role("button", name="Backprop", exact=True).click()

    @property
    def expression(self) -> Locator:
        return self.page.get_by_label("Expression", exact=True)

    def run_expression(self, source: str) -> None:
        """Type a program into the console and press Enter to run it."""
        self.expression.fill(source)
        self.expression.press("Enter")

    def run_again(self) -> None:
        self.page.get_by_role("button", name="Run again").click()

    @property
    def console_status(self) -> Locator:
        return self.page.get_by_role("status").filter(has_text=re.compile(r"^Ran"))

    def optimizer_step(self, optimizer: str, lr: str) -> None:
        self.page.get_by_label("Optimizer", exact=True).select_option(label=optimizer)
        self.page.get_by_label("Learning rate", exact=True).fill(lr)
        self.page.get_by_role("button", name="Optimizer step").click()

    @property
    def console_error(self) -> Locator:
        return self.page.get_by_role("alert").filter(has_text="line ")

    @property
    def tape_count(self) -> Locator:
        return self.page.get_by_text(re.compile(r"^Tape: \d+ nodes?$"))

    @property
    def tape_memory(self) -> Locator:
        return self.page.get_by_label("Tape memory")

    @property
    def no_grad_mode(self) -> Locator:
        return self.page.get_by_label("No-grad mode")

    def inspect(self, name: str) -> Locator:
        """Open the inspector of a variable by its card and return the inspector.

        Fits the graph first, as a user would to find a card: a large graph opens on its output,
        leaving other cards out of sight.
        """
        self.fit_view_button.click()
        self.page.get_by_role("button", name=f"Inspect {name}", exact=True).click()
        inspector = self.inspector(name)
        expect(inspector).to_be_visible()
        return inspector

    def inspector(self, name: str) -> Locator:
        return self.page.get_by_role("complementary", name=f"Inspector for {name}")

    @property
    def controls_sheet_toggle(self) -> Locator:
        """The handle that slides the controls sheet up on a phone (hidden on a wide window)."""
        return self.page.get_by_role("button", name="Controls", exact=True)

    def open_controls(self) -> None:
        """Slide the controls sheet up when the window is narrow enough to fold it."""
        if self.controls_sheet_toggle.is_visible():
            if self.controls_sheet_toggle.get_attribute("aria-expanded") == "false":
                self.controls_sheet_toggle.click()
            expect(self.controls_sheet_toggle).to_have_attribute("aria-expanded", "true")

    @property
    def step_button(self) -> Locator:
        """The player's Step button."""
        return self.page.get_by_role("button", name="Step", exact=True)

    def set_animation(self, skip: bool, speed: int = 16) -> None:
        self.page.get_by_label("Skip animation").set_checked(skip)
        self.page.get_by_label("Speed").select_option(str(speed))

    @property
    def replay_button(self) -> Locator:
        """The player's Rewatch button, which plays the last backprop again."""
        return self.page.get_by_role("button", name="Rewatch", exact=True)

    @property
    def show_off_path(self) -> Locator:
        """The player's switch that shows the steps off the path to the root."""
        return self.page.get_by_label("Show steps off the path")

    @property
    def player_status(self) -> Locator:
        return self.page.get_by_role("status").filter(has_text=re.compile(r"^Step \d+ of"))

    @property
    def chain_rule(self) -> Locator:
        """The backprop panel's lines writing out the chain rule of the step shown."""
        return self.page.get_by_role("list", name="Chain rule of this step")

    @property
    def active_tape_entry(self) -> Locator:
        """The Wengert list's entry for the node the step shown is running."""
        return self.page.get_by_role("list", name="Wengert list").locator("li[aria-current='step']")

    def receives(self, name: str) -> Locator:
        """The badge on a variable's card saying what the step shown adds to its grad."""
        return self.page.get_by_label(f"{name} receives", exact=True)

    def wait_until_graph_fits(self) -> None:
        """Wait until every card lies inside the canvas, as after the view re-frames itself."""
        self.wait_until_inside_canvas('[aria-label^="variable "]')

    def wait_until_inside_canvas(self, selector: str, inside: bool = True) -> None:
        """Wait until every element the CSS selector finds (one at least) lies inside the canvas.

        With ``inside=False``, wait until one of them lies at least partly outside it, or none
        is drawn.
        """
        self.page.wait_for_function(
            """([selector, inside]) => {
                const canvas = document.querySelector('[aria-label="Computation graph"]');
                if (!canvas) return false;
                const frame = canvas.getBoundingClientRect();
                const found = [...document.querySelectorAll(selector)];
                const within = found.every((element) => {
                    const box = element.getBoundingClientRect();
                    return box.left >= frame.left && box.right <= frame.right
                        && box.top >= frame.top && box.bottom <= frame.bottom;
                });
                return inside ? found.length > 0 && within : !within || found.length === 0;
            }""",
            arg=[selector, inside],
        )

    def active_gate(self) -> str:
        """A CSS selector for the gate the step shown runs, read from the player's status."""
        node = re.search(r"#(\d+)$", self.player_status.inner_text())
        assert node is not None, self.player_status.inner_text()
        # Gates have no accessible name; React Flow marks each drawn node with its id, "gate:<id>".
        return f'.react-flow__node[data-id="gate:{node.group(1)}"]'

    def view(self) -> tuple[float, float, float]:
        """The canvas's viewport (x, y, zoom), read from the transform React Flow sets."""
        transform = self.page.locator(".react-flow__viewport").evaluate(
            "(el) => el.style.transform"
        )
        match = re.fullmatch(r"translate\((\S+)px, (\S+)px\) scale\((\S+)\)", transform)
        assert match, transform
        x, y, zoom = (float(part) for part in match.groups())
        return x, y, zoom

    def drag_view(self, up: float) -> None:
        """Drag the canvas up by a fraction of its height, from an empty spot near its bottom."""
        box = self.page.get_by_label("Computation graph").bounding_box()
        assert box is not None
        self.drag_view_by(0, -box["height"] * up)

    def drag_view_by(self, dx: float, dy: float) -> None:
        """Drag the canvas by (dx, dy) px, from an empty spot near its bottom."""
        box = self.page.get_by_label("Computation graph").bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.9
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(x + dx, y + dy, steps=5)
        self.page.mouse.up()

    def center_of(self, locator: Locator) -> tuple[float, float]:
        box = locator.bounding_box()
        assert box is not None
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    @property
    def fit_view_button(self) -> Locator:
        return self.page.get_by_role("button", name="Fit View")

    @property
    def tape_toggle(self) -> Locator:
        """The button that folds the tape panel to its heading and opens it again."""
        return self.page.get_by_role("button", name=re.compile(r"^(Hide|Show) tape$"))

    @property
    def minimap_nodes(self) -> Locator:
        return self.page.locator(".react-flow__minimap-node")

    def minimap_node_size(self) -> float:
        """The first minimap node's height on screen, in px, with its screen-wide stroke."""
        return self.minimap_nodes.first.evaluate(
            """(node) => {
                const style = getComputedStyle(node);
                const screenWide = style.vectorEffect === "non-scaling-stroke";
                const stroke = screenWide ? parseFloat(style.strokeWidth) : 0;
                return node.getBoundingClientRect().height + stroke;
            }"""
        )

    def constant(self, text: str) -> Locator:
        """The pill drawn for a number typed as a gate's input, such as the 3 of x * 3."""
        return self.page.get_by_role("group", name=f"constant {text}", exact=True)

    def variable_card(self, name: str) -> Locator:
        return self.page.get_by_role("group", name=f"variable {name}")

    def gate(self, label: str) -> Locator:
        """A gate node by its label, "mul #2"."""
        return self.page.get_by_role("group", name=label, exact=True)

    def health_of(self, name: str) -> Locator:
        """The badges a card shows for its gradient's health ("vanishing", "dead 2 of 3")."""
        return self.page.get_by_label(f"{name} health", exact=True)

    def role_of(self, name: str) -> Locator:
        """The tag on a variable's card that names its role: param, computed or const."""
        tag = re.compile(r"^(param|computed|const)$", re.IGNORECASE)
        return self.variable_card(name).get_by_text(tag)

    def grad_of(self, name: str) -> Locator:
        return self.page.get_by_label(f"{name} grad", exact=True)

    def value_of(self, name: str) -> Locator:
        return self.page.get_by_label(f"{name} value", exact=True)

    def heatmap(self, name: str, which: str = "value") -> Locator:
        """The heatmap a tensor's card draws of its value or grad, named with its range."""
        label = re.compile(rf"^{re.escape(name)} {which}: heatmap")
        return self.page.get_by_role("img", name=label)

    def record_gets(self, path: re.Pattern[str]) -> list[str]:
        """From now on, the paths of the page's GETs that match ``path``, in a growing list."""
        seen: list[str] = []

        def on_request(request: Request) -> None:
            where = urlparse(request.url).path
            if request.method == "GET" and path.match(where):
                seen.append(where)

        self.page.on("request", on_request)
        return seen

    def record_state_loads(self) -> list[str]:
        """From now on, every load of the whole workspace state (GET /api/workspaces/{id})."""
        return self.record_gets(STATE_PATH)

    def record_variable_loads(self) -> list[str]:
        """From now on, every load of one variable (GET /api/workspaces/{id}/variables/{name})."""
        return self.record_gets(VARIABLE_PATH)
