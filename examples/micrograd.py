"""The micrograd scalar example with the Python client: remote variables, local syntax.

    python examples/micrograd.py [http://127.0.0.1:8000]

Each operator applies a gate on the server. Open the printed URL in a browser to watch the
graph being built and backpropagated. (examples/raw_http.py does the same with bare HTTP.)
"""

import sys

from wengert_client import Workspace


def main(server: str) -> None:
    with Workspace.create(server) as ws:
        print(f"watch it live: {ws.url}")
        a = ws.variable("a", -4.0, requires_grad=True)
        b = ws.variable("b", 2.0, requires_grad=True)
        c = a + b
        d = a * b + b**3
        c = c + c + 1
        c = c + 1 + c + (-a)
        d = d + d * 2 + (b + a).relu()
        d = d + 3 * d + (b - a).relu()
        e = c - d
        f = e**2
        g = f / 2.0
        g = g + 10.0 / f
        g.backprop()
        print(f"g = {float(g.value):.4f}")
        print(f"a.grad = {float(a.grad):.4f}")
        print(f"b.grad = {float(b.grad):.4f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
