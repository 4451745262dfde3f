/** Graph layout by ELK, run in a Web Worker so a large graph never blocks the page. */
import ElkConstructor, { type ELK, type ElkNode } from "elkjs/lib/elk-api";
import { positionsFrom, toElkGraph, WARM_UP_GRAPH } from "./elkGraph";
import { latestOnly } from "./layoutQueue";
import LayoutWorker from "./layout.worker?worker";
import type { FlowGraph, Positions } from "./types";

/** Tries before a layout gives up, and the pause before the n-th retry (n × this). */
const ATTEMPTS = 5;
const RETRY_MS = 500;

/** The running ELK and a way to hear that its worker died (e.g. its script failed to load). */
interface Engine {
  elk: ELK;
  failed: Promise<never>;
}

let engine: Engine | null = null;

/**
 * Places every node of the graph, left to right. One layout runs at a time and only the latest
 * graph waits: a request replaced by a newer one before it started resolves to null, so a burst
 * of changes costs two layouts, not one per change.
 */
export const layoutGraph: (graph: FlowGraph) => Promise<Positions | null> = latestOnly(async (graph) =>
  positionsFrom(await layOut(toElkGraph(graph))),
);

/**
 * Starts the worker and lays a tiny graph out, so that loading ELK's script and its first
 * (slowest) layout happen while the page fetches the workspace, not after. Does nothing once a
 * worker is running.
 */
export function prewarmLayout(): void {
  if (engine !== null) return;
  layOut(WARM_UP_GRAPH).catch(() => undefined); // a real layout will report the failure
}

/**
 * Lays an ELK graph out in the worker. One worker is started on first use and kept; if it fails
 * (say the server went away while its script loaded), a fresh one is started after a pause, a
 * few times, instead of leaving the layout waiting forever.
 */
async function layOut(graph: ElkNode): Promise<ElkNode> {
  for (let attempt = 1; ; attempt++) {
    const current = (engine ??= startEngine());
    try {
      return await Promise.race([current.elk.layout(graph), current.failed]);
    } catch (error) {
      if (engine === current) engine = null;
      if (attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * RETRY_MS));
    }
  }
}

function startEngine(): Engine {
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined); // a failure nobody is waiting for is not an error
  const elk = new ElkConstructor({
    workerFactory: () => {
      const worker = new LayoutWorker();
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        worker.terminate();
        fail(new Error("the layout worker failed to start"));
      });
      return worker;
    },
  });
  return { elk, failed };
}
