import { describe, expect, it } from "vitest";
import type { VariableVersion } from "../api/client";
import type { NestedNumbers } from "../api/types";
import { tensorCache, type VariableLoader } from "./tensorCache";

/** What the server holds of a variable: its value and its version's ETag. */
function version(value: NestedNumbers, etag: string, grad: NestedNumbers | null = null): VariableVersion {
  const shape = Array.isArray(value) ? [value.length] : [];
  return {
    detail: { name: "W", shape, dtype: "float64", requires_grad: grad !== null, value, grad, created_by: null, consumed_by: [] },
    etag,
  };
}

/** A loader that answers like the server from what `server` holds now, recording each request. */
function fakeServer(initial: VariableVersion) {
  const server = { current: initial };
  const requests: { name: string; etag: string | null }[] = [];
  const loader: VariableLoader = async (name, etag) => {
    requests.push({ name, etag });
    return etag === server.current.etag ? "unchanged" : server.current;
  };
  return { server, requests, loader };
}

/** A loader whose answers the test gives by hand, in any order. */
function manualLoader() {
  const pending: ((answer: VariableVersion | "unchanged") => void)[] = [];
  const loader: VariableLoader = () => new Promise((resolve) => pending.push(resolve));
  return { pending, loader };
}

describe("tensorCache", () => {
  it("loads a variable once for a version, however many views ask at once", async () => {
    const { requests, loader } = fakeServer(version([1, 2], '"a"'));
    const cache = tensorCache(loader);
    const [first, second] = await Promise.all([cache.load("W", 3), cache.load("W", 3)]);
    expect(first).toEqual({ shape: [2], value: [1, 2], grad: null });
    expect(second).toBe(first);
    expect(requests).toHaveLength(1);
  });

  it("serves a copy at least as new as the version asked for without asking the server", async () => {
    const { requests, loader } = fakeServer(version([1, 2], '"a"'));
    const cache = tensorCache(loader);
    await cache.load("W", 5);
    await cache.load("W", 4);
    await cache.load("W", 5);
    expect(requests).toHaveLength(1);
  });

  it("asks again for a newer version with the ETag it holds, and keeps its copy on a 304", async () => {
    const { requests, loader } = fakeServer(version([1, 2], '"a"'));
    const cache = tensorCache(loader);
    const held = await cache.load("W", 3);
    const again = await cache.load("W", 7); // an event said something about W, which did not change
    expect(requests).toEqual([
      { name: "W", etag: null },
      { name: "W", etag: '"a"' },
    ]);
    expect(again).toBe(held);
  });

  it("replaces its copy when the variable changed", async () => {
    const { server, loader } = fakeServer(version([1, 2], '"a"'));
    const cache = tensorCache(loader);
    await cache.load("W", 3);
    server.current = version([5, NaN], '"b"', [Infinity, -Infinity]);
    expect(await cache.load("W", 4)).toEqual({ shape: [2], value: [5, NaN], grad: [Infinity, -Infinity] });
    expect(cache.peek("W")?.value).toEqual([5, NaN]);
  });

  it("keeps the newer copy when an older request answers last", async () => {
    const { pending, loader } = manualLoader();
    const cache = tensorCache(loader);
    const older = cache.load("W", 3);
    const newer = cache.load("W", 4);
    expect(pending).toHaveLength(2);
    pending[1]?.(version([2], '"new"'));
    await newer;
    pending[0]?.(version([1], '"old"'));
    await older;
    expect(cache.peek("W")?.value).toEqual([2]);
  });

  it("keeps the variables drawn most recently, up to its size", async () => {
    const { loader } = fakeServer(version([1], '"a"'));
    const cache = tensorCache(loader, 2);
    await cache.load("a", 1);
    await cache.load("b", 1);
    await cache.load("a", 1); // drawn again: now the most recent
    await cache.load("c", 1);
    expect([cache.peek("a"), cache.peek("b"), cache.peek("c")].map((held) => held !== null)).toEqual([true, false, true]);
  });

  it("rejects when the load fails, and tries again on the next ask", async () => {
    let fail = true;
    const cache = tensorCache(async () => {
      if (fail) throw new Error("offline");
      return version([1], '"a"');
    });
    await expect(cache.load("W", 1)).rejects.toThrow("offline");
    fail = false;
    await expect(cache.load("W", 1)).resolves.toMatchObject({ value: [1] });
  });
});
