/** Where edges attach to a node: shared by the node components, the layouts and React Flow. */
import { Position, type NodeHandle } from "@xyflow/react";

/** Handle id of a gate's i-th input. */
export const inputHandle = (index: number): string => `in-${index}`;

/** Handle id of a gate's j-th output. */
export const outputHandle = (index: number): string => `out-${index}`;

/** Fraction of a node's height at which the i-th of `count` handles sits, spread evenly. */
export function handleOffset(index: number, count: number): number {
  return (index + 1) / (count + 1);
}

/** Side of a handle's dot (graph.css); React Flow centres each dot on the node's edge. */
const HANDLE_SIZE = 6;

/**
 * The handles of a node of this size, where React Flow will measure them once the node is drawn:
 * `inputs` on the left edge, `outputs` on the right, each at its handleOffset (a null id is the
 * node's one unnamed handle). Known up front, they let React Flow skip drawing nodes out of view
 * from the very first frame and still draw the edges of those in view.
 */
export function nodeHandles(
  width: number,
  height: number,
  inputs: readonly (string | null)[],
  outputs: readonly (string | null)[],
): NodeHandle[] {
  const at = (id: string | null, type: "source" | "target", i: number, count: number): NodeHandle => ({
    id,
    type,
    position: type === "target" ? Position.Left : Position.Right,
    x: (type === "target" ? 0 : width) - HANDLE_SIZE / 2,
    y: height * handleOffset(i, count) - HANDLE_SIZE / 2,
    width: HANDLE_SIZE,
    height: HANDLE_SIZE,
  });
  return [
    ...inputs.map((id, i) => at(id, "target", i, inputs.length)),
    ...outputs.map((id, j) => at(id, "source", j, outputs.length)),
  ];
}
