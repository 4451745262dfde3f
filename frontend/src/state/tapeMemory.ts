/** The memory the tape holds, as far as the page can tell it. */
import type { LiveState } from "./liveState";

/** Bytes per element of each dtype the engine stores. */
const ITEM_BYTES: Record<string, number> = { float64: 8, float32: 4 };
const DEFAULT_ITEM_BYTES = 8;

/** A byte count and whether it is the server's own or estimated by the page. */
export interface TapeMemory {
  bytes: number;
  estimated: boolean;
}

/**
 * The server's count when the state has it (from a full load, or 0 after backprop emptied the
 * tape); else an estimate from the shapes on the tape: each variable a node holds counted once,
 * and each number given to a gate as the constant the engine makes of it (one element, in the
 * dtype of the gate's first variable input).
 */
export function tapeMemory(state: LiveState): TapeMemory {
  if (state.tape_bytes !== null) return { bytes: state.tape_bytes, estimated: false };
  const variables = new Map(state.variables.map((variable) => [variable.name, variable]));
  const itemBytes = (name: string | undefined) => {
    const dtype = name === undefined ? undefined : variables.get(name)?.dtype;
    return (dtype === undefined ? undefined : ITEM_BYTES[dtype]) ?? DEFAULT_ITEM_BYTES;
  };
  const held = new Set<string>();
  let constants = 0;
  for (const node of state.tape) {
    const named = node.inputs.filter((input) => typeof input === "string");
    for (const name of [...named, ...node.outputs]) held.add(name);
    constants += (node.inputs.length - named.length) * itemBytes(named[0]);
  }
  let bytes = constants;
  for (const name of held) {
    const shape = variables.get(name)?.shape ?? [];
    bytes += shape.reduce((a, b) => a * b, 1) * itemBytes(name);
  }
  return { bytes, estimated: true };
}
