"""Every setting, limit and path of the server in one place, read from WENGERT_* variables."""

import os
import sys
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Server settings; each field can be set as an environment variable ``WENGERT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="WENGERT_")

    host: str = Field("127.0.0.1", description="Interface to listen on.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port to listen on.")
    data_dir: Path = Field(Path("./data"), description="Directory for the SQLite store.")
    database_url: str | None = Field(
        None,
        pattern=r"^postgres(ql)?://",
        description="A postgresql:// URL: keep workspaces in PostgreSQL, shared by several "
        "server processes; unset, they are kept in SQLite in the data directory.",
    )
    lease_seconds: float = Field(
        10.0,
        gt=0,
        description="With PostgreSQL: how long a process's hold on a workspace "
        "lasts unless renewed, so how soon another takes over when it dies.",
    )
    lease_renew_seconds: float = Field(
        3.0, gt=0, description="With PostgreSQL: how often a process renews its holds."
    )
    lease_idle_seconds: float = Field(
        60.0,
        gt=0,
        description="With PostgreSQL: give up the hold on a workspace unused this "
        "long, so the process a proxy now sends it to can take it.",
    )
    frontend_dist: Path = Field(
        REPO_ROOT / "frontend" / "dist", description="The built frontend served at /."
    )
    access_log: bool = Field(True, description="Log every request (uvicorn's access log).")
    max_tensor_elements: int = Field(1_000_000, ge=1, description="Largest tensor, in elements.")
    max_variables: int = Field(10_000, ge=1, description="Most variables in one workspace.")
    max_tape_length: int = Field(10_000, ge=1, description="Most nodes on one workspace's tape.")
    max_request_bytes: int = Field(16 * 1024 * 1024, ge=1024, description="Largest request body.")
    max_workspace_bytes: int = Field(
        256 * 2**20,
        ge=2**20,
        description="Memory one workspace may hold: values, grads, the tape, optimizer state.",
    )
    max_server_bytes: int = Field(
        4 * 2**30, ge=2**20, description="Memory all workspaces together may hold."
    )
    training_slots: int = Field(
        2,
        ge=1,
        description="Training runs that take a step at the same time, server-wide, when they "
        "run in the server's own process (training_workers 0).",
    )
    training_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=0,
        description="Worker processes that train the running runs (default: one a core); 0 "
        "trains them in threads of the server's process, sharing its interpreter lock.",
    )
    max_gate_request_bytes: int = Field(
        1024 * 1024, ge=1024, description="Largest body of a gate application (POST …/gates)."
    )
    max_import_bytes: int = Field(
        2 * 1024 * 1024,
        ge=1024,
        description="Largest body of an import (POST /api/workspaces/import), which anyone may "
        "send: it is parsed on the event loop, about 50 ms a MiB, so a larger one is refused "
        "with 413 from its headers. Raise it on a server you run to import larger workspaces.",
    )
    max_workspaces: int = Field(1_000, ge=1, description="Most workspaces the server keeps.")
    timeline_bytes: int = Field(
        4 * 2**20,
        ge=2**16,
        description="Bytes one training run's timeline (its kept steps' weights, gradients "
        "and optimizer state) may take; past it, the kept steps thin out.",
    )
    training_runs_kept: int = Field(
        4, ge=1, le=64, description="Runs of one training setup kept (the current and forks)."
    )
    max_gradcheck_elements: int = Field(
        20_000, ge=1, description="Most input elements one gradcheck may perturb."
    )
    create_burst: int = Field(
        30, ge=1, description="Workspaces one client address may create at once."
    )
    create_per_minute: float = Field(
        30.0, ge=0, description="Workspaces one client address may create per minute after that."
    )
    trust_forwarded_for: bool = Field(
        False,
        description="Behind a reverse proxy: take the client address from the last entry of "
        "X-Forwarded-For (the address the proxy saw). Leave off when clients connect directly, "
        "or they could pick any address.",
    )
    max_queued_requests: int = Field(
        64, ge=1, description="Requests one workspace may have waiting; beyond, 429."
    )
    heavy_slots: int = Field(
        2, ge=1, description="Heavy jobs (gradcheck, exports, training steps) run at once."
    )
    max_queued_heavy_jobs: int = Field(
        32, ge=1, description="Heavy jobs that may wait for a slot server-wide; beyond, 429."
    )
    stream_ticket_seconds: int = Field(
        60, ge=5, le=3600, description="How long an event-stream ticket stays valid."
    )
    idle_expiry_seconds: int = Field(
        30 * 24 * 3600, ge=0, description="Delete workspaces unchanged this long; 0 keeps them."
    )
    expiry_check_seconds: float = Field(
        300, gt=0, description="How often to look for idle workspaces to delete."
    )
    header_timeout_seconds: float = Field(
        10.0, gt=0, description="Close a connection whose request headers take longer."
    )
    frame_ancestors: str | None = Field(
        None,
        pattern=r"^[^;,\r\n]+$",
        description="Sites that may show the app in a frame, as Content-Security-Policy "
        "frame-ancestors sources (`https://notebooks.example.org`, or `*` for any); unset, "
        "none may (and X-Frame-Options is DENY).",
    )
    snapshot_every_operations: int = Field(
        1_000, ge=1, description="Snapshot a workspace after this many journaled operations."
    )
    snapshot_every_bytes: int = Field(
        8 * 1024 * 1024,
        ge=1024,
        description="Snapshot a workspace once its operations since the last one reach this size.",
    )
    max_stream_queue_bytes: int = Field(
        4 * 1024 * 1024,
        ge=64 * 1024,
        description="Events waiting to be sent to one event stream, in bytes; a stream that "
        "falls further behind is ended (it reconnects with Last-Event-ID and catches up).",
    )
    max_streams_per_workspace: int = Field(
        32, ge=1, description="Event streams open on one workspace; beyond, 429."
    )
    max_streams: int = Field(512, ge=1, description="Event streams open server-wide; beyond, 429.")
    heavy_work_seconds: float = Field(
        30.0,
        gt=0,
        description="Time budget of one gradcheck, export or large gate; past it, 413 "
        "work_too_long.",
    )
    state_tensor_elements: int = Field(
        4096,
        ge=1,
        description="A workspace's state shows a tensor of more elements as a preview "
        "(statistics), as events do; GET the variable for every element.",
    )
    # Hostile requests (issue 20): how long a body may take, and what bodies may hold.
    body_timeout_seconds: float = Field(
        30.0,
        gt=0,
        description="Answer 408 and close a connection whose request body takes longer to "
        "arrive, counted from the end of its headers.",
    )
    max_held_body_bytes: int = Field(
        256 * 2**20,
        ge=2**20,
        description="Request bodies the server holds at once, all requests together; a body "
        "that would pass it is refused with 429.",
    )

    def without_request_limits(self) -> "Settings":
        """These settings with no limit on what a workspace may hold: limits apply to
        requests, so a workspace stored under higher ones still loads."""
        unlimited = {field: sys.maxsize for field in REQUEST_LIMITS}
        return self.model_copy(update=unlimited)


REQUEST_LIMITS = ("max_tensor_elements", "max_variables", "max_tape_length")
"""The limits on what one workspace holds, which a stored workspace may exceed."""


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own Settings and pass them to create_app)."""
    return Settings()
