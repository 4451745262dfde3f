"""The client README's micrograd example runs and prints micrograd's numbers."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_example_prints_micrograds_gradients(url: str) -> None:
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert code is not None
    source = code.group(1).replace("http://127.0.0.1:8000", url)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(source, {})
    g, a_grad, b_grad = (float(x) for x in printed.getvalue().split())
    assert (round(g, 4), round(a_grad, 4), round(b_grad, 4)) == (24.7041, 138.8338, 645.5773)
