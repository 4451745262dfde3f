/** The groups the user unfolded, as frames around their cards, and folding one of them again: pure, so it can be tested. */
import type { Rect } from "@xyflow/react";
import { boundsOf, rectOf } from "./framing";
import type { Grouping } from "./groups";
import type { FlowNode } from "./types";

/** Room between a frame and the cards it holds, per level of open groups nested inside it. */
export const FRAME_PADDING = 16;

/** An unfolded group drawn as a frame around its cards, with a header that folds it again. */
export interface OpenFrame {
  key: string;
  /** The frame's rectangle in the graph's plane. */
  rect: Rect;
}

/**
 * A frame for each opened group whose cards are drawn (every group around it is open too),
 * around the cards inside it; an outer frame is padded one step more per open level inside it,
 * so nested frames and their headers do not sit on each other.
 */
export function openFrames(nodes: readonly FlowNode[], grouping: Grouping, opened: ReadonlySet<string>): OpenFrame[] {
  const inside = new Map<string, FlowNode[]>();
  const depthBelow = new Map<string, number>();
  for (const node of nodes) {
    const path = groupsAround(node, grouping);
    const openPrefix = path.slice(0, openLength(path, opened));
    openPrefix.forEach((key, i) => {
      inside.set(key, [...(inside.get(key) ?? []), node]);
      depthBelow.set(key, Math.max(depthBelow.get(key) ?? 0, openPrefix.length - 1 - i));
    });
  }
  return [...inside].flatMap(([key, cards]) => {
    const bounds = boundsOf(cards.map(rectOf));
    if (bounds === null) return [];
    const pad = FRAME_PADDING * (1 + (depthBelow.get(key) ?? 0));
    return [{ key, rect: { x: bounds.x - pad, y: bounds.y - pad, width: bounds.width + 2 * pad, height: bounds.height + 2 * pad } }];
  });
}

/** The groups a drawn node lies in, outermost first: a folded group's card lies in those around the group. */
function groupsAround(node: FlowNode, grouping: Grouping): readonly string[] {
  if (node.type !== "folded") return grouping.paths.get(node.id) ?? [];
  const [member] = node.data.members;
  const path = member === undefined ? [] : (grouping.paths.get(member) ?? []);
  return path.slice(0, path.indexOf(node.data.key));
}

/** How many groups from the start of `path` are open (a card's groups, outermost first). */
function openLength(path: readonly string[], opened: ReadonlySet<string>): number {
  const closed = path.findIndex((key) => !opened.has(key));
  return closed === -1 ? path.length : closed;
}

/** The opened groups after folding `key` again: it and the groups inside it, so it unfolds afresh next time. */
export function foldGroup(opened: ReadonlySet<string>, key: string, grouping: Grouping): Set<string> {
  const closing = new Set([key]);
  for (const path of grouping.paths.values()) {
    const at = path.indexOf(key);
    if (at !== -1) for (const inner of path.slice(at + 1)) closing.add(inner);
  }
  return new Set([...opened].filter((group) => !closing.has(group)));
}
