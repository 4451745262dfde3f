import { describe, expect, it } from "vitest";
import { parseRoute, workspaceUrl } from "./router";

describe("parseRoute", () => {
  it("sends the root to the start page", () => {
    expect(parseRoute("/", "")).toEqual({ page: "start" });
  });

  it("reads a workspace id from the path and its token from the hash", () => {
    expect(parseRoute("/w/abc123", "#tok-en")).toEqual({ page: "workspace", id: "abc123", token: "tok-en", view: "graph" });
  });

  it("accepts a trailing slash and a missing token", () => {
    expect(parseRoute("/w/abc/", "")).toEqual({ page: "workspace", id: "abc", token: "", view: "graph" });
  });

  it("reads the training view from the query", () => {
    expect(parseRoute("/w/abc", "#t", "?view=training")).toEqual({ page: "workspace", id: "abc", token: "t", view: "training" });
    expect(parseRoute("/w/abc", "#t", "?view=nonsense")).toMatchObject({ view: "graph" });
  });

  it("sends unknown paths to the start page", () => {
    expect(parseRoute("/w/abc/extra", "#t")).toEqual({ page: "start" });
  });
});

describe("workspaceUrl", () => {
  it("links each view, the graph without a query", () => {
    expect(workspaceUrl("abc", "t", "graph")).toBe("/w/abc#t");
    expect(workspaceUrl("abc", "t", "training")).toBe("/w/abc?view=training#t");
  });

  it("reads back as the route it links to", () => {
    const url = new URL(workspaceUrl("a b", "t#k", "training"), "http://x");
    expect(parseRoute(url.pathname, url.hash, url.search)).toEqual({ page: "workspace", id: "a b", token: "t#k", view: "training" });
  });
});
