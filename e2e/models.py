"""Models traced into workspaces with the Python client's ``ws.trace_torch``, for page tests."""

import torch
from torch import nn
from wengert_client import Workspace


class SmallCNN(nn.Module):
    """Two convolutions, a pool and a linear head: modules nested one level (features.0 …)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 3)
        )
        self.flatten, self.head = nn.Flatten(), nn.Linear(6 * 2 * 2, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.flatten(torch.tanh(self.features(x))))


def traced_cnn(server: str) -> tuple[Workspace, str]:
    """A workspace holding the CNN traced on one 8 x 8 image and its loss; the loss's name."""
    torch.manual_seed(0)
    ws = Workspace.create(server)
    out = ws.trace_torch(SmallCNN(), torch.randn(1, 1, 8, 8))
    loss = (out * out).sum()
    return ws, loss.name
