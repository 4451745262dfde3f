/**
 * Which groups each node of the drawing belongs to, so a big graph can fold: the modules its
 * gates name (`encoder.layer1.conv` sits in `encoder`, then `encoder.layer1`, then itself), or,
 * for a big graph that names none, runs of the history. Pure, so it can be tested.
 */
import type { FlowGraph, FlowNode } from "./types";

/** A graph with more nodes than this opens folded even when none of its gates names a module. */
export const FOLD_ABOVE = 150;

/** Gates in one group at the history's finest level; each level up holds CHUNK_FACTOR groups of the one below. */
const FINEST_CHUNK = 16;
const CHUNK_FACTOR = 4;
/** The history's top level has at most this many groups, so the folded graph fits readably. */
const MOST_TOP_GROUPS = 4;

/** What the groups were made from: the modules gates name, runs of the history, or nothing. */
export type GroupedBy = "module" | "history" | "none";

/** The groups of a drawing: each grouped node's groups, outermost first, by node id. */
export interface Grouping {
  by: GroupedBy;
  paths: ReadonlyMap<string, readonly string[]>;
}

const UNGROUPED: Grouping = { by: "none", paths: new Map() };

/**
 * The groups of `graph`. Gates that name a module (`group`) make module groups; then the
 * variables they make, the numbers typed into them and each parameter read only inside one
 * module belong to it too (as on the server's picture), while inputs stay outside. A graph
 * without modules but with more than FOLD_ABOVE nodes is grouped by runs of consecutive gate
 * ids (`#1–#256`, inside it `#1–#64`, …): the history is the order it was built in, so a run
 * is one stretch of the computation, and ids never change, so neither do the groups as it grows.
 */
export function groupingOf(graph: FlowGraph): Grouping {
  const gates = graph.nodes.filter((node) => node.type === "gate");
  const modules = new Map(gates.flatMap((gate) => (gate.data.node.group ? [[gate.data.node.id, modulePath(gate.data.node.group)] as const] : [])));
  if (modules.size > 0) return { by: "module", paths: nodePaths(graph, modules) };
  if (graph.nodes.length <= FOLD_ABOVE) return UNGROUPED;
  const ids = gates.map((gate) => gate.data.node.id);
  const top = topChunk(Math.max(0, ...ids));
  return { by: "history", paths: nodePaths(graph, new Map(ids.map((id) => [id, historyPath(id, top)]))) };
}

/** `a.b.c` lies in `a`, then `a.b`, then `a.b.c`. */
function modulePath(group: string): string[] {
  const parts = group.split(".");
  return parts.map((_, i) => parts.slice(0, i + 1).join("."));
}

/** Gates per group at the top level: the finest size grown by CHUNK_FACTOR until at most MOST_TOP_GROUPS hold every id. */
function topChunk(lastId: number): number {
  let size = FINEST_CHUNK;
  while (Math.ceil(lastId / size) > MOST_TOP_GROUPS) size *= CHUNK_FACTOR;
  return size;
}

/** The runs holding gate `id`, from `top` gates down to FINEST_CHUNK, each named by its whole range. */
function historyPath(id: number, top: number): string[] {
  const path: string[] = [];
  for (let size = top; size >= FINEST_CHUNK; size /= CHUNK_FACTOR) {
    const start = Math.floor((id - 1) / size) * size + 1;
    path.push(`#${start}–#${start + size - 1}`);
  }
  return path;
}

/** Every node's path from its gate's: outputs and typed numbers follow their gate; parameters their readers' one group. */
function nodePaths(graph: FlowGraph, gatePaths: ReadonlyMap<number, string[]>): Map<string, readonly string[]> {
  const paths = new Map<string, readonly string[]>();
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  for (const node of graph.nodes) {
    const gate = producerOf(node);
    const path = gate === null ? undefined : gatePaths.get(gate);
    if (path !== undefined) paths.set(node.id, path);
  }
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    if (source?.type === "constant") setPath(paths, source.id, paths.get(edge.target));
  }
  for (const [id, path] of parameterPaths(graph, byId, paths)) paths.set(id, path);
  return paths;
}

function setPath(paths: Map<string, readonly string[]>, id: string, path: readonly string[] | undefined): void {
  if (path !== undefined) paths.set(id, path);
}

/** The gate that made a node: a gate itself, a computed variable's producer; null otherwise. */
function producerOf(node: FlowNode): number | null {
  if (node.type === "gate") return node.data.node.id;
  if (node.type === "variable") return node.data.variable.created_by;
  return null;
}

/** Each parameter (a leaf that requires grad) every reader of which is in one and the same innermost group. */
function parameterPaths(
  graph: FlowGraph,
  byId: ReadonlyMap<string, FlowNode>,
  paths: ReadonlyMap<string, readonly string[]>,
): Map<string, readonly string[]> {
  const readers = new Map<string, Set<readonly string[] | undefined>>();
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    if (source?.type !== "variable" || source.data.variable.created_by !== null || !source.data.variable.requires_grad) continue;
    const found = readers.get(source.id) ?? new Set();
    found.add(paths.get(edge.target));
    readers.set(source.id, found);
  }
  const result = new Map<string, readonly string[]>();
  for (const [id, found] of readers) {
    const innermost = new Set([...found].map((path) => path?.at(-1)));
    const [only] = found;
    if (innermost.size === 1 && only !== undefined) result.set(id, only);
  }
  return result;
}
