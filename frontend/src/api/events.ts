/**
 * The live event stream of a workspace (Server-Sent Events): the one module that opens an
 * EventSource. EventSource reconnects by itself and sends Last-Event-ID, so the server replays
 * what was missed; when the browser gives up (the stream answered with an error), this module
 * opens a fresh stream after a pause. The stream's URL carries a short-lived read-only ticket,
 * never the workspace token: URLs end up in access logs.
 */
import { onWorkspace, type WorkspaceAccess } from "./client";
import { answer, rest } from "./rest";
import { decodeNonFinite, type Decoded } from "./decode";
import type { components } from "./schema.gen";

/** Any event the server sends, as its document describes it (ServerEvent), besides its number. */
type ServerEvent = components["schemas"]["ServerEvent"];

/** The name of an event type, e.g. "node_recorded". */
export type EventType = ServerEvent["type"];

/** Every event the server sends, by type, with the fields each carries besides seq and type. */
export type EventFields = { [T in EventType]: Omit<Decoded<Extract<ServerEvent, { type: T }>>, "type"> };

/** Every event type, in the order the server documents them. */
export const EVENT_TYPES: readonly EventType[] = [
  "variable_created",
  "node_recorded",
  "backprop_step",
  "backprop_done",
  "zero_grad",
  "no_grad",
  "renamed",
  "optimizer_step",
  "training",
  "weight_edited",
  "training_data",
  "deleted",
  "resync",
];

/** One event as received: its number, its type and the type's fields. */
export type WorkspaceEvent = { [T in EventType]: { seq: number; type: T } & EventFields[T] }[EventType];

/**
 * How the stream is doing: "connecting" before the first answer, "live" while open,
 * "reconnecting" after a drop, "closed" once the workspace is deleted or the caller stopped.
 */
export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "closed";

/** The part of EventSource this module uses, so tests can hand in a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

/** Opens an EventSource-like stream on a URL. */
export type EventSourceFactory = (url: string) => EventSourceLike;

/** What a subscriber hears: every event, every (re)opening of the stream and every status change. */
export interface EventHandlers {
  onEvent(event: WorkspaceEvent): void;
  /** The stream is open, for the first time or again; events may have been missed before a fresh stream. */
  onOpen?(): void;
  onStatus?(status: ConnectionStatus): void;
  /** No ticket could be had, and why; unsubscribing here stops the retry it would be followed by. */
  onTicketError?(error: unknown): void;
}

/** Fetches a ticket that opens the workspace's event stream. */
export type TicketSource = (ws: WorkspaceAccess) => Promise<string>;

/** A short-lived, read-only ticket that opens the workspace's event stream. */
export async function streamTicket(ws: WorkspaceAccess): Promise<string> {
  const { ticket } = await answer(rest.POST("/api/workspaces/{workspace_id}/events/ticket", onWorkspace(ws)));
  return ticket;
}

/** Options for tests: how to get a ticket, how to open a stream, how long to wait before a fresh one. */
export interface SubscribeOptions {
  ticket?: TicketSource;
  open?: EventSourceFactory;
  retryMs?: number;
}

/** EventSource.CLOSED: the browser will not reconnect by itself. */
const CLOSED = 2;
const RETRY_MS = 2000;

/** The stream's URL; EventSource cannot send headers, so a read-only ticket travels in the query. */
export function eventsUrl(workspaceId: string, ticket: string): string {
  return `/api/workspaces/${encodeURIComponent(workspaceId)}/events?ticket=${encodeURIComponent(ticket)}`;
}

/** Reads one SSE message as an event, non-finite numbers decoded; null when its data is not
 * the JSON the server sends. */
export function parseEvent(type: string, data: string): WorkspaceEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const record = parsed as Record<string, unknown>;
  if (typeof record.seq !== "number" || !(EVENT_TYPES as readonly string[]).includes(type)) return null;
  return decodeNonFinite({ ...record, type }) as WorkspaceEvent;
}

/** Subscribes to a workspace's events until the returned function is called. */
export function subscribeToEvents(
  ws: WorkspaceAccess,
  handlers: EventHandlers,
  { ticket = streamTicket, open = (url) => new EventSource(url), retryMs = RETRY_MS }: SubscribeOptions = {},
): () => void {
  let source: EventSourceLike | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let status: ConnectionStatus | null = null;

  const report = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    handlers.onStatus?.(next);
  };

  const stop = () => {
    stopped = true;
    if (retry !== null) clearTimeout(retry);
    source?.close();
    report("closed");
  };

  const retryLater = () => {
    report("reconnecting");
    retry = setTimeout(() => void connect(), retryMs);
  };

  const connect = async () => {
    retry = null;
    let opening: string;
    try {
      opening = await ticket(ws);
    } catch (error) {
      handlers.onTicketError?.(error);
      if (!stopped) retryLater();
      return;
    }
    if (stopped) return;
    const current = open(eventsUrl(ws.id, opening));
    source = current;
    current.onopen = () => {
      report("live");
      handlers.onOpen?.();
    };
    current.onerror = () => {
      if (stopped) return;
      if (current.readyState !== CLOSED) {
        report("reconnecting"); // the browser reconnects by itself
        return;
      }
      current.close(); // refused, e.g. the ticket expired: a fresh one opens a fresh stream
      retryLater();
    };
    for (const type of EVENT_TYPES) {
      current.addEventListener(type, (message) => {
        const event = parseEvent(type, message.data);
        if (event === null || stopped) return;
        handlers.onEvent(event);
        if (event.type === "deleted") stop();
      });
    }
  };

  report("connecting");
  void connect();
  return stop;
}
