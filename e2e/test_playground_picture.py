"""The picture from the page: the graph as drawn (its folding and theme) downloaded as SVG, PNG
or DOT from the server, and copied to the clipboard as PNG, or a message saying what to do."""

import xml.etree.ElementTree as ElementTree

from playwright.sync_api import Page, expect

from e2e.models import traced_cnn
from e2e.pages.folding import GraphFolding
from e2e.pages.theme import ThemeSwitch
from e2e.pages.workspace import WorkspacePage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DARK_BACKGROUND = "#111318"  # --bg of the dark theme in theme.css


def svg_texts(svg: bytes) -> list[str]:
    """Every text of a standalone SVG, which must parse as XML."""
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return ["".join(text.itertext()) for text in root.iter("{http://www.w3.org/2000/svg}text")]


def open_cnn(page: Page, server: str) -> tuple[WorkspacePage, GraphFolding, str]:
    ws, _ = traced_cnn(server)
    workspace = WorkspacePage.open(page, ws.id, ws.location.token)
    folding = GraphFolding(page)
    expect(folding.card("features")).to_be_visible()
    return workspace, folding, ws.id


def test_the_downloads_draw_the_graph_as_folded_and_themed_on_the_page(
    page: Page, live_server: str
) -> None:
    workspace, folding, workspace_id = open_cnn(page, live_server)
    ThemeSwitch(page).choose("Dark")

    name, svg = folding.download("Download SVG")
    assert name == f"wengert-{workspace_id}.svg"
    texts = svg_texts(svg)
    assert {"features", "flatten", "head"} <= set(texts), texts
    assert "features_0_weight" not in texts  # folded into "features", as on the page
    assert DARK_BACKGROUND in svg.decode()
    # Read by eye beside the page's screenshot: the same folded cards, in the dark theme.
    picture = page.context.new_page()
    picture.set_content(svg.decode())
    expect(picture.locator("svg").first).to_be_visible()
    picture.screenshot(path="test-results/picture-svg-folded.png")
    picture.close()
    page.screenshot(path="test-results/picture-page-folded.png")
    expect(folding.picture_status).to_have_text(f"Downloaded wengert-{workspace_id}.svg.")

    workspace.fit_view_button.click()
    folding.unfold_button("features").click()
    folding.unfold_button("features.0").click()
    expect(page.get_by_role("group", name="variable features_0_weight")).to_be_visible()
    texts = svg_texts(folding.download("Download SVG")[1])
    assert "features_0_weight" in texts and "features.3" in texts, texts
    assert "features" not in texts

    name, png = folding.download("Download PNG")
    assert name.endswith(".png") and png.startswith(PNG_SIGNATURE)
    name, dot = folding.download("Download DOT")
    assert name.endswith(".dot")
    assert dot.decode().startswith("digraph") and "features_0_weight" in dot.decode()
    page.screenshot(path="test-results/picture-menu.png")


def test_copy_as_image_puts_a_png_on_the_clipboard(page: Page, live_server: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    _, folding, _ = open_cnn(page, live_server)

    folding.open_picture_menu().get_by_role("button", name="Copy as image").click()
    expect(folding.picture_status).to_have_text("Copied the picture as PNG.")
    head = page.evaluate(
        """async () => {
            const [item] = await navigator.clipboard.read();
            const png = await item.getType("image/png");
            return [...new Uint8Array(await png.slice(0, 8).arrayBuffer())];
        }"""
    )
    assert bytes(head) == PNG_SIGNATURE


def test_copy_as_image_says_what_to_do_when_the_browser_refuses(
    page: Page, live_server: str
) -> None:
    page.add_init_script(
        """navigator.clipboard.write = () =>
            Promise.reject(new DOMException("Write permission denied.", "NotAllowedError"));"""
    )
    _, folding, _ = open_cnn(page, live_server)

    folding.open_picture_menu().get_by_role("button", name="Copy as image").click()
    expect(folding.picture_status).to_have_text(
        "The browser refused to copy the picture (Write permission denied.): "
        "use Download PNG instead."
    )


def test_copy_as_image_says_what_to_do_where_the_browser_cannot_copy_images(
    page: Page, live_server: str
) -> None:
    page.add_init_script("delete window.ClipboardItem;")
    _, folding, _ = open_cnn(page, live_server)

    folding.open_picture_menu().get_by_role("button", name="Copy as image").click()
    expect(folding.picture_status).to_have_text(
        "This browser cannot copy images from this page: use Download PNG instead."
    )
