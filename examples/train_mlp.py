"""Train a small MLP by repeated eval / backprop / optimizer-step calls, using only httpx.

    python examples/train_mlp.py [http://127.0.0.1:8000] [steps]

Learns y = sin(x) on 32 points with a 1-16-1 tanh network and Adam, printing the loss.
Open the printed URL to watch the tape fill and empty at every step.
"""

import math
import sys

import httpx

FORWARD = "h = tanh(X @ W1 + b1)\nout = h @ W2 + b2\nloss = mse_loss(out, Y)"
PARAMS = ["W1", "b1", "W2", "b2"]


class Workspace:
    """A workspace on the server, addressed with its token."""

    def __init__(self, client: httpx.Client) -> None:
        created = client.post("/api/workspaces").raise_for_status().json()
        self.client = client
        self.url = created["url"]
        self.base = f"/api/workspaces/{created['id']}"
        self.headers = {"Authorization": f"Bearer {created['token']}"}

    def post(self, path: str, body: dict) -> dict:
        response = self.client.post(self.base + path, json=body, headers=self.headers)
        return response.raise_for_status().json()

    def value(self, name: str) -> float:
        path = f"{self.base}/variables/{name}"
        return self.client.get(path, headers=self.headers).raise_for_status().json()["value"]


def create_data_and_parameters(ws: Workspace) -> None:
    xs = [[-3.0 + 6.0 * i / 31] for i in range(32)]
    ws.post("/variables", {"name": "X", "value": xs})
    ws.post("/variables", {"name": "Y", "value": [[math.sin(x[0])] for x in xs]})
    shapes = {"W1": [1, 16], "b1": [1, 16], "W2": [16, 1], "b2": [1, 1]}
    for seed, (name, shape) in enumerate(shapes.items()):
        kind = "randn" if name.startswith("W") else "zeros"
        init = {"kind": kind, "shape": shape, "seed": seed}
        ws.post("/variables", {"name": name, "init": init, "requires_grad": True})


def main(server: str, steps: int) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        ws = Workspace(client)
        print(f"watch it live: {server}{ws.url}")
        create_data_and_parameters(ws)
        for step in range(1, steps + 1):
            ws.post("/zero_grad", {"variables": PARAMS})
            ws.post("/eval", {"source": FORWARD})
            ws.post("/backprop", {"variable": "loss"})
            ws.post("/optimizer/step", {"optimizer": "adam", "lr": 0.05, "params": PARAMS})
            if step == 1 or step % 20 == 0:
                print(f"step {step:4d}  loss {ws.value('loss'):.5f}")


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    main(url, int(sys.argv[2]) if len(sys.argv) > 2 else 200)
