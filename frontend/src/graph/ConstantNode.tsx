/** A number typed as a gate's input, drawn as a small pill. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { formatScalar } from "../format";
import type { ConstantFlowNode } from "./types";

/**
 * Pill showing the number (the 3 of `x * 3`), with one handle on the right for the edge into its
 * gate's input. Greyed, like its gate, once backprop has consumed the gate.
 */
export function ConstantNode({ data }: NodeProps<ConstantFlowNode>) {
  return (
    <div className={`constant-node ${data.on_tape ? "" : "constant-node--consumed"}`.trim()} title="a number typed as an input">
      {formatScalar(data.value)}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}
