/**
 * Recent workspaces, remembered in localStorage under each workspace's id, so the start page can
 * reopen them and the workspace page can offer the viewer link (the server tells it only once,
 * when the workspace is created).
 */
import type { CreatedWorkspace } from "../api/types";

const PREFIX = "wengert.workspace.";
/** How many recent workspaces the start page lists. */
export const RECENT_LIMIT = 8;

/** What the browser remembers about one workspace it created or imported. */
export interface RecentWorkspace {
  id: string;
  token: string;
  viewerToken: string;
  /** When it was remembered, in ms since the epoch. */
  savedAt: number;
}

/** Remembers a workspace just created or imported; storage failures (private mode, quota) are ignored. */
export function rememberWorkspace(created: CreatedWorkspace, storage: Storage = localStorage, now = Date.now()): void {
  const entry: RecentWorkspace = { id: created.id, token: created.token, viewerToken: created.viewer_token, savedAt: now };
  try {
    storage.setItem(PREFIX + created.id, JSON.stringify(entry));
  } catch {
    // Not remembering is acceptable: the links still work.
  }
}

/** The remembered workspace with this id, or null. */
export function recallWorkspace(id: string, storage: Storage = localStorage): RecentWorkspace | null {
  return readEntry(safeGet(storage, PREFIX + id));
}

/** Forgets a workspace, e.g. one the server no longer knows. */
export function forgetWorkspace(id: string, storage: Storage = localStorage): void {
  try {
    storage.removeItem(PREFIX + id);
  } catch {
    // Nothing to do.
  }
}

/** The remembered workspaces, newest first, at most RECENT_LIMIT. */
export function recentWorkspaces(storage: Storage = localStorage): RecentWorkspace[] {
  const entries: RecentWorkspace[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key === null || !key.startsWith(PREFIX)) continue;
    const entry = readEntry(safeGet(storage, key));
    if (entry !== null) entries.push(entry);
  }
  return entries.sort((a, b) => b.savedAt - a.savedAt).slice(0, RECENT_LIMIT);
}

/** The in-app editor link of a workspace ("/w/{id}#{token}"). */
export function workspaceLink(id: string, token: string): string {
  return `/w/${encodeURIComponent(id)}#${token}`;
}

function safeGet(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function readEntry(text: string | null): RecentWorkspace | null {
  if (text === null) return null;
  try {
    const entry = JSON.parse(text) as Partial<RecentWorkspace>;
    const ok =
      typeof entry.id === "string" &&
      typeof entry.token === "string" &&
      typeof entry.viewerToken === "string" &&
      typeof entry.savedAt === "number";
    return ok ? (entry as RecentWorkspace) : null;
  } catch {
    return null;
  }
}
