import { afterEach, describe, expect, it, vi } from "vitest";
import type { WorkspaceEvent } from "../api/events";
import { awaitEvent } from "./awaitEvent";

/** A stream the test feeds by hand. */
function stream() {
  const listeners = new Set<(event: WorkspaceEvent) => void>();
  const listen = (listener: (event: WorkspaceEvent) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const send = (event: WorkspaceEvent) => listeners.forEach((listener) => listener(event));
  return { listen, send, listeners };
}

const noGrad = (seq: number, enabled: boolean): WorkspaceEvent => ({ seq, type: "no_grad", enabled });
const turnedOn = (event: WorkspaceEvent) => event.type === "no_grad" && event.enabled;

afterEach(() => {
  vi.useRealTimers();
});

describe("awaitEvent", () => {
  it("resolves at once when the event was heard already", async () => {
    const { listen, listeners } = stream();
    await expect(awaitEvent(listen, turnedOn, [noGrad(1, true)], 1000)).resolves.toBe(true);
    expect(listeners.size).toBe(0);
  });

  it("resolves when the event arrives, ignoring others, and stops listening", async () => {
    const { listen, send, listeners } = stream();
    const waiting = awaitEvent(listen, turnedOn, [], 1000);
    send(noGrad(1, false));
    send(noGrad(2, true));
    await expect(waiting).resolves.toBe(true);
    expect(listeners.size).toBe(0);
  });

  it("gives up after the timeout", async () => {
    vi.useFakeTimers();
    const { listen, listeners } = stream();
    const waiting = awaitEvent(listen, turnedOn, [], 1000);
    vi.advanceTimersByTime(1000);
    await expect(waiting).resolves.toBe(false);
    expect(listeners.size).toBe(0);
  });
});
