import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eventsUrl, parseEvent, subscribeToEvents, type ConnectionStatus, type EventSourceLike } from "./events";

/** A stand-in for EventSource that the test drives by hand. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }

  fail(readyState: number): void {
    this.readyState = readyState;
    this.onerror?.(new Event("error"));
  }

  send(type: string, data: unknown): void {
    const message = new MessageEvent<string>(type, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(message);
  }
}

const ws = { id: "a b", token: "t/k" };
let ticketFails = false;

/** Lets the ticket promise settle, as the browser would between events. */
const settle = () => vi.advanceTimersByTimeAsync(0);

function subscribe() {
  const sources: FakeSource[] = [];
  const events: unknown[] = [];
  const statuses: ConnectionStatus[] = [];
  const onOpen = vi.fn();
  const stop = subscribeToEvents(
    ws,
    { onEvent: (event) => events.push(event), onOpen, onStatus: (status) => statuses.push(status) },
    {
      ticket: () => (ticketFails ? Promise.reject(new Error("offline")) : Promise.resolve("tk/1")),
      open: (url) => {
        const source = new FakeSource(url);
        sources.push(source);
        return source;
      },
      retryMs: 50,
    },
  );
  return { sources, events, statuses, onOpen, stop };
}

beforeEach(() => {
  vi.useFakeTimers();
  ticketFails = false;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("eventsUrl", () => {
  it("carries a ticket in the query, escaped, and never the token", () => {
    expect(eventsUrl(ws.id, "tk/1")).toBe("/api/workspaces/a%20b/events?ticket=tk%2F1");
  });
});

describe("parseEvent", () => {
  it("reads the JSON data and takes the type from the SSE event name", () => {
    expect(parseEvent("no_grad", '{"seq": 3, "type": "no_grad", "enabled": true}')).toEqual({
      seq: 3,
      type: "no_grad",
      enabled: true,
    });
  });

  it("ignores data that is not an event and types it does not know", () => {
    expect(parseEvent("no_grad", "not json")).toBeNull();
    expect(parseEvent("no_grad", '{"type": "no_grad"}')).toBeNull();
    expect(parseEvent("surprise", '{"seq": 1}')).toBeNull();
  });
});

describe("subscribeToEvents", () => {
  it("reports connecting, then live once the stream opens", async () => {
    const { sources, statuses, onOpen } = subscribe();
    await settle();
    expect(sources[0]?.url).toBe("/api/workspaces/a%20b/events?ticket=tk%2F1");
    expect(statuses).toEqual(["connecting"]);
    sources[0]?.open();
    expect(statuses).toEqual(["connecting", "live"]);
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it("delivers every event type in order", async () => {
    const { sources, events } = subscribe();
    await settle();
    sources[0]?.open();
    sources[0]?.send("variable_created", { seq: 1, type: "variable_created", variable: { name: "a" } });
    sources[0]?.send("resync", { seq: 2, type: "resync" });
    expect(events).toEqual([
      { seq: 1, type: "variable_created", variable: { name: "a" } },
      { seq: 2, type: "resync" },
    ]);
  });

  it("leaves reconnecting to the browser while it is retrying", async () => {
    const { sources, statuses, onOpen } = subscribe();
    await settle();
    sources[0]?.open();
    sources[0]?.fail(0);
    expect(statuses.at(-1)).toBe("reconnecting");
    vi.advanceTimersByTime(1000);
    expect(sources).toHaveLength(1);
    sources[0]?.open();
    expect(statuses.at(-1)).toBe("live");
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it("opens a fresh stream after a pause when the browser gives up", async () => {
    const { sources, statuses } = subscribe();
    await settle();
    sources[0]?.fail(2);
    expect(statuses.at(-1)).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(49);
    expect(sources).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sources).toHaveLength(2);
    sources[1]?.open();
    expect(statuses.at(-1)).toBe("live");
  });

  it("closes for good when the workspace is deleted", async () => {
    const { sources, statuses, events } = subscribe();
    await settle();
    sources[0]?.open();
    sources[0]?.send("deleted", { seq: 9, type: "deleted" });
    expect(events).toHaveLength(1);
    expect(sources[0]?.closed).toBe(true);
    expect(statuses.at(-1)).toBe("closed");
  });

  it("retries after a pause when no ticket can be had", async () => {
    ticketFails = true;
    const { sources, statuses } = subscribe();
    await settle();
    expect(sources).toHaveLength(0);
    expect(statuses.at(-1)).toBe("reconnecting");
    ticketFails = false;
    await vi.advanceTimersByTimeAsync(50);
    expect(sources).toHaveLength(1);
    sources[0]?.open();
    expect(statuses.at(-1)).toBe("live");
  });

  it("tells why no ticket could be had, and retries no more once unsubscribed then", async () => {
    const errors: unknown[] = [];
    const sources: unknown[] = [];
    const stop: () => void = subscribeToEvents(
      ws,
      { onEvent: () => undefined, onTicketError: (error) => (errors.push(error), stop()) },
      { ticket: () => Promise.reject(new Error("gone")), open: (url) => (sources.push(url), new FakeSource(url)), retryMs: 50 },
    );
    await settle();
    expect(errors).toEqual([new Error("gone")]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    expect(sources).toHaveLength(0);
  });

  it("stops delivering and retrying once unsubscribed", async () => {
    const { sources, events, stop } = subscribe();
    await settle();
    sources[0]?.fail(2);
    stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sources).toHaveLength(1);
    sources[0]?.send("resync", { seq: 1, type: "resync" });
    expect(events).toHaveLength(0);
  });
});

describe("parseEvent decoding", () => {
  it("hands on NaN and infinities as numbers, never as their spellings", () => {
    const data = JSON.stringify({ seq: 3, backprop: 1, variable: "y", gradients: { x: { shape: [2], values: ["inf", "nan"], min: "nan", max: "inf", mean: "nan" } } });
    expect(parseEvent("backprop_done", data)).toEqual({
      seq: 3,
      type: "backprop_done",
      backprop: 1,
      variable: "y",
      gradients: { x: { shape: [2], values: [Infinity, NaN], min: NaN, max: Infinity, mean: NaN } },
    });
  });
});
