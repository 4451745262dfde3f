"""The REST benchmark's ceiling: a bare FastAPI route served by the same uvicorn.

It validates a body against the server's own gate-application model and answers a small
JSON object: no workspace, no engine, no journal. What the gate route costs beyond it is the
server's own work. Mirrors the routes `bench/api_bench.py` drives (creating a workspace and
a variable answer fixed objects).

    python bench/bare_app.py --port P
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backend.http.header_timeout import header_timeout_protocol
from backend.schemas import GateApply
from backend.settings import Settings

app = FastAPI()


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    """Ready as soon as it serves."""
    return {"status": "ok"}


@app.post("/api/workspaces", status_code=201)
async def create_workspace() -> dict[str, str]:
    """A fixed workspace: the bench only needs an id and a token."""
    return {"id": "bare", "token": "bare-token"}


@app.post("/api/workspaces/{workspace_id}/variables", status_code=201)
async def create_variable(workspace_id: str, body: dict[str, Any]) -> dict[str, str]:
    """Takes any variable and keeps nothing."""
    return {"name": str(body.get("name", "x"))}


@app.post("/api/workspaces/{workspace_id}/gates", status_code=201)
async def apply_gate(workspace_id: str, body: GateApply) -> dict[str, Any]:
    """Validates a gate application and answers what the real route's answer begins with."""
    return {"name": "mul1", "shape": [4], "node": 1}


def main() -> None:
    """Serve on 127.0.0.1 at ``--port`` with the server's uvicorn protocol."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    protocol = header_timeout_protocol(Settings().header_timeout_seconds)
    uvicorn.run(
        app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False, http=protocol
    )


if __name__ == "__main__":
    main()
