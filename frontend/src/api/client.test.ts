import { afterEach, describe, expect, it, vi } from "vitest";
import { getVariableIfChanged, onWorkspace } from "./client";
import { answer, rest } from "./rest";

const ws = { id: "a/b", token: "secret" };

/** Replaces global fetch with one that answers each request with `respond()`. */
function serve(respond: () => Response) {
  const fetchMock = vi.fn(async (_request: Request) => respond());
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

/** The request the stubbed fetch was called with. */
function sent(fetchMock: ReturnType<typeof serve>): Request {
  return fetchMock.mock.calls[0]![0];
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a call on a workspace", () => {
  it("escapes the workspace id in the path and sends its token as a bearer token", async () => {
    const fetchMock = serve(() => Response.json({ state: "unconfigured" }));
    await answer(rest.GET("/api/workspaces/{workspace_id}/training", onWorkspace(ws)));
    const request = sent(fetchMock);
    expect(new URL(request.url).pathname).toBe("/api/workspaces/a%2Fb/training");
    expect(request.headers.get("Authorization")).toBe("Bearer secret");
  });

  it("carries the call's query", async () => {
    const fetchMock = serve(() => Response.json({ resolution: 8 }));
    await answer(rest.GET("/api/workspaces/{workspace_id}/training/boundary", onWorkspace(ws, { resolution: 8 })));
    expect(new URL(sent(fetchMock).url).search).toBe("?resolution=8");
  });
});

describe("variables by version", () => {
  const detail = { name: "W", shape: [2], dtype: "float64", requires_grad: false, value: [1, "inf"], grad: null, created_by: null, consumed_by: [] };

  it("returns the variable, decoded, with the ETag it is at", async () => {
    const fetchMock = serve(() => Response.json(detail, { headers: { ETag: '"v1"' } }));
    await expect(getVariableIfChanged(ws, "W@1", null)).resolves.toEqual({ detail: { ...detail, value: [1, Infinity] }, etag: '"v1"' });
    const request = sent(fetchMock);
    expect(new URL(request.url).pathname).toBe("/api/workspaces/a%2Fb/variables/W%401");
    expect(request.headers.has("If-None-Match")).toBe(false);
  });

  it("sends the ETag held and answers unchanged on a 304", async () => {
    const fetchMock = serve(() => new Response(null, { status: 304, headers: { ETag: '"v1"' } }));
    await expect(getVariableIfChanged(ws, "W", '"v1"')).resolves.toBe("unchanged");
    expect(sent(fetchMock).headers.get("If-None-Match")).toBe('"v1"');
    expect(sent(fetchMock).headers.get("Authorization")).toBe("Bearer secret");
  });

  it("rejects with the server's error for an unknown variable", async () => {
    const envelope = { error: { code: "variable_not_found", message: "no variable named 'W'", detail: null } };
    serve(() => Response.json(envelope, { status: 404 }));
    await expect(getVariableIfChanged(ws, "W", null)).rejects.toMatchObject({ status: 404, code: "variable_not_found" });
  });
});
