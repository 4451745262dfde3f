"""The micrograd scalar example over Wengert's REST API itself, using only httpx: what
the client (clients/python, used by the other examples) sends for you.

    python examples/raw_http.py [http://127.0.0.1:8000]

Open the printed URL in a browser to watch the graph being built and backpropagated.
"""

import sys

import httpx

SOURCE = """
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
"""


def main(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        workspace = client.post("/api/workspaces").raise_for_status().json()
        print(f"watch it live: {server}{workspace['url']}")
        headers = {"Authorization": f"Bearer {workspace['token']}"}
        base = f"/api/workspaces/{workspace['id']}"
        for name, value in (("a", -4.0), ("b", 2.0)):
            body = {"name": name, "value": value, "requires_grad": True}
            client.post(f"{base}/variables", json=body, headers=headers).raise_for_status()
        client.post(f"{base}/eval", json={"source": SOURCE}, headers=headers).raise_for_status()
        result = client.post(f"{base}/backprop", json={"variable": "g"}, headers=headers)
        gradients = result.raise_for_status().json()["gradients"]
        g = client.get(f"{base}/variables/g", headers=headers).raise_for_status().json()["value"]
        print(f"g = {g:.4f}")
        print(f"a.grad = {gradients['a']:.4f}")
        print(f"b.grad = {gradients['b']:.4f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
