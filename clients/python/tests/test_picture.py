"""ws.graph: the picture the server drew, shown as a notebook shows it."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image
from wengert_client import GraphPicture, Invalid, NotFound, Workspace

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def micrograd(ws: Workspace) -> Workspace:
    a = ws.variable("a", -4.0, requires_grad=True)
    b = ws.variable("b", 2.0, requires_grad=True)
    c = a * b + b**3
    c.backprop()
    return ws


def displayed(picture: GraphPicture) -> dict[str, object]:
    """The MIME bundle a notebook gets for ``picture`` (IPython's own formatter)."""
    bundle, _ = DisplayFormatter().format(picture)
    return bundle


def test_an_svg_shows_inline_in_a_notebook(micrograd: Workspace) -> None:
    picture = micrograd.graph()
    bundle = displayed(picture)
    assert "image/svg+xml" in bundle and "image/png" not in bundle
    root = ET.fromstring(str(bundle["image/svg+xml"]))
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"a", "b", "value -4.0", "grad 2.0", "grad 8.0"} <= texts  # c = a*b + b**3
    assert picture.text == bundle["image/svg+xml"]


def test_a_png_shows_inline_and_its_bytes_decode(micrograd: Workspace) -> None:
    picture = micrograd.graph("png", scale=2, theme="dark")
    bundle = displayed(picture)
    assert set(bundle) >= {"image/png"} and "image/svg+xml" not in bundle
    image = Image.open(io.BytesIO(picture.data))
    assert image.format == "PNG" and image.width > 400
    assert image.getpixel((0, 0)) == (0x11, 0x13, 0x18)  # the dark theme's background
    with pytest.raises(ValueError, match="bytes"):
        _ = picture.text


def test_dot_is_text_the_notebook_shows_as_source(micrograd: Workspace, tmp_path) -> None:
    picture = micrograd.graph("dot")
    bundle = displayed(picture)
    assert set(bundle) == {"text/plain"}
    assert str(bundle["text/plain"]).startswith("digraph wengert {")
    saved = picture.save(tmp_path / "graph.dot")
    assert saved.read_text() == picture.text


def test_options_reach_the_server(micrograd: Workspace) -> None:
    bare = micrograd.graph(include=(), around="a", depth=0)
    texts = {t.text for t in ET.fromstring(bare.text).iter(f"{SVG}text")}
    assert texts == {"a", "param · scalar · float64"}
    with pytest.raises(NotFound) as missing:
        micrograd.graph(fold=["encoder"])
    assert missing.value.code == "group_not_found"
    with pytest.raises(Invalid):
        micrograd.graph("jpeg")  # type: ignore[arg-type]
