/** Keeps the node a backprop step runs on screen: the view pans to it only when it has left it. */
import { useReactFlow, useStore } from "@xyflow/react";
import { useEffect } from "react";
import { followNode, rectOf, type Insets } from "./framing";
import type { FlowNode } from "./types";

/** How long the view takes to pan to the node, in milliseconds. */
const PAN_MS = 300;

interface FollowActiveProps {
  /** The node to keep in sight; null follows nothing. */
  nodeId: string | null;
  nodes: FlowNode[];
  /** How far the panels floating over the canvas reach in: a node under one is out of sight. */
  insets: Insets;
}

/**
 * Pans (at the same zoom) to centre node `nodeId` in the area the panels leave whenever it
 * becomes active out of sight. Its box comes from the layout, not from React Flow's measurements,
 * which cards left out of the page (in large graphs) never get.
 */
export function FollowActive({ nodeId, nodes, insets }: FollowActiveProps) {
  const { getViewport, setViewport } = useReactFlow();
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  useEffect(() => {
    const node = nodeId === null ? undefined : nodes.find((candidate) => candidate.id === nodeId);
    if (node === undefined || width === 0 || height === 0) return;
    const view = followNode(rectOf(node), { width, height }, insets, getViewport());
    if (view !== null) void setViewport(view, { duration: PAN_MS });
  }, [nodeId, nodes, width, height, insets, getViewport, setViewport]);
  return null;
}
