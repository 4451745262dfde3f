import { describe, expect, it } from "vitest";
import { parseRoute } from "./router";

describe("parseRoute", () => {
  it("sends the root to the start page", () => {
    expect(parseRoute("/", "")).toEqual({ page: "start" });
  });

  it("reads a workspace id from the path and its token from the hash", () => {
    expect(parseRoute("/w/abc123", "#tok-en")).toEqual({ page: "workspace", id: "abc123", token: "tok-en" });
  });

  it("accepts a trailing slash and a missing token", () => {
    expect(parseRoute("/w/abc/", "")).toEqual({ page: "workspace", id: "abc", token: "" });
  });

  it("sends unknown paths to the start page", () => {
    expect(parseRoute("/w/abc/extra", "#t")).toEqual({ page: "start" });
  });
});
