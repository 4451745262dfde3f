"""The built frontend: its files, index.html for client routes, and paths no file can have."""

import pytest

from backend.tests.conftest import ASSET_JS, INDEX_HTML, assert_error


def test_a_static_file_is_served_as_it_is(built_client):
    response = built_client.get("/assets/app.js")
    assert response.status_code == 200
    assert response.text == ASSET_JS


def test_a_client_route_gets_index_html(built_client):
    response = built_client.get("/w/abc")
    assert response.status_code == 200
    assert response.text == INDEX_HTML


@pytest.mark.parametrize(
    "path",
    ["/%00abc", "/assets/app.js%00", "/" + "a" * 5000, "/assets/" + "b/" * 3000 + "c.js"],
    ids=["NUL", "NUL after a file's name", "5,000 characters", "6,000 characters of folders"],
)
def test_a_path_no_file_can_have_gets_index_html_not_a_500(built_client, path):
    response = built_client.get(path)
    assert response.status_code == 200
    assert response.text == INDEX_HTML


def test_an_api_path_holding_nul_is_a_404_in_json(built_client):
    assert_error(built_client.get("/api/%00abc"), 404, "not_found")
