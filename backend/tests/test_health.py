"""Liveness and readiness answer at once, even while every worker thread is busy."""

import time
from concurrent.futures import ThreadPoolExecutor

BUSY_REQUESTS = 60  # more than the shared thread pool's 40 threads


def test_health_answers_while_the_thread_pool_is_full(client, workspace):
    locked = client.app.state.registry.authorize(workspace.id, workspace.token)[0]
    locked.lock.acquire()  # every state read below now waits in a worker thread
    pool, probe = ThreadPoolExecutor(BUSY_REQUESTS), ThreadPoolExecutor(2)
    try:
        reads = [pool.submit(workspace.get) for _ in range(BUSY_REQUESTS)]
        time.sleep(0.5)  # let the reads take every worker thread
        started = time.monotonic()
        health = probe.submit(client.get, "/healthz").result(timeout=5)
        ready = probe.submit(client.get, "/readyz").result(timeout=5)
        waited = time.monotonic() - started
        assert not any(read.done() for read in reads)
    finally:
        locked.lock.release()
        pool.shutdown()
        probe.shutdown()
    assert (health.status_code, ready.status_code) == (200, 200)
    assert waited < 2, f"health checks waited {waited:.2f} s behind workspace work"
    assert all(read.result().status_code == 200 for read in reads)
