"""The playground's colours, light and dark, as frontend/src/theme.css defines them.

The server does not read the CSS at run time (its image need not hold the frontend's
sources); backend/tests/test_graph_picture.py checks these against theme.css.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ThemeName = Literal["light", "dark"]


@dataclass(frozen=True)
class Theme:
    """The theme.css tokens a picture uses, by their CSS names without ``--``."""

    bg: str
    surface: str
    surface_muted: str
    text: str
    muted: str
    border: str
    accent: str
    accent_soft: str
    danger: str
    danger_soft: str
    warn: str


THEMES: dict[ThemeName, Theme] = {
    "light": Theme(
        bg="#f6f7f9",
        surface="#ffffff",
        surface_muted="#eff1f4",
        text="#1b1d23",
        muted="#5d616d",
        border="#d6d9e0",
        accent="#4f46e5",
        accent_soft="#eceefe",
        danger="#b42318",
        danger_soft="#fdecea",
        warn="#b45309",
    ),
    "dark": Theme(
        bg="#111318",
        surface="#1a1d24",
        surface_muted="#22252d",
        text="#e6e8ee",
        muted="#9ca1ae",
        border="#333743",
        accent="#8f8cff",
        accent_soft="#272a4d",
        danger="#ff9b8f",
        danger_soft="#3a1f1f",
        warn="#fbbf24",
    ),
}
