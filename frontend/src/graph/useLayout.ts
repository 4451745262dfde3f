/** Keeps node positions in step with the graph's structure. */
import { useEffect, useState } from "react";
import { toElkGraph } from "./elkGraph";
import { layoutGraph } from "./layout";
import type { FlowGraph, Positions } from "./types";

/**
 * Positions for the graph's nodes, from the latest finished layout. Layout reruns only when the
 * structure (nodes, sizes, edges) changes, not when values or gradients do; a node added since
 * the latest layout has no position until the next one finishes.
 */
export function useLayout(graph: FlowGraph): Positions {
  const [positions, setPositions] = useState<Positions>({});
  const structure = JSON.stringify(toElkGraph(graph));
  useEffect(() => {
    let live = true;
    // `graph` here is the one from the render in which `structure` last changed.
    layoutGraph(graph).then(
      (placed) => live && setPositions(placed),
      (error: unknown) => console.warn("Graph layout failed", error),
    );
    return () => {
      live = false;
    };
  }, [structure]);
  return positions;
}
