"""What a person sees, measured: boxes inside the canvas, covered by nothing, no sideways scroll."""

from playwright.sync_api import Error, Page

# For every element the selector finds: whether its whole box lies inside the canvas, and the
# share of it that something other than the graph's own drawing lies on, at a 10 x 10 grid of
# points. Cards, gates and edges do not count as cover (a neighbour's badge is part of the
# graph); panels, sheets, the minimap and the zoom controls do.
COVERAGE = """(selector) => {
    const graph = document.querySelector('[aria-label="Computation graph"]');
    const canvas = graph.getBoundingClientRect();
    return [...document.querySelectorAll(selector)].map((element) => {
        const box = element.getBoundingClientRect();
        const inside = box.left >= canvas.left - 0.5 && box.right <= canvas.right + 0.5
            && box.top >= canvas.top - 0.5 && box.bottom <= canvas.bottom + 0.5;
        let covered = 0;
        for (let i = 0; i < 10; i++) {
            for (let j = 0; j < 10; j++) {
                const x = box.left + (i + 0.5) * box.width / 10;
                const y = box.top + (j + 0.5) * box.height / 10;
                const hit = document.elementFromPoint(x, y);
                const drawn = hit !== null
                    && (element.contains(hit) || hit.closest('.react-flow__viewport') !== null);
                if (!drawn) covered += 1;
            }
        }
        const label = element.getAttribute('aria-label') ?? element.getAttribute('data-id');
        return { label, inside, covered: covered / 100 };
    });
}"""

# The page's content width beyond the window's: sideways scrolling a phone would show.
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def wait_until_in_view(page: Page, selector: str, most_covered: float = 0.1) -> None:
    """Wait until every element the selector finds (one at least) lies inside the canvas, covered
    by at most ``most_covered`` of its box; on timeout, fail with what was measured."""
    check = f"""(most) => {{
        const seen = ({COVERAGE})({selector!r});
        return seen.length > 0 && seen.every((s) => s.inside && s.covered <= most);
    }}"""
    try:
        page.wait_for_function(check, arg=most_covered, timeout=5_000)
    except Error as error:
        seen = page.evaluate(COVERAGE, selector)
        raise AssertionError(f"not in view and uncovered: {seen}") from error


def horizontal_overflow(page: Page) -> float:
    """How many px the page is wider than the window."""
    return page.evaluate(OVERFLOW)
