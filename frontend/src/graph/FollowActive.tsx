/** Keeps the node a backprop step runs on screen: the view pans to it only when it has left it. */
import { useReactFlow, useStore } from "@xyflow/react";
import { useEffect } from "react";
import { isInView } from "./inView";

/** How long the view takes to pan to the node, in milliseconds. */
const PAN_MS = 300;

/** Pans (at the same zoom) to centre node `nodeId` whenever it becomes active off screen; null follows nothing. */
export function FollowActive({ nodeId }: { nodeId: string | null }) {
  const flow = useReactFlow();
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  useEffect(() => {
    const node = nodeId === null ? undefined : flow.getInternalNode(nodeId);
    if (node === undefined) return;
    const { x, y } = node.internals.positionAbsolute;
    const box = { x, y, width: node.measured.width ?? 0, height: node.measured.height ?? 0 };
    const viewport = flow.getViewport();
    if (isInView(box, viewport, width, height)) return;
    void flow.setCenter(x + box.width / 2, y + box.height / 2, { zoom: viewport.zoom, duration: PAN_MS });
  }, [nodeId, flow, width, height]);
  return null;
}
