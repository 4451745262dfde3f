"""Script a Wengert server like a library.

ws = Workspace.create("http://127.0.0.1:8000")
a = ws.variable("a", -4.0, requires_grad=True)
"""

from wengert_client.aio import AsyncVariable, AsyncWorkspace
from wengert_client.errors import (
    Conflict,
    Forbidden,
    Invalid,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    ServerError,
    StaleTape,
    TooLarge,
    Unauthorized,
    WengertError,
)
from wengert_client.events import Event
from wengert_client.picture import GraphPicture
from wengert_client.torch_compare import TorchComparison
from wengert_client.tracing import UnsupportedOperation
from wengert_client.variable import Variable
from wengert_client.workspace import Workspace

__all__ = [
    "AsyncVariable",
    "AsyncWorkspace",
    "Conflict",
    "Event",
    "Forbidden",
    "GraphPicture",
    "Invalid",
    "MethodNotAllowed",
    "NotFound",
    "RateLimited",
    "ServerError",
    "StaleTape",
    "TooLarge",
    "TorchComparison",
    "Unauthorized",
    "UnsupportedOperation",
    "Variable",
    "WengertError",
    "Workspace",
]
