/** Keeps node positions in step with the graph's structure. */
import { useEffect, useMemo, useState } from "react";
import { layoutKey } from "./elkGraph";
import { layoutGraph } from "./layout";
import { completeLayout } from "./quickLayout";
import type { FlowGraph, Positions } from "./types";

/**
 * A position for every node of the graph: ELK's, from the latest finished layout, and for nodes
 * added since (all of them, before the first layout) the quick layout's, beside their neighbours
 * as ELK placed them, so they land about where ELK will put them. Layout reruns only when the
 * structure (nodes, sizes, edges) changes, not when values or gradients do; the positions object
 * stays the same while neither the structure nor ELK's answer changes.
 */
export function useLayout(graph: FlowGraph): Positions {
  const [laidOut, setLaidOut] = useState<Positions>({});
  const structure = useMemo(() => layoutKey(graph), [graph]);
  useEffect(() => {
    // `graph` here is the one from the render in which `structure` last changed. Layouts finish
    // in the order they were asked for, so even one for an older structure is the best yet.
    layoutGraph(graph).then(
      (placed) => placed !== null && setLaidOut(placed),
      (error: unknown) => console.warn("Graph layout failed", error),
    );
  }, [structure]);
  return useMemo(() => completeLayout(graph, laidOut), [structure, laidOut]);
}
