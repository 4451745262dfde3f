"""axe-core run in the page: the serious and critical accessibility violations it finds."""

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

# Each violation as "rule: the first offending element's selector (how many elements)".
# page-has-heading-one is a best practice axe rates moderate; the pages keep it all the same.
RUN = """async () => {
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical"
            || v.id === "page-has-heading-one")
        .map((v) => `${v.id}: ${v.nodes[0].target.join(" ")} (${v.nodes.length})`);
}"""


def serious_violations(page: Page) -> list[str]:
    """Inject axe-core (from the frontend's node_modules) and list what it finds serious or worse.

    Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') allows,
    where a script tag would be blocked.
    """
    page.evaluate(AXE.read_text())
    return page.evaluate(RUN)
