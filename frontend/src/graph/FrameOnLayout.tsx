/** Keeps the right part of the graph in view as it grows; framing.ts decides where to look. */
import { type Rect, useReactFlow, useStore } from "@xyflow/react";
import { useEffect, useRef, type RefObject } from "react";
import { boundsOf, followView, frameFor, rectOf, type Insets } from "./framing";
import type { FlowNode, Positions } from "./types";

/** How long the view takes to glide to a new framing. */
const GLIDE_MS = 200;
/** The layouts a workspace opens with: the quick one, then ELK's. */
const OPENING_LAYOUTS = 2;

/**
 * Frames the view when a layout arrives and when the area left by the panels changes (the
 * inspector opening beside the canvas, the tape panel folding, a window resize): at first the
 * whole graph if it reads whole, else all its folded groups if they read together, else its output; later a graph that reads whole is fitted again,
 * and nodes just added to a larger one are brought into sight when they are out of it. A layout
 * that only moves the nodes keeps a view the user has moved since the last framing.
 */
export function FrameOnLayout({ nodes, positions, insets, onlyVisibleDrawn, userMoved }: FrameOnLayoutProps) {
  const { getViewport, setViewport } = useReactFlow();
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  const framed = useRef<Framed | null>(null);
  useEffect(() => {
    const before = framed.current;
    const canvas = { width, height };
    if (before !== null && before.positions === positions && sameArea(before, canvas, insets)) return;
    const graph = boundsOf(nodes.map(rectOf));
    if (width === 0 || height === 0 || graph === null) return;
    const added = before === null ? output(nodes) : nodes.filter((node) => !before.ids.has(node.id)).map((node) => node.id);
    // A layout that only moves the nodes (ELK's answer after the quick one) keeps the focus it had.
    const focusIds = new Set(added.length > 0 ? added : before?.focus);
    const laidOut = before === null || before.positions !== positions;
    // ELK's layout after the quick one (perhaps after a panel folded meanwhile) is framed as the
    // workspace opened when it frames folded groups, unless the user moved or the graph grew;
    // any other later layout (a backprop's new values) follows the view instead.
    const layouts = (before?.layouts ?? 0) + (laidOut ? 1 : 0);
    const keepsOpening = before !== null && before.opening && foldedBounds(nodes) !== null && layouts <= OPENING_LAYOUTS;
    const opening = before === null || (keepsOpening && added.length === 0 && !userMoved.current);
    framed.current = { positions, canvas, insets, ids: new Set(nodes.map((node) => node.id)), focus: focusIds, opening, layouts };
    // A change of area alone keeps the view of a large graph: the user may be looking somewhere on purpose.
    if (laidOut && before !== null && added.length === 0 && userMoved.current) return;
    const focus = laidOut ? boundsOf(nodes.filter((node) => focusIds.has(node.id)).map(rectOf)) : null;
    const view = opening && laidOut ? frameFor(graph, canvas, insets, focus, foldedBounds(nodes)) : followView(graph, canvas, insets, focus, getViewport());
    // Where off-screen cards are not drawn, a glide to new nodes would keep them unseen for its
    // length; while opening, the cards jump to their new layout, and the view with them.
    const jump = opening || (onlyVisibleDrawn && added.length > 0);
    if (view === null) return;
    userMoved.current = false;
    void setViewport(view, { duration: jump ? 0 : GLIDE_MS });
  }, [nodes, positions, width, height, insets, onlyVisibleDrawn, userMoved, getViewport, setViewport]);
  return null;
}

export interface FrameOnLayoutProps {
  nodes: FlowNode[];
  positions: Positions;
  /** How far the panels floating over the canvas reach in. */
  insets: Insets;
  /** True when React Flow leaves cards out of view out of the page. */
  onlyVisibleDrawn: boolean;
  /** Set when the user pans or zooms; framing clears it each time it moves the view itself. */
  userMoved: RefObject<boolean>;
}

/** What the view was last framed for: the layout, the area the panels left, the nodes and those in focus. */
interface Framed {
  positions: Positions;
  canvas: { width: number; height: number };
  insets: Insets;
  ids: ReadonlySet<string>;
  focus: ReadonlySet<string>;
  /** True while the view is framed as the workspace opened: neither the user nor new nodes have moved it since. */
  opening: boolean;
  /** How many layouts have been framed. */
  layouts: number;
}

function sameArea(before: Framed, canvas: Framed["canvas"], insets: Insets): boolean {
  return before.canvas.width === canvas.width && before.canvas.height === canvas.height && before.insets === insets;
}

/** The workspace's output: the variable created last (variables come first, in creation order). */
function output(nodes: FlowNode[]): string[] {
  const variable = nodes.filter((node) => node.type === "variable").at(-1);
  return variable === undefined ? [] : [variable.id];
}

/** The bounds of the folded groups' cards; null when nothing is folded. */
function foldedBounds(nodes: FlowNode[]): Rect | null {
  return boundsOf(nodes.filter((node) => node.type === "folded").map(rectOf));
}
