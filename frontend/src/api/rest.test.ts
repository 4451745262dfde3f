import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./errors";
import { answer, bearer, rest } from "./rest";

/** Replaces global fetch with one that answers `status` and the JSON of `body`. */
function serve(status: number, body: unknown) {
  const fetchMock = vi.fn(async (_request: Request) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("rest", () => {
  it("sends the path, the token and decodes spelled numbers beneath tensor fields", async () => {
    const fetchMock = serve(200, { name: "x", value: ["nan", 1], grad: null, shape: [2] });
    const got = await answer(
      rest.GET("/api/workspaces/{workspace_id}/variables/{name}", {
        params: { path: { workspace_id: "ab c", name: "x" } },
        headers: bearer("secret"),
        fetch: fetchMock,
      }),
    );
    const request = fetchMock.mock.calls[0]![0];
    expect(new URL(request.url).pathname).toBe("/api/workspaces/ab%20c/variables/x");
    expect(request.headers.get("Authorization")).toBe("Bearer secret");
    expect(Number.isNaN((got as { value: number[] }).value[0])).toBe(true);
  });

  it("turns an error envelope into an ApiError with its code", async () => {
    const fetchMock = serve(404, { error: { code: "unknown_workspace", message: "No workspace 'q'.", detail: null } });
    const call = rest.GET("/api/workspaces/{workspace_id}", { params: { path: { workspace_id: "q" } }, fetch: fetchMock });
    await expect(answer(call)).rejects.toMatchObject({ status: 404, code: "unknown_workspace" });
  });

  it("turns an unreachable server into the network error", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const call = rest.GET("/api/gates", { fetch: globalThis.fetch });
    const failure = await answer(call).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe("network");
  });
});
