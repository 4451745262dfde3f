/**
 * The last backprop of each workspace, kept in the browser (localStorage) so the player can
 * replay it after a reload. The browser rather than the server: the steps are this page's own
 * replay (a viewer's or another tab's backprop is theirs), and keeping them needs no change to
 * the API. NaN and infinities are spelled as the server spells them, so they survive JSON.
 */
import type { BackpropStep } from "../api/types";
import { decodeNonFinite } from "../api/decode";
import type { GradsBefore } from "./animation";

const PREFIX = "wengert.backprop.";
/** A run whose steps take more than this much JSON is not kept: localStorage holds a few MB in all. */
export const KEEP_LIMIT_CHARS = 1_000_000;

/** What replaying a backprop needs: the variable it started from, its steps and the grads before it. */
export interface LastBackprop {
  root: string;
  steps: BackpropStep[];
  before: GradsBefore;
}

/**
 * Keeps `run` as the workspace's last backprop; true when kept. A run too large to keep (or a
 * storage failure) forgets the older one, so a replay never shows a backprop older than the last.
 */
export function keepLastBackprop(workspaceId: string, run: LastBackprop, storage: Storage = localStorage): boolean {
  const text = JSON.stringify({ root: run.root, steps: run.steps, grads: run.before }, spellNonFinite);
  try {
    if (text.length > KEEP_LIMIT_CHARS) throw new RangeError("too large to keep");
    storage.setItem(PREFIX + workspaceId, text);
    return true;
  } catch {
    storage.removeItem(PREFIX + workspaceId);
    return false;
  }
}

/** The workspace's last backprop as kept, or null when none was kept or the entry is damaged. */
export function lastBackprop(workspaceId: string, storage: Storage = localStorage): LastBackprop | null {
  try {
    const kept = decodeNonFinite(JSON.parse(storage.getItem(PREFIX + workspaceId) ?? "null")) as {
      root?: unknown;
      steps?: unknown;
      grads?: unknown;
    } | null;
    if (typeof kept?.root !== "string" || !Array.isArray(kept.steps) || typeof kept.grads !== "object" || kept.grads === null) return null;
    return { root: kept.root, steps: kept.steps as BackpropStep[], before: kept.grads as GradsBefore };
  } catch {
    return null;
  }
}

/** JSON.stringify's replacer: NaN and ±∞ as "nan", "inf" and "-inf" (JSON would write null). */
function spellNonFinite(_key: string, value: unknown): unknown {
  if (typeof value !== "number" || Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}
