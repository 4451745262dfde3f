/** Keeps the nodes a backprop step acts on on screen: the view moves only when part of them has left it. */
import { useReactFlow, useStore } from "@xyflow/react";
import { useEffect } from "react";
import { boundsOf, followNode, rectOf, type Insets } from "./framing";
import type { FlowNode } from "./types";

/** How long the view takes to pan to the nodes, in milliseconds. */
const PAN_MS = 300;

interface FollowActiveProps {
  /** The nodes to keep in sight (the step's gate and the cards it feeds); none follows nothing. */
  nodeIds: readonly string[];
  nodes: FlowNode[];
  /** How far what floats over the canvas reaches in: a node under it is out of sight. */
  insets: Insets;
}

/**
 * Centres the nodes `nodeIds` in the area the controls leave whenever part of them is out of
 * sight, at the same zoom or as far out as it takes to show them whole. Their boxes come from the
 * layout, not from React Flow's measurements, which cards left out of the page (in large graphs)
 * never get.
 */
export function FollowActive({ nodeIds, nodes, insets }: FollowActiveProps) {
  const { getViewport, setViewport } = useReactFlow();
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  useEffect(() => {
    const wanted = new Set(nodeIds);
    const focus = boundsOf(nodes.filter((node) => wanted.has(node.id)).map(rectOf));
    if (focus === null || width === 0 || height === 0) return;
    const view = followNode(focus, { width, height }, insets, getViewport());
    if (view !== null) void setViewport(view, { duration: PAN_MS });
  }, [nodeIds, nodes, width, height, insets, getViewport, setViewport]);
  return null;
}
