"""GET /api/workspaces/{id}/graph: the graph as SVG, PNG and DOT, read as their readers do."""

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from backend.export.graph_picture.theme import THEMES
from backend.tests.conftest import WorkspaceHandle, assert_error, workspace_with

SVG = "{http://www.w3.org/2000/svg}"
MICROGRAD = """a = -4.0
b = 2.0
c = a + b
d = a * b + b ** 3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + relu(b + a)
d += 3 * d + relu(b - a)
e = c - d
f = e ** 2
g = f / 2.0
g += 10.0 / f
"""
THEME_CSS = Path(__file__).parents[2] / "frontend" / "src" / "theme.css"


def run(workspace: WorkspaceHandle, source: str) -> None:
    response = workspace.post("/eval", {"source": source})
    assert response.status_code == 200, response.text


@pytest.fixture
def micrograd(workspace: WorkspaceHandle) -> WorkspaceHandle:
    """micrograd's example, backpropagated."""
    run(workspace, MICROGRAD)
    assert workspace.post("/backprop", {"variable": "g"}).status_code == 200
    return workspace


def picture(workspace: WorkspaceHandle, query: str = "", token: str | None = None):
    return workspace.get(f"/graph{query}", token=token)


def svg_texts(body: bytes) -> list[str]:
    return [t.text or "" for t in ET.fromstring(body).iter(f"{SVG}text")]


def test_svg_is_standalone_xml_with_every_name_value_and_grad(micrograd: WorkspaceHandle):
    response = picture(micrograd, "?format=svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    texts = svg_texts(response.content)
    for var in micrograd.get().json()["variables"]:
        assert var["name"] in texts
        assert f"value {var['value']}" in texts
        assert f"grad {var['grad']}" in texts
    assert "grad 138.83381924198252" in texts  # micrograd's a.grad, written in full
    assert not list(root.iter(f"{SVG}script"))
    assert not re.search(rb"href=|@import|url\((?!#)", response.content)
    assert root.get("font-family", "").endswith("monospace")


def test_a_tensor_shows_its_shape_and_statistics(workspace: WorkspaceHandle):
    run(workspace, "x = [[1, 2], [3, 6]]\ny = x * 2")
    texts = svg_texts(picture(workspace).content)
    assert "value [2x2] min 2 max 12 mean 6" in texts
    assert "computed · 2x2 · float64" in texts


def test_roles_are_written_on_the_cards(workspace: WorkspaceHandle):
    run(workspace, "w = 1.0\nk = const(2.0)\ny = w * k")
    lines = [t for t in svg_texts(picture(workspace).content) if "·" in t]
    assert [line.split(" · ")[0] for line in lines] == ["param", "const", "computed"]


def test_dot_is_read_by_graphviz(micrograd: WorkspaceHandle):
    response = picture(micrograd, "?format=dot")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/vnd.graphviz")
    drawn = subprocess.run(
        ["dot", "-Tsvg"], input=response.content, capture_output=True, check=True, timeout=60
    )
    titles = [t.text for t in ET.fromstring(drawn.stdout).iter(f"{SVG}title")]
    state = micrograd.get().json()
    expected = {f"var:{v['name']}" for v in state["variables"]}
    expected |= {f"gate:{n['id']}" for n in state["history"]}
    assert expected == {
        t for t in titles if t and t.startswith(("var:", "gate:")) and "->" not in t
    }
    edges = sum(len(n["inputs"]) + len(n["outputs"]) for n in state["history"])
    assert sum(1 for t in titles if t and "->" in t) == edges


def test_png_decodes_at_the_scale_asked(micrograd: WorkspaceHandle):
    one = picture(micrograd, "?format=png")
    two = picture(micrograd, "?format=png&scale=2")
    assert one.headers["content-type"] == "image/png"
    small, large = (Image.open(io.BytesIO(r.content)) for r in (one, two))
    assert small.format == "PNG" and small.width > 300 and small.height > 100
    assert abs(large.width - 2 * small.width) <= 1 and abs(large.height - 2 * small.height) <= 1
    assert small.getpixel((1, 1)) == hex_rgb(THEMES["light"].bg)


def test_dark_theme_draws_with_the_dark_colours(micrograd: WorkspaceHandle):
    light, dark = (picture(micrograd, f"?theme={t}").text for t in ("light", "dark"))
    assert f'fill="{THEMES["dark"].bg}"' in dark and THEMES["light"].bg not in dark
    assert f'fill="{THEMES["light"].bg}"' in light
    png = Image.open(io.BytesIO(picture(micrograd, "?format=png&theme=dark").content))
    assert png.getpixel((1, 1)) == hex_rgb(THEMES["dark"].bg)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_the_colours_are_the_playgrounds(client):
    css = THEME_CSS.read_text()
    light, dark = css.split(':root[data-theme="dark"]')
    for theme, block in ((THEMES["light"], light), (THEMES["dark"], dark)):
        for token, colour in vars(theme).items():
            css_name = "--" + token.replace("_", "-")
            assert re.search(rf"{css_name}:\s*{colour};", block), css_name


def test_the_viewer_token_may_read_it_and_no_token_may_not(micrograd: WorkspaceHandle):
    assert picture(micrograd, token=micrograd.viewer_token).status_code == 200
    response = micrograd.client.get(f"{micrograd.base}/graph")
    assert_error(response, 401, "unauthorized")


def test_include_chooses_what_the_cards_show(micrograd: WorkspaceHandle):
    bare = svg_texts(picture(micrograd, "?include=").content)
    assert not any(t.startswith(("value ", "grad ")) for t in bare) and "g" in bare
    values = svg_texts(picture(micrograd, "?include=values").content)
    assert any(t.startswith("value ") for t in values)
    assert not any(t.startswith("grad ") for t in values)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?format=jpeg", "format"),
        ("?theme=blue", "theme"),
        ("?include=values,weights", "include"),
        ("?scale=0", "scale"),
        ("?scale=9", "scale"),
        ("?depth=-1", "depth"),
        ("?fold=no%20spaces", "fold"),
    ],
)
def test_bad_options_are_a_422_naming_the_option(micrograd, query: str, field: str):
    error = assert_error(picture(micrograd, query), 422, "invalid_request")
    assert field in error["message"]


def test_around_draws_the_neighbourhood(micrograd: WorkspaceHandle):
    def names(depth: int) -> set[str]:
        root = ET.fromstring(picture(micrograd, f"?around=e&depth={depth}").content)
        return {g.get("id") for g in root.iter(f"{SVG}g") if g.get("id").startswith("var:")}

    assert names(0) == {"var:e"}
    assert names(1) == {"var:c", "var:d", "var:e", "var:f"}  # e = c - d, f = e ** 2
    # c = c@2 + add9, d = d@2 + add19, g@1 = f / 2, div24 = 10.0 / f
    added = {"var:c@2", "var:add9", "var:d@2", "var:add19", "var:g@1", "var:div24"}
    assert names(2) == names(1) | added
    error = assert_error(picture(micrograd, "?around=nope"), 404, "variable_not_found")
    assert error["detail"]["field"] == "around"


def test_gates_record_their_group_and_a_folded_group_is_one_card(workspace: WorkspaceHandle):
    run(workspace, "x = const([1.0, 2.0])\nw = [0.5, -1.0]")
    body = {"gate": "mul", "inputs": ["x", "w"], "output": "h", "group": "layer1.lin"}
    assert workspace.post("/gates", body).status_code == 201
    run(workspace, 'with group("layer1"):\n    y = tanh(h)\nloss = sum(y)')
    groups = {n["outputs"][0]: n["group"] for n in workspace.get().json()["history"]}
    assert groups == {"h": "layer1.lin", "y": "layer1", "loss": None}
    folded = ET.fromstring(picture(workspace, "?fold=layer1").content)
    ids = [g.get("id") for g in folded.iter(f"{SVG}g")]
    assert "group:layer1" in ids and "var:loss" in ids
    # The group's gates and what they make are folded, and so is the param w, read only
    # inside it; the input x stays outside.
    assert not {"var:h", "var:y", "var:w", "gate:1", "gate:2"} & set(ids)
    assert "var:x" in ids
    error = assert_error(picture(workspace, "?fold=layer9"), 404, "group_not_found")
    assert "layer1" in error["detail"]["known"]


def test_dot_draws_each_group_as_a_cluster(workspace: WorkspaceHandle):
    run(workspace, 'x = [1.0, 2.0]\nwith group("enc"):\n    y = tanh(x)\nz = sum(y)')
    dot = picture(workspace, "?format=dot").text
    assert re.search(r'subgraph cluster_\d+ \{\n    label="enc";', dot)


def test_an_anomaly_is_outlined_in_the_danger_colour(workspace: WorkspaceHandle):
    run(workspace, "x = [0.0, 1.0]")
    body = {"gate": "log", "inputs": ["x"], "output": "y", "allow_nonfinite": True}
    assert workspace.post("/gates", body).status_code == 201
    root = ET.fromstring(picture(workspace).content)
    outlined = {
        g.get("id")
        for g in root.iter(f"{SVG}g")
        if g.find(f"{SVG}rect").get("stroke") == THEMES["light"].danger
    }
    assert outlined == {"gate:1", "var:y"}


def test_a_png_too_large_is_refused_before_it_is_drawn(tmp_path: Path):
    with workspace_with(tmp_path) as workspace:
        run(workspace, "\n".join(f"a{i} = {i}.0" for i in range(80)))
        error = assert_error(picture(workspace, "?format=png&scale=8"), 413, "picture_too_large")
        assert error["detail"]["limit"] == 50_000_000
        assert picture(workspace, "?format=png&scale=1").status_code == 200
