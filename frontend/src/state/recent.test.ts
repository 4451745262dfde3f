import { describe, expect, it } from "vitest";
import { recallWorkspace, recentWorkspaces, rememberWorkspace, RECENT_LIMIT, workspaceLink } from "./recent";

/** A Storage kept in a Map, as localStorage behaves. */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const created = (id: string) => ({
  id,
  token: `w-${id}`,
  viewer_token: `v-${id}`,
  url: `/w/${id}#w-${id}`,
  viewer_url: `/w/${id}#v-${id}`,
});

describe("recent workspaces", () => {
  it("remembers both tokens under the workspace id", () => {
    const storage = new MemoryStorage();
    rememberWorkspace(created("abc"), storage, 5);
    expect(recallWorkspace("abc", storage)).toEqual({ id: "abc", token: "w-abc", viewerToken: "v-abc", savedAt: 5 });
    expect(recallWorkspace("other", storage)).toBeNull();
  });

  it("lists the newest first and at most the limit, skipping foreign or broken keys", () => {
    const storage = new MemoryStorage();
    for (let i = 0; i < RECENT_LIMIT + 2; i++) rememberWorkspace(created(`w${i}`), storage, i);
    storage.setItem("unrelated", "x");
    storage.setItem("wengert.workspace.broken", "{not json");
    const listed = recentWorkspaces(storage);
    expect(listed).toHaveLength(RECENT_LIMIT);
    expect(listed[0]?.id).toBe(`w${RECENT_LIMIT + 1}`);
  });

  it("links to a workspace with its token after the hash", () => {
    expect(workspaceLink("a b", "tok")).toBe("/w/a%20b#tok");
  });
});
