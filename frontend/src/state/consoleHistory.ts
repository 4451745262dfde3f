/**
 * The console's history of programs, per workspace, kept in the browser (localStorage), and the
 * walk through it that ↑ and ↓ make: ↑ from the program being written goes to the newest run,
 * ↓ past the newest comes back to what was being written.
 */

const PREFIX = "wengert.console.";
/** How many programs each workspace's history keeps, newest last. */
export const HISTORY_LIMIT = 50;

/** The programs run in this workspace, oldest first; empty when nothing was kept or storage fails. */
export function loadHistory(workspaceId: string, storage: Storage = localStorage): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(PREFIX + workspaceId) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

/** Stores the history; storage failures (private mode, quota) only mean it is not kept. */
export function saveHistory(workspaceId: string, history: string[], storage: Storage = localStorage): void {
  try {
    storage.setItem(PREFIX + workspaceId, JSON.stringify(history));
  } catch {
    // Not keeping the history is acceptable.
  }
}

/** The history with ``program`` as its newest entry: a repeat of the newest is not added twice. */
export function remember(history: string[], program: string): string[] {
  if (program.trim() === "" || history[history.length - 1] === program) return history;
  return [...history, program].slice(-HISTORY_LIMIT);
}

/** Where the walk stands: an index into the history, or null for the program being written. */
export type HistoryPosition = number | null;

/** One step of the walk: the new position, or the same one at either end. */
export function step(history: string[], position: HistoryPosition, direction: "older" | "newer"): HistoryPosition {
  if (direction === "older") {
    if (position === null) return history.length === 0 ? null : history.length - 1;
    return Math.max(0, position - 1);
  }
  if (position === null) return null;
  return position + 1 < history.length ? position + 1 : null;
}

/** Whether ↑ (or ↓) should walk the history rather than move the caret: it is on the first (or last) line. */
export function atEdge(text: string, caret: number, direction: "older" | "newer"): boolean {
  return direction === "older" ? !text.slice(0, caret).includes("\n") : !text.slice(caret).includes("\n");
}
