"""The harness itself: the probe runs beside a harmless request and measures it."""

import httpx

from backend.tests.attacks.conftest import Attacked


def test_a_harmless_request_is_answered_and_measured(attacked: Attacked):
    with attacked.attack() as window:
        answer = httpx.get(f"{attacked.url}/healthz", timeout=5)
    assert answer.status_code == 200
    assert window.end > window.start
    assert window.growth < 50 * 2**20
