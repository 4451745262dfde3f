"""Wengert's REST backend: FastAPI routes over the engine, with live events and persistence."""
