"""The event stream opened with a short-lived ticket; no token ever appears in a URL or log."""

import httpx

from e2e.api_client import ApiClient


def ticket_for(api: ApiClient, token: str) -> str:
    response = api.client.post(
        f"/api/workspaces/{api.id}/events/ticket", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["expires_in"] == 60
    return response.json()["ticket"]


def first_event(url: str, workspace_id: str, query: str) -> dict | int:
    """The first event of a stream opened with ``query``, or the status it was refused with."""
    path = f"{url}/api/workspaces/{workspace_id}/events?{query}"
    with httpx.stream("GET", path, headers={"Last-Event-ID": "0"}, timeout=10) as response:
        if response.status_code != 200:
            response.read()
            return response.status_code
        for line in response.iter_lines():
            if line.startswith("event: "):
                return {"type": line.removeprefix("event: ")}
    raise AssertionError("the stream ended without an event")


def test_a_ticket_opens_the_stream_of_its_own_workspace_only(live_server):
    api, other = ApiClient.create(live_server), ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 1.0})
    ticket = ticket_for(api, api.viewer_token)
    assert first_event(live_server, api.id, f"ticket={ticket}") == {"type": "variable_created"}
    assert first_event(live_server, other.id, f"ticket={ticket}") == 401
    assert first_event(live_server, api.id, "ticket=123.forged") == 401


def test_the_stream_no_longer_takes_a_token_in_its_url(live_server):
    api = ApiClient.create(live_server)
    assert first_event(live_server, api.id, f"token={api.token}") == 401


def test_the_access_log_never_shows_a_token_or_ticket(fresh_server):
    fresh_server.start()
    api = ApiClient.create(fresh_server.url)
    api.post("/variables", {"name": "a", "value": 1.0})
    ticket = ticket_for(api, api.token)
    first_event(fresh_server.url, api.id, f"ticket={ticket}")
    first_event(fresh_server.url, api.id, f"token={api.token}")  # a careless client
    fresh_server.stop()

    log = fresh_server.log.read_text()
    assert "/events?ticket=***" in log  # the access log is on, and masks
    for secret in (api.token, api.viewer_token, ticket, ticket.partition(".")[2]):
        assert secret not in log
