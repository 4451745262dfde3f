/**
 * Dead ends: answers after which a workspace page can never show the workspace, so it stops
 * asking (no reloads, no reconnects) and says why instead.
 */
import type { ApiError } from "../api/errors";

/** Why the workspace cannot be shown: deleted while open, not there at all, or the token is wrong. */
export type DeadEnd = "deleted" | "not_found" | "wrong_token";

/** What the page says for each dead end: a headline and what the reader can do about it. */
export const DEAD_END_MESSAGES: Record<DeadEnd, { title: string; help: string }> = {
  deleted: {
    title: "This workspace was deleted",
    help: "Someone with its editor link deleted it while you had it open; its variables and graph are gone.",
  },
  not_found: {
    title: "This workspace was deleted, or the link is wrong",
    help: "No workspace has this id. If someone shared the link, check that you copied all of it.",
  },
  wrong_token: {
    title: "This link's token does not open this workspace",
    help: "The part of the link after # is the key. Ask for the link again, and copy all of it.",
  },
};

/**
 * The dead end an error of a request about the whole workspace (its state, or a ticket for its
 * event stream) stands for; null when trying again may work (the server down, a proxy timing out).
 */
export function deadEndOf(error: ApiError): DeadEnd | null {
  if (error.status === 401) return "wrong_token";
  // Only the workspace itself can be missing from these routes: not a variable or a gate.
  if (error.status === 404) return "not_found";
  return null;
}
