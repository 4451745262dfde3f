/** The zoom and fit buttons, and the same moves from the keyboard. */
import { ControlButton, Controls, useReactFlow, useStore } from "@xyflow/react";
import { useCallback, useEffect, type ReactNode } from "react";
import { isTextField } from "../state/playerKeys";
import { boundsOf, fitView, rectOf, type Insets } from "./framing";
import type { FlowNode } from "./types";

/**
 * Controls whose Fit View frames the graph from the layout's positions and card sizes, clear of
 * the panels: React Flow's own fit waits for measured sizes that cards drawn only when in view
 * never get. They lie in a row along the bottom edge (framing keeps that band clear), with the
 * canvas's other tools (`children`) after them. Keys, when no text field has focus (the same test as the player's keys): f fits,
 * + or = zooms in, - zooms out, 0 zooms to 1.
 */
export function ViewControls({ nodes, insets, children }: { nodes: FlowNode[]; insets: Insets; children?: ReactNode }) {
  const { setViewport, zoomIn, zoomOut, zoomTo } = useReactFlow();
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  const fit = useCallback(() => {
    const graph = boundsOf(nodes.map(rectOf));
    if (graph !== null) void setViewport(fitView(graph, { width, height }, insets));
  }, [nodes, width, height, insets, setViewport]);
  useEffect(() => {
    const moves: Record<string, () => unknown> = { f: fit, "+": zoomIn, "=": zoomIn, "-": zoomOut, "0": () => zoomTo(1) };
    function onKey(event: KeyboardEvent) {
      const move = moves[event.key];
      const typing = event.target instanceof HTMLElement && isTextField(event.target);
      if (move === undefined || typing || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      move();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [fit, zoomIn, zoomOut, zoomTo]);
  return (
    <Controls orientation="horizontal" showInteractive={false} showFitView={false}>
      <ControlButton onClick={fit} title="Fit View" aria-label="Fit View" className="react-flow__controls-fitview">
        <FitIcon />
      </ControlButton>
      {children}
    </Controls>
  );
}

/** Four corners pointing outwards: the whole graph brought into the frame. */
function FitIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}
