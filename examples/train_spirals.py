"""Train an MLP on the spirals dataset on the server and print the final test accuracy.

    python examples/train_spirals.py [http://127.0.0.1:8000]

Uses the client's training job. Open the printed URL to watch the weights and the tape
while it trains.
"""

import sys
import time

from wengert_client import Workspace

CONFIG = {
    "dataset": {"kind": "spirals", "n": 600, "noise": 0.05, "seed": 1, "test_fraction": 0.25},
    "model": {"hidden": [32, 32], "activation": "tanh", "features": ["x", "y", "sin_x", "sin_y"]},
    "loss": "softmax_cross_entropy",
    "optimizer": {"kind": "adam", "lr": 0.02},
    "batch_size": 32,
    "epochs": 300,
}


def main(server: str) -> None:
    with Workspace.create(server) as ws:
        print(f"watch it live: {ws.url}")
        ws.training.configure(CONFIG)
        ws.training.start()
        while (status := ws.training.status())["state"] == "running":
            time.sleep(0.5)
        metrics = status["metrics"]
        print(f"epochs: {status['epoch']}, train loss: {metrics['train_loss']:.4f}")
        print(f"test accuracy: {metrics['test_accuracy']:.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
