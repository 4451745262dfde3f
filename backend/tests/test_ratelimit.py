"""Anonymous workspace creation is rate limited per client address."""

import pytest
from fastapi.testclient import TestClient

from backend.errors import Refused
from backend.http.app import create_app
from backend.http.errors import headers_of, status_of
from backend.http.ratelimit import MAX_ADDRESSES, CreationLimit
from backend.settings import Settings


class FakeClock:
    """A clock the test moves by hand, so refills need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_may_create_its_burst_then_waits_for_the_refill():
    clock = FakeClock()
    limit = CreationLimit(burst=3, per_minute=6, clock=clock)
    for _ in range(3):
        limit.take("10.0.0.1")
    with pytest.raises(Refused) as refused:
        limit.take("10.0.0.1")
    assert status_of(refused.value) == 429
    assert headers_of(refused.value) == {"Retry-After": "10"}  # 6 a minute: one every 10 s
    clock.now += 9.9
    with pytest.raises(Refused):
        limit.take("10.0.0.1")
    clock.now += 0.2
    limit.take("10.0.0.1")


def test_addresses_have_buckets_of_their_own():
    limit = CreationLimit(burst=1, per_minute=1, clock=FakeClock())
    limit.take("10.0.0.1")
    limit.take("10.0.0.2")
    with pytest.raises(Refused):
        limit.take("10.0.0.1")


def test_a_bucket_never_holds_more_than_the_burst():
    clock = FakeClock()
    limit = CreationLimit(burst=2, per_minute=60, clock=clock)
    clock.now += 3600
    limit.take("a")
    limit.take("a")
    with pytest.raises(Refused):
        limit.take("a")


def test_memory_stays_bounded_however_many_addresses_come():
    limit = CreationLimit(burst=1, per_minute=1, clock=FakeClock())
    for n in range(MAX_ADDRESSES + 50):
        limit.take(f"addr{n}")
    assert len(limit._buckets) == MAX_ADDRESSES


def client_for(tmp_path, **overrides) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path / "data", **overrides)))


def test_creating_too_fast_gets_429_with_retry_after_and_creates_nothing(tmp_path):
    with client_for(tmp_path, create_burst=2, create_per_minute=1) as client:
        assert client.post("/api/workspaces").status_code == 201
        assert client.post("/api/workspaces").status_code == 201
        refused = client.post("/api/workspaces")
        imported = client.post("/api/workspaces/import", json={"operations": []})
        registry = client.app.state.registry
        assert registry.store.count_workspaces() == 2
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert imported.status_code == 429


def test_forwarded_for_is_ignored_unless_trusted(tmp_path):
    with client_for(tmp_path, create_burst=1, create_per_minute=1) as client:
        assert client.post("/api/workspaces", headers={"X-Forwarded-For": "1.1.1.1"}).is_success
        second = client.post("/api/workspaces", headers={"X-Forwarded-For": "2.2.2.2"})
    assert second.status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_bucket(tmp_path):
    settings = {"create_burst": 1, "create_per_minute": 1, "trust_forwarded_for": True}
    with client_for(tmp_path, **settings) as client:
        first = client.post("/api/workspaces", headers={"X-Forwarded-For": "9.9.9.9, 1.1.1.1"})
        other = client.post("/api/workspaces", headers={"X-Forwarded-For": "9.9.9.9, 2.2.2.2"})
        again = client.post("/api/workspaces", headers={"X-Forwarded-For": "2.2.2.2"})
    assert (first.status_code, other.status_code, again.status_code) == (201, 201, 429)
