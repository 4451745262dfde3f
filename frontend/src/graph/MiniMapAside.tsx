/** The minimap, in a corner of the canvas where it covers no card, or hidden when none is free. */
import { MiniMap, useStore, type Node } from "@xyflow/react";
import { useMemo } from "react";
import { rectOf } from "./framing";
import { freeCorner, MINIMAP_SIZE } from "./minimapCorner";
import type { FlowNode } from "./types";

/**
 * Follows the view: as the user pans or a backprop step moves the view, the minimap moves to a
 * corner no card lies under (a card under it could be the one being explained), or hides.
 */
export function MiniMapAside({ nodes }: { nodes: FlowNode[] }) {
  const [x, y, zoom] = useStore((store) => store.transform);
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  const rects = useMemo(() => nodes.map(rectOf), [nodes]);
  const corner = useMemo(() => freeCorner(rects, { x, y, zoom }, { width, height }), [rects, x, y, zoom, width, height]);
  if (corner === null) return null;
  return (
    <MiniMap
      pannable
      zoomable
      position={corner}
      style={MINIMAP_SIZE}
      nodeClassName={miniMapClass}
      ariaLabel="Overview of the graph"
    />
  );
}

/** MiniMap colours follow the canvas: gates, folded groups, variables that require grad, constants (variables or numbers). */
function miniMapClass(node: Node): string {
  const drawn = node as FlowNode;
  if (drawn.type === "gate") return "minimap-gate";
  if (drawn.type === "constant") return "minimap-const";
  if (drawn.type === "folded") return "minimap-group";
  return drawn.data.variable.requires_grad ? "minimap-grad" : "minimap-const";
}
