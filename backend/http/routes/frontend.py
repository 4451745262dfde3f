"""The built frontend: static files, and index.html for every client-side route."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from backend.http.errors import ApiError

NOT_BUILT = (
    "<!doctype html><title>Wengert</title><h1>The frontend is not built</h1>"
    "<p>Run <code>make run</code>, which builds it, or <code>npm run build</code> in frontend/.</p>"
)


def frontend_router(dist: Path) -> APIRouter:
    """Serve files of ``dist``, falling back to index.html so /w/{id} deep links load the app."""
    router = APIRouter(include_in_schema=False)
    root = dist.resolve()

    @router.get("/{path:path}", response_model=None)
    def serve(path: str) -> FileResponse | HTMLResponse:
        if path.startswith("api/"):
            raise ApiError(404, "not_found", f"no route /{path}")
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        static = _file_under(root, path)
        if static is not None:
            return FileResponse(static)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return router


def _file_under(root: Path, path: str) -> Path | None:
    """The file ``path`` names inside ``root``, or None for anything else: a folder, a path
    out of ``root``, or one no file can have (a NUL byte, a name too long for the system)."""
    if not path:
        return None
    try:
        candidate = (root / path).resolve()
        found = candidate.is_file()
    except (ValueError, OSError):
        return None
    return candidate if found and candidate.is_relative_to(root) else None
