/** Graph layout by ELK, run in a Web Worker so a large graph never blocks the page. */
import ElkConstructor, { type ELK } from "elkjs/lib/elk-api";
import { positionsFrom, toElkGraph } from "./elkGraph";
import LayoutWorker from "./layout.worker?worker";
import type { FlowGraph, Positions } from "./types";

let elk: ELK | null = null;

/** Places every node of the graph, left to right; one worker is started on first use and kept. */
export async function layoutGraph(graph: FlowGraph): Promise<Positions> {
  elk ??= new ElkConstructor({ workerFactory: () => new LayoutWorker() });
  return positionsFrom(await elk.layout(toElkGraph(graph)));
}
