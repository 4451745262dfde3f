"""The training pool: worker processes that own the running runs.

Each worker is a spawned process (the server has threads: forking one would copy held
locks) with a duplex pipe; a thread of the request process reads each pipe and hands every
progress to the run's ``RunLink``. A worker that dies is started again and the links of its
runs are told they were lost, so their followers hand them to a worker again from the
replica (see ``remote.py``). The workers start with the first run, not with the server.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from backend.training.commands import Begin, Progress
from backend.training.worker import STOP, serve

logger = logging.getLogger(__name__)

_context = multiprocessing.get_context("spawn")
JOIN_SECONDS = 5.0
"""How long a closing pool waits for a worker to exit before killing it."""


class RunLink:
    """One run handed to a worker: commands go out through it, progress comes back.

    Progress that arrives before its follower reads it is merged, so nothing kept in the
    timeline is missed; ``lost`` says the worker died with the run.
    """

    def __init__(self, key: int, worker: _Worker) -> None:
        self.key = key
        self.worker = worker
        self.lost = False
        self.final = False
        self._progress: Progress | None = None
        self._changed = threading.Condition()

    def send(self, command: Any) -> None:
        """Send a command about this run (an unanswered one while the worker restarts)."""
        self.worker.send(command)

    def deliver(self, progress: Progress) -> None:
        """Keep a progress from the worker for the follower (the reader thread calls this)."""
        with self._changed:
            self._progress = progress.merged_after(self._progress)
            self.final = self.final or progress.final
            self._changed.notify_all()

    def lose(self) -> None:
        """The worker died holding this run."""
        with self._changed:
            self.lost = True
            self._changed.notify_all()

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for progress, the run's end or its loss."""
        with self._changed:
            self._changed.wait_for(lambda: self._progress or self.final or self.lost, timeout)

    def take(self) -> Progress | None:
        """The progress received since the last take (merged), or None."""
        with self._changed:
            progress, self._progress = self._progress, None
            return progress

    def wait_final(self, timeout: float) -> bool:
        """Wait until the run's final progress arrived or the run was lost; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self.final or self.lost, timeout)


class _Worker:
    """One worker process, its pipe, the thread reading it, and the runs it holds."""

    def __init__(self, pool: TrainingPool, number: int) -> None:
        self.pool = pool
        self.number = number
        self.links: dict[int, RunLink] = {}
        self._send_lock = threading.Lock()
        self.process: BaseProcess
        self.connection: Connection
        self._launch()

    def _launch(self) -> None:
        ours, theirs = _context.Pipe()
        self.process = _context.Process(
            target=serve, args=(theirs,), name=f"wengert-training-{self.number}", daemon=True
        )
        self.process.start()
        theirs.close()  # the worker holds it now; ours then sees EOF when the worker dies
        self.connection = ours
        threading.Thread(
            target=self._read, args=(ours,), name=f"training-pool-{self.number}", daemon=True
        ).start()

    def send(self, command: Any) -> None:
        # A worker that died takes the command with it: the reader restarts the worker
        # and the run begins again from the replica.
        with self._send_lock, contextlib.suppress(OSError):
            self.connection.send(command)

    def _read(self, connection: Connection) -> None:
        while True:
            try:
                progress: Progress = connection.recv()
            except (EOFError, OSError):
                break
            link = self.links.get(progress.key)
            if link is not None:
                if progress.final:
                    self.links.pop(progress.key, None)
                link.deliver(progress)
        connection.close()
        self._restart()

    def _restart(self) -> None:
        if self.pool.closed:
            return
        logger.warning(
            "training worker %s (pid %s) died with exit code %s; starting it again",
            self.number,
            self.process.pid,
            self.process.exitcode,
        )
        self.process.join(JOIN_SECONDS)
        with self.pool.lock, self._send_lock:
            if self.pool.closed:
                return  # closed meanwhile: a worker started now would outlive the server
            self._launch()
            lost, self.links = list(self.links.values()), {}
        for link in lost:
            link.lose()

    def stop(self) -> None:
        self.send(STOP)
        self.process.join(JOIN_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(JOIN_SECONDS)


class TrainingPool:
    """``size`` worker processes; a run begins on the one holding the fewest runs."""

    def __init__(self, size: int) -> None:
        assert size >= 1, "an in-process setup has no pool"
        self.size = size
        self.closed = False
        self._workers: list[_Worker] = []
        self._keys = itertools.count(1)
        self.lock = threading.Lock()

    def begin(self, begin: Begin) -> RunLink:
        """Hand a run to a worker; ``begin.key`` is set here. Its link follows it."""
        with self.lock:
            if self.closed:
                raise RuntimeError("the training pool is closed")
            if not self._workers:
                self._workers = [_Worker(self, number) for number in range(1, self.size + 1)]
            worker = min(self._workers, key=lambda w: len(w.links))
            begin.key = next(self._keys)
            link = RunLink(begin.key, worker)
            worker.links[begin.key] = link
            # Sent under the lock: a restart then either loses the link or never sees it.
            worker.send(begin)
        return link

    def worker_pids(self) -> list[int]:
        """The process ids of the workers running now (none before the first run)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def close(self) -> None:
        """Stop every worker (killing one that does not exit in time); runs stop unsaved,
        as in any shutdown: the store holds their last checkpoint."""
        with self.lock:
            self.closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()


def pool_of(size: int) -> TrainingPool | None:
    """A pool of ``size`` workers; None for 0 (runs train in threads of this process)."""
    return TrainingPool(size) if size else None


def close_pool(pool: TrainingPool | None) -> None:
    """Stop the pool's workers, if there is a pool."""
    if pool is not None:
        pool.close()
