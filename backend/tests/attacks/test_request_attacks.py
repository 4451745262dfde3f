"""Hostile requests at the server's edge (issue 20: attacks 1, 8, 10 and 12), each replayed
against a real server while the probe times another workspace.

Every attacker gets a 4xx within ``ANSWER_WITHIN_MS`` of its request being complete, the
probe never waits more than ``PROBE_WORST_MS`` (the fixture checks it), and the server's
memory grows by at most twice what it holds plus ``MEMORY_SLACK``.
"""

from __future__ import annotations

import hashlib
import socket
import time

import httpx
import pytest

from backend.tests.attacks.conftest import ANSWER_WITHIN_MS, MEMORY_SLACK, Attacked
from backend.tests.attacks.raw_http import Answer, head, read_answer, send
from backend.workspace import tickets

JSON = {"Content-Type": "application/json"}


def unclosed_escaped_string(size: int) -> bytes:
    """``"`` then ``\\"`` over and over, never closed: a regular expression that matches
    strings tries every quote as a start and scans to the end from each."""
    return b'"' + b'\\"' * (size // 2)


def assert_refused_in_time(answer: Answer, status: int | None = None) -> None:
    assert 400 <= answer.status < 500, answer
    assert status is None or answer.status == status, answer
    assert set(answer.body["error"]) == {"code", "message", "detail"}
    assert answer.wait_ms <= ANSWER_WITHIN_MS, f"answered {answer.wait_ms:.0f} ms after"


WORKSPACE_ROUTE, IMPORT_ROUTE = "/api/workspaces/nobody/variables", "/api/workspaces/import"


@pytest.mark.parametrize(
    ("path", "size"),
    [
        # A workspace's route checks the token before it reads a byte of the body.
        (WORKSPACE_ROUTE, 64 * 1024),
        (WORKSPACE_ROUTE, 4 * 2**20),
        # The import takes anyone's body and reads it whole: checked in linear time, then
        # parsed, on the loop (README: a megabyte of JSON holds it for 40 ms and more).
        (IMPORT_ROUTE, 64 * 1024),
    ],
    ids=["workspace-route-64KB", "workspace-route-4MB", "import-64KB"],
)
def test_an_unclosed_escaped_string_is_refused_at_once_without_a_token(
    attacked: Attacked, path, size
):
    body = unclosed_escaped_string(size)
    with attacked.attack():
        answer = send(attacked.server.port, head("POST", path, len(body), JSON) + body)
    attacked.figures["answer_ms"] = answer.wait_ms
    assert_refused_in_time(answer)


def test_a_body_to_healthz_is_refused_from_its_headers(attacked: Attacked):
    body = unclosed_escaped_string(32 * 1024)
    port = attacked.server.port
    with attacked.attack():
        declared = send(port, head("GET", "/healthz", len(body)) + body)
        chunked = head("GET", "/healthz", None, {"Transfer-Encoding": "chunked"})
        in_chunks = send(port, chunked + b"5\r\nhello\r\n0\r\n\r\n")
    attacked.figures["answer_ms"] = max(declared.wait_ms, in_chunks.wait_ms)
    assert_refused_in_time(declared, 413)
    assert_refused_in_time(in_chunks, 413)
    assert "takes no request body" in declared.body["error"]["message"]
    assert httpx.get(f"{attacked.url}/healthz").status_code == 200


HELD_CAP = 64 * 2**20
TRICKLE_SERVER = {
    "WENGERT_BODY_TIMEOUT_SECONDS": "2",
    "WENGERT_MAX_HELD_BODY_BYTES": str(HELD_CAP),
    # Imports as large as any route's body (16 MiB): the bodies below declare 15 MB.
    "WENGERT_MAX_IMPORT_BYTES": str(16 * 2**20),
}


@pytest.mark.server_env(TRICKLE_SERVER)
def test_bodies_trickled_on_many_connections_are_timed_out_and_capped(attacked: Attacked):
    # 300 connections each declare 15 MB, send 512 KB and then trickle: the first 128 are
    # held up to the server's cap of 64 MiB, the rest refused (429); all answered 408 and
    # closed when the body timeout (2 s) ends.
    port, declared = attacked.server.port, 15 * 2**20
    path = "/api/workspaces/import"
    connections = []
    with attacked.attack() as window:
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(head("POST", path, declared, JSON) + b"[" + b"0," * (256 * 1024))
            connections.append(sock)
        started = time.monotonic()
        answers = [read_answer(sock, started) for sock in connections]
        closed_after = time.monotonic() - started
    for sock in connections:
        sock.close()
    statuses = {answer.status for answer in answers}
    attacked.figures["answer_ms"] = max(answer.wait_ms for answer in answers)
    assert statuses <= {408, 429}, statuses
    assert 429 in statuses and 408 in statuses
    assert closed_after < 2 + 3, f"the last trickling connection was held {closed_after:.1f} s"
    assert window.growth <= 2 * HELD_CAP + MEMORY_SLACK, f"{window.growth / 2**20:.0f} MB"


@pytest.mark.server_env({"WENGERT_CREATE_BURST": "5", "WENGERT_CREATE_PER_MINUTE": "1"})
def test_forged_forwarded_addresses_do_not_escape_the_creation_limit(attacked: Attacked):
    # The probe made one workspace from 127.0.0.1 already: four are left in the burst.
    statuses = []
    with attacked.attack():
        for n in range(40):
            forged = {"X-Forwarded-For": f"10.0.{n // 256}.{n % 256}"}
            answer = httpx.post(f"{attacked.url}/api/workspaces", headers=forged, json={})
            statuses.append(answer.status_code)
    attacked.figures["created"] = statuses.count(201)
    assert statuses.count(201) == 4, statuses
    assert set(statuses) == {201, 429}


def test_a_stream_ticket_signed_by_its_viewer_with_a_far_expiry_is_refused(attacked: Attacked):
    created = httpx.post(f"{attacked.url}/api/workspaces", json={}).json()
    key = hashlib.sha256(created["viewer_token"].encode()).hexdigest()
    # 999,999,999,999 s: the year 33658, the longest expiry a ticket can spell.
    year_33658 = tickets.issue(created["id"], key, 60, now=999_999_999_999 - 60)
    url = f"{attacked.url}/api/workspaces/{created['id']}/events"
    with attacked.attack():
        forged = httpx.get(url, params={"ticket": year_33658}, timeout=5)
    assert forged.status_code == 401, forged.text
    honest = httpx.post(
        f"{url}/ticket", headers={"Authorization": f"Bearer {created['viewer_token']}"}
    )
    assert honest.status_code in (200, 201), honest.text


def unclosed_array_of_numbers(size: int) -> bytes:
    """``[1,1,1,…`` of ``size`` bytes, never closed: a parser reads every number before it
    finds the document unfinished (4 MB held the loop for 0.2 s to 1 s)."""
    return b"[" + b"1," * ((size - 1) // 2)


IMPORT_LIMIT = 2 * 2**20
"""The import's own body limit (``WENGERT_MAX_IMPORT_BYTES``'s default)."""


@pytest.mark.parametrize(
    ("size", "status"),
    [(4 * 2**20, 413), (IMPORT_LIMIT, 422)],
    ids=["4MB-over-the-import-limit", "2MB-at-the-import-limit"],
)
def test_an_unclosed_array_of_numbers_to_import_is_refused_without_stalling_the_loop(
    attacked: Attacked, size, status
):
    body = unclosed_array_of_numbers(size)
    with attacked.attack() as window:
        answer = send(attacked.server.port, head("POST", IMPORT_ROUTE, len(body), JSON) + body)
    attacked.figures["answer_ms"] = answer.wait_ms
    assert_refused_in_time(answer, status)
    if status == 413:  # refused from its headers, saying how to import more
        assert "WENGERT_MAX_IMPORT_BYTES" in answer.body["error"]["message"]
    assert window.growth <= MEMORY_SLACK, f"grew {window.growth / 2**20:.0f} MB"
