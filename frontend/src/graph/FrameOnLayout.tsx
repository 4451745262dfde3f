/** Keeps the right part of the graph in view as it grows; framing.ts decides where to look. */
import { useReactFlow, useStore, type Rect } from "@xyflow/react";
import { useEffect, useRef } from "react";
import { boundsOf, frameView } from "./framing";
import type { FlowNode, Positions } from "./types";

/** How long the view takes to glide to a new framing. */
const GLIDE_MS = 200;

/**
 * Frames the view when a layout arrives and when the canvas changes size (the inspector opening
 * beside it, a window resize): the whole graph while it fits; a graph too large for that shows,
 * at first, its newest variable at a readable zoom, and then the nodes just added whenever they
 * are out of sight. The minimap shows the whole.
 */
export function FrameOnLayout({ nodes, positions, onlyVisibleDrawn }: FrameOnLayoutProps) {
  const { getViewport, setViewport } = useReactFlow();
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  const framed = useRef<Framed | null>(null);
  useEffect(() => {
    const before = framed.current;
    if (before !== null && before.positions === positions && before.width === width && before.height === height) return;
    const graph = boundsOf(nodes.map(rectOf));
    if (width === 0 || height === 0 || graph === null) return;
    const added = before === null ? newestVariable(nodes) : nodes.filter((node) => !before.ids.has(node.id)).map((node) => node.id);
    const focus = new Set(added.length > 0 ? added : before?.focus);
    framed.current = { positions, width, height, ids: new Set(nodes.map((node) => node.id)), focus };
    // A resize alone keeps the view of a large graph: the user may be looking somewhere on purpose.
    const laidOut = before === null || before.positions !== positions;
    const focused = laidOut ? boundsOf(nodes.filter((node) => focus.has(node.id)).map(rectOf)) : null;
    const view = frameView(graph, focused, { width, height }, before === null ? null : getViewport());
    // Where off-screen cards are not drawn, a glide to new nodes would keep them unseen for its length.
    const jump = before === null || (onlyVisibleDrawn && added.length > 0);
    if (view !== null) void setViewport(view, { duration: jump ? 0 : GLIDE_MS });
  }, [nodes, positions, width, height, onlyVisibleDrawn, getViewport, setViewport]);
  return null;
}

export interface FrameOnLayoutProps {
  nodes: FlowNode[];
  positions: Positions;
  /** True when React Flow leaves cards out of view out of the page. */
  onlyVisibleDrawn: boolean;
}

/** What the view was last framed for: the layout, the canvas size, the nodes and those in focus. */
interface Framed {
  positions: Positions;
  width: number;
  height: number;
  ids: ReadonlySet<string>;
  focus: ReadonlySet<string>;
}

/** The id of the variable created last (variables come first, in creation order); none for an empty graph. */
function newestVariable(nodes: FlowNode[]): string[] {
  const variable = nodes.filter((node) => node.type === "variable").at(-1);
  return variable === undefined ? [] : [variable.id];
}

function rectOf(node: FlowNode): Rect {
  return { x: node.position.x, y: node.position.y, width: node.width ?? 0, height: node.height ?? 0 };
}
