import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Workspace } from "../state/useWorkspace";
import { reloadOnEvents } from "./reloading";

type Listener = Parameters<Workspace["listen"]>[0];

/** A stand-in event stream: `emit` hands an event of `type` to every listener. */
function stream() {
  const listeners = new Set<Listener>();
  const listen: Workspace["listen"] = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const emit = (type: string) => listeners.forEach((listener) => listener({ type } as Parameters<Listener>[0]));
  return { listen, emit, listeners };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("reloadOnEvents", () => {
  it("loads at once, again on a listed event only, and at most perSecond times a second", async () => {
    const { listen, emit } = stream();
    const load = vi.fn(async () => undefined);
    reloadOnEvents(listen, ["training"], 2, load);
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(1);
    emit("weight_edited");
    await vi.advanceTimersByTimeAsync(1000);
    expect(load).toHaveBeenCalledTimes(1);
    // Ten events: one load at once, one more when the half second is over, none for the rest.
    for (let i = 0; i < 10; i++) emit("training");
    await vi.advanceTimersByTimeAsync(400);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("once stopped, stops listening and tells a late load it is no longer live", async () => {
    const { listen, emit, listeners } = stream();
    const seen: boolean[] = [];
    const reloading = reloadOnEvents(listen, ["training"], 4, async ({ isLive }) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen.push(isLive());
    });
    reloading.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(listeners.size).toBe(0);
    emit("training");
    await vi.advanceTimersByTimeAsync(500);
    expect(seen).toEqual([false]);
  });
});
