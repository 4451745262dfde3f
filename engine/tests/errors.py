"""Checking an error's whole message: users read these words, so a test pins all of them."""

import re
from typing import Any

import pytest


def raises_exactly(error: type[BaseException], message: str) -> Any:
    """``pytest.raises(error)`` that also wants the message to be ``message``, word for word."""
    return pytest.raises(error, match=f"^{re.escape(message)}$")
