import { describe, expect, it } from "vitest";
import { memoryStorage } from "../testing/storage";
import { atEdge, HISTORY_LIMIT, loadHistory, remember, saveHistory, step } from "./consoleHistory";

describe("console history", () => {
  it("is kept per workspace", () => {
    const storage = memoryStorage();
    saveHistory("w1", ["a = 1"], storage);
    saveHistory("w2", ["b = 2", "c = b * 2"], storage);
    expect(loadHistory("w1", storage)).toEqual(["a = 1"]);
    expect(loadHistory("w2", storage)).toEqual(["b = 2", "c = b * 2"]);
    expect(loadHistory("w3", storage)).toEqual([]);
  });

  it("reads a damaged entry as empty", () => {
    const storage = memoryStorage();
    storage.setItem("wengert.console.w", "{not json");
    expect(loadHistory("w", storage)).toEqual([]);
    storage.setItem("wengert.console.w", JSON.stringify(["ok", 3, null]));
    expect(loadHistory("w", storage)).toEqual(["ok"]);
  });

  it("adds a program once, drops blank ones and keeps the newest HISTORY_LIMIT", () => {
    expect(remember(["a = 1"], "a = 1")).toEqual(["a = 1"]);
    expect(remember(["a = 1"], "  ")).toEqual(["a = 1"]);
    expect(remember(["a = 1", "b = 2"], "a = 1")).toEqual(["a = 1", "b = 2", "a = 1"]);
    const full = Array.from({ length: HISTORY_LIMIT }, (_, i) => `x = ${i}`);
    const added = remember(full, "y = 1");
    expect(added).toHaveLength(HISTORY_LIMIT);
    expect([added[0], added[HISTORY_LIMIT - 1]]).toEqual(["x = 1", "y = 1"]);
  });

  it("walks older from the draft to the oldest and newer back to the draft", () => {
    const history = ["first", "second"];
    expect(step(history, null, "older")).toBe(1);
    expect(step(history, 1, "older")).toBe(0);
    expect(step(history, 0, "older")).toBe(0);
    expect(step(history, 0, "newer")).toBe(1);
    expect(step(history, 1, "newer")).toBeNull();
    expect(step(history, null, "newer")).toBeNull();
    expect(step([], null, "older")).toBeNull();
  });

  it("walks only from the first line up and the last line down", () => {
    const text = "a = 1\nb = a * 2";
    expect(atEdge(text, 3, "older")).toBe(true);
    expect(atEdge(text, 8, "older")).toBe(false);
    expect(atEdge(text, 3, "newer")).toBe(false);
    expect(atEdge(text, 8, "newer")).toBe(true);
  });
});
