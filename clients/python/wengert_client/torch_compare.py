"""Running the server's PyTorch script of a workspace, which compares the gradients."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TorchComparison:
    """The script's verdict: ``passed`` when every leaf's gradient matched within 1e-6,
    and what it printed (each leaf's gradient beside the workspace's)."""

    passed: bool
    output: str

    def __bool__(self) -> bool:
        return self.passed


def run(script: str, timeout: float = 300.0) -> TorchComparison:
    """Run ``script`` with this Python; raises RuntimeError when torch is not importable."""
    if importlib.util.find_spec("torch") is None:
        raise RuntimeError("PyTorch is not installed here: pip install torch")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "compare_with_torch.py"
        path.write_text(script)
        done = subprocess.run(
            [sys.executable, str(path)], capture_output=True, text=True, timeout=timeout
        )
    return TorchComparison(done.returncode == 0, done.stdout + done.stderr)
