"""Train a small MLP by repeated eval / backprop / optimizer-step calls with the client.

    python examples/train_mlp.py [http://127.0.0.1:8000] [steps]

Learns y = sin(x) on 32 points with a 1-16-1 tanh network and Adam, printing the loss.
Open the printed URL to watch the tape fill and empty at every step.
"""

import sys

import numpy as np
from wengert_client import Workspace

FORWARD = "h = tanh(X @ W1 + b1)\nout = h @ W2 + b2\nloss = mse_loss(out, Y)"


def main(server: str, steps: int) -> None:
    with Workspace.create(server) as ws:
        print(f"watch it live: {ws.url}")
        xs = np.linspace(-3.0, 3.0, 32).reshape(32, 1)
        ws.variable("X", xs)
        ws.variable("Y", np.sin(xs))
        params = [
            ws.variable(
                "W1", init={"kind": "randn", "shape": [1, 16], "seed": 0}, requires_grad=True
            ),
            ws.variable("b1", init={"kind": "zeros", "shape": [1, 16]}, requires_grad=True),
            ws.variable(
                "W2", init={"kind": "randn", "shape": [16, 1], "seed": 2}, requires_grad=True
            ),
            ws.variable("b2", init={"kind": "zeros", "shape": [1, 1]}, requires_grad=True),
        ]
        for step in range(1, steps + 1):
            ws.zero_grad(params)
            loss = ws.eval(FORWARD)["loss"]
            loss.backprop()
            ws.optimizer_step("adam", 0.05, params)
            if step == 1 or step % 20 == 0:
                print(f"step {step:4d}  loss {float(loss.value):.5f}")


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    main(url, int(sys.argv[2]) if len(sys.argv) > 2 else 200)
