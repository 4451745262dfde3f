"""A body sent to a workspace's route without its token is refused before it is read."""

from backend.tests.conftest import assert_error
from backend.tests.test_json_depth import nested

DEEP = f'{{"name": "d", "value": {nested(900)}}}'


def test_a_body_without_the_token_is_401_before_it_is_read(client, workspace):
    url = f"/api/workspaces/{workspace.id}/variables"
    headers = {"Content-Type": "application/json"}
    # Nested 900 deep: had the body been read, the answer would be 422 too_deeply_nested.
    assert_error(client.post(url, content=DEEP, headers=headers), 401, "unauthorized")
    wrong = {**headers, "Authorization": "Bearer not-the-token"}
    assert_error(client.post(url, content=DEEP, headers=wrong), 401, "unauthorized")


def test_a_body_to_a_workspace_that_does_not_exist_is_404_unread(client):
    url = "/api/workspaces/nobody/variables"
    headers = {"Content-Type": "application/json", "Authorization": "Bearer anything"}
    assert_error(client.post(url, content=DEEP, headers=headers), 404, "workspace_not_found")


def test_with_its_token_the_body_is_read_and_checked(workspace):
    assert_error(workspace.send_json_text("post", "/variables", DEEP), 422, "too_deeply_nested")


def test_a_viewer_token_is_let_through_for_the_route_to_refuse(client, workspace):
    url = f"/api/workspaces/{workspace.id}/variables"
    headers = {"Authorization": f"Bearer {workspace.viewer_token}"}
    response = client.post(url, json={"name": "v", "value": [1.0]}, headers=headers)
    assert_error(response, 403, "read_only")
