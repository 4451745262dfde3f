import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_CONFIG } from "../training/config";
import {
  addVariable,
  configureTraining,
  controlTraining,
  createWorkspace,
  deleteWorkspace,
  getDecisionBoundary,
  getVariableIfChanged,
  getWorkspace,
  listGates,
} from "./client";
import { ApiError } from "./errors";

const ws = { id: "abc", token: "secret" };

/** Replaces global fetch with one that answers `status` and `body` (a string is sent as is). */
function answer(status: number, body: unknown) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const fetchMock = vi.fn(async () => new Response(text, { status }));
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

/** The URL and init the stubbed fetch was called with. */
function sent(fetchMock: ReturnType<typeof answer>): [string, RequestInit] {
  return fetchMock.mock.calls[0] as unknown as [string, RequestInit];
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("requests", () => {
  it("sends the workspace token as a bearer token", async () => {
    const fetchMock = answer(200, { id: "abc", variables: [], tape: [], history: [], no_grad: false });
    await getWorkspace(ws);
    const [url, init] = sent(fetchMock);
    expect(url).toBe("/api/workspaces/abc");
    expect(init.headers).toMatchObject({ Authorization: "Bearer secret" });
  });

  it("posts JSON bodies and returns the parsed answer", async () => {
    const created = { name: "x", shape: [], dtype: "float64", requires_grad: true, value: 2, grad: null, created_by: null };
    const fetchMock = answer(201, created);
    await expect(addVariable(ws, { name: "x", value: 2, requires_grad: true })).resolves.toEqual(created);
    const [url, init] = sent(fetchMock);
    expect(url).toBe("/api/workspaces/abc/variables");
    expect(init.method).toBe("POST");
    expect(init.headers).toMatchObject({ "Content-Type": "application/json" });
    expect(JSON.parse(String(init.body))).toEqual({ name: "x", value: 2, requires_grad: true });
  });

  it("escapes the workspace id in the path", async () => {
    const fetchMock = answer(200, {});
    await getWorkspace({ id: "a/b", token: "t" });
    expect(sent(fetchMock)[0]).toBe("/api/workspaces/a%2Fb");
  });

  it("sends no Authorization header without a token", async () => {
    const fetchMock = answer(201, { id: "n", token: "t", viewer_token: "v", url: "/w/n#t", viewer_url: "/w/n#v" });
    await createWorkspace();
    expect(sent(fetchMock)[1].headers).not.toHaveProperty("Authorization");
  });
});

describe("error handling", () => {
  it("rejects with an ApiError carrying the envelope's code and message", async () => {
    answer(409, { error: { code: "name_taken", message: "A variable named x already exists.", detail: null } });
    const failure = addVariable(ws, { name: "x", value: 1, requires_grad: true });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 409, code: "name_taken", message: "A variable named x already exists." });
  });

  it("rejects with a plain message when the error body is not JSON", async () => {
    answer(500, "Internal Server Error");
    await expect(listGates()).rejects.toMatchObject({ status: 500, code: "http_error" });
  });

  it("rejects with a network ApiError when the server cannot be reached", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(getWorkspace(ws)).rejects.toMatchObject({ status: 0, code: "network" });
  });

  it("rejects when a successful answer is not JSON", async () => {
    answer(200, "<!doctype html>");
    await expect(getWorkspace(ws)).rejects.toMatchObject({ code: "bad_response" });
  });
});

describe("answers without a body", () => {
  it("resolves a 204 No Content with nothing", async () => {
    const fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal("fetch", fetchMock);
    await expect(deleteWorkspace(ws)).resolves.toBeUndefined();
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/workspaces/abc");
    expect(init.method).toBe("DELETE");
  });
});

describe("variables by version", () => {
  const detail = { name: "W", shape: [2], dtype: "float64", requires_grad: false, value: [1, 2], grad: null, created_by: null, consumed_by: [] };

  it("returns the variable with the ETag it is at", async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(detail), { status: 200, headers: { ETag: '"v1"' } }));
    vi.stubGlobal("fetch", fetchMock);
    await expect(getVariableIfChanged(ws, "W@1", null)).resolves.toEqual({ detail, etag: '"v1"' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/workspaces/abc/variables/W%401");
    expect(init.headers).not.toHaveProperty("If-None-Match");
  });

  it("sends the ETag held and answers unchanged on a 304", async () => {
    const fetchMock = vi.fn(async () => new Response(null, { status: 304, headers: { ETag: '"v1"' } }));
    vi.stubGlobal("fetch", fetchMock);
    await expect(getVariableIfChanged(ws, "W", '"v1"')).resolves.toBe("unchanged");
    expect(sent(fetchMock)[1].headers).toMatchObject({ "If-None-Match": '"v1"', Authorization: "Bearer secret" });
  });

  it("rejects with the server's error for an unknown variable", async () => {
    answer(404, { error: { code: "variable_not_found", message: "no variable named 'W'", detail: null } });
    await expect(getVariableIfChanged(ws, "W", null)).rejects.toMatchObject({ status: 404, code: "variable_not_found" });
  });
});

describe("training", () => {
  it("puts a config and posts controls to the training routes", async () => {
    const fetchMock = answer(200, { state: "idle" });
    await configureTraining(ws, DEFAULT_CONFIG);
    await controlTraining(ws, "step");
    const [[putUrl, put], [postUrl, post]] = fetchMock.mock.calls as unknown as [[string, RequestInit], [string, RequestInit]];
    expect([putUrl, put.method, JSON.parse(put.body as string)]).toEqual(["/api/workspaces/abc/training", "PUT", DEFAULT_CONFIG]);
    expect([postUrl, post.method]).toEqual(["/api/workspaces/abc/training/step", "POST"]);
  });

  it("asks for the boundary at a resolution", async () => {
    const fetchMock = answer(200, { resolution: 8 });
    await getDecisionBoundary(ws, 8);
    expect(sent(fetchMock)[0]).toBe("/api/workspaces/abc/training/boundary?resolution=8");
  });

  it("rejects a bad config with the fields the server names", async () => {
    const detail = [{ field: "dataset.kind", problem: "bad" }];
    answer(422, { error: { code: "invalid_request", message: "invalid request: dataset.kind: bad", detail } });
    await expect(configureTraining(ws, DEFAULT_CONFIG)).rejects.toMatchObject({ status: 422, detail });
  });
});
