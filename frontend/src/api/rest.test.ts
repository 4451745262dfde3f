import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./errors";
import { answer, answerAsSent, bearer, rest } from "./rest";

/** Replaces global fetch with one that answers `status` and `body` (a string is sent as is). */
function serve(status: number, body: unknown) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const fetchMock = vi.fn(async (_request: Request) => new Response(text, { status, headers: { "Content-Type": "application/json" } }));
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

/** The request the stubbed fetch was called with. */
function sent(fetchMock: ReturnType<typeof serve>, call = 0): Request {
  return fetchMock.mock.calls[call]![0];
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
      }),
    );
    const request = sent(fetchMock);
    expect(new URL(request.url).pathname).toBe("/api/workspaces/ab%20c/variables/x");
    expect(request.headers.get("Authorization")).toBe("Bearer secret");
    expect(Number.isNaN((got as { value: number[] }).value[0])).toBe(true);
  });

  it("posts a JSON body with its content type", async () => {
    const fetchMock = serve(201, { name: "x" });
    const body = { name: "x", value: 2, requires_grad: true };
    await answer(rest.POST("/api/workspaces/{workspace_id}/variables", { params: { path: { workspace_id: "w" } }, body }));
    const request = sent(fetchMock);
    expect(request.method).toBe("POST");
    expect(request.headers.get("Content-Type")).toBe("application/json");
    expect(await request.json()).toEqual(body);
  });

  it("sends no Authorization header when no token is given", async () => {
    const fetchMock = serve(201, { id: "n" });
    await answer(rest.POST("/api/workspaces"));
    expect(sent(fetchMock).headers.has("Authorization")).toBe(false);
  });

  it("resolves a 204 No Content with nothing", async () => {
    const fetchMock = vi.fn(async (_request: Request) => new Response(null, { status: 204 }));
    vi.stubGlobal("fetch", fetchMock);
    await expect(answer(rest.DELETE("/api/workspaces/{workspace_id}", { params: { path: { workspace_id: "w" } } }))).resolves.toBeUndefined();
    expect(sent(fetchMock).method).toBe("DELETE");
  });

  it("hands a document on as the server wrote it when asked to", async () => {
    serve(200, { format: "wengert-workspace", variables: [{ value: "nan" }] });
    const document = await answerAsSent(rest.GET("/api/workspaces/{workspace_id}/export", { params: { path: { workspace_id: "w" } } }));
    expect(document).toEqual({ format: "wengert-workspace", variables: [{ value: "nan" }] });
  });

  it("reads a text answer as text", async () => {
    serve(200, "import wengert\n");
    const script = await answerAsSent(rest.GET("/api/workspaces/{workspace_id}/export.py", { params: { path: { workspace_id: "w" } }, parseAs: "text" }));
    expect(script).toBe("import wengert\n");
  });
});

describe("rest failures", () => {
  it("turns an error envelope into an ApiError with its code, message and detail", async () => {
    serve(409, { error: { code: "name_taken", message: "A variable named x already exists.", detail: { name: "x" } } });
    const call = rest.POST("/api/workspaces/{workspace_id}/variables", { params: { path: { workspace_id: "w" } }, body: { name: "x", value: 1 } });
    await expect(answer(call)).rejects.toMatchObject({ status: 409, code: "name_taken", message: "A variable named x already exists.", detail: { name: "x" } });
  });

  it("turns a failure that is not JSON into a plain http_error", async () => {
    serve(500, "Internal Server Error");
    await expect(answer(rest.GET("/api/gates"))).rejects.toMatchObject({ status: 500, code: "http_error" });
  });

  it("refuses a successful answer that is not JSON", async () => {
    serve(200, "<!doctype html>");
    await expect(answer(rest.GET("/api/gates"))).rejects.toMatchObject({ code: "bad_response" });
  });

  it("turns an unreachable server into the network error", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const failure = await answer(rest.GET("/api/gates")).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 0, code: "network" });
  });
});
