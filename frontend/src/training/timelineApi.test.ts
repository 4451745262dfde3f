import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * Replaces global fetch with one that answers `status` and the JSON of `body`, and loads the API
 * afresh: the REST client takes the fetch there is when it is made.
 */
async function serve(status: number, body: unknown) {
  const fetchMock = vi.fn(async (_request: Request) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
  vi.stubGlobal("fetch", fetchMock);
  vi.resetModules();
  return { fetchMock, api: await import("./timelineApi") };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const access = { id: "w1", token: "secret" };

describe("timelineApi", () => {
  it("asks for the boundary and the network at a step with the token", async () => {
    const { fetchMock, api } = await serve(200, {});
    await api.getBoundaryAt(access, 12, 40);
    await api.getNetworkAt(access, 0, 20);
    const [boundary, network] = fetchMock.mock.calls.map(([request]) => request);
    expect(new URL(boundary!.url).pathname).toBe("/api/workspaces/w1/training/boundary");
    expect(new URL(boundary!.url).searchParams.get("step")).toBe("12");
    expect(new URL(boundary!.url).searchParams.get("resolution")).toBe("40");
    expect(new URL(network!.url).searchParams.get("step")).toBe("0");
    expect(boundary!.headers.get("Authorization")).toBe("Bearer secret");
  });

  it("asks for the runs with their histories only when told to", async () => {
    const { fetchMock, api } = await serve(200, { runs: [] });
    await api.getRuns(access, false);
    await api.getRuns(access, true);
    const [listing, comparing] = fetchMock.mock.calls.map(([request]) => new URL(request.url));
    expect(listing!.pathname).toBe("/api/workspaces/w1/training/runs");
    expect(listing!.searchParams.get("history")).toBe("false");
    expect(comparing!.searchParams.get("history")).toBe("true");
  });

  it("posts a fork's step and changed settings", async () => {
    const { fetchMock, api } = await serve(200, {});
    await api.forkRun(access, { step: 30, optimizer: { lr: 0.1 } });
    const request = fetchMock.mock.calls[0]![0];
    expect(request.method).toBe("POST");
    expect(new URL(request.url).pathname).toBe("/api/workspaces/w1/training/fork");
    expect(await request.json()).toEqual({ step: 30, optimizer: { lr: 0.1 } });
  });

  it("turns a step not kept into an ApiError naming the nearest", async () => {
    const { api } = await serve(404, { error: { code: "step_not_kept", message: "step 9 was not kept", detail: { step: 9, nearest: [8, 16] } } });
    await expect(api.getBoundaryAt(access, 9, 40)).rejects.toMatchObject({ status: 404, code: "step_not_kept", detail: { nearest: [8, 16] } });
  });
});
