"""Shared fixtures of the engine tests."""

import pytest

from engine import Context


@pytest.fixture
def ctx() -> Context:
    """A fresh tape for one test."""
    return Context()
