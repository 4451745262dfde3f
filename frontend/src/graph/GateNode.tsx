/** An applied gate drawn as a compact node showing the gate's name. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { handleOffset, inputHandle, outputHandle } from "./handles";
import type { GateFlowNode } from "./types";

/**
 * Node for one applied gate, with one handle per input and per output so repeated inputs
 * (x * x) get separate edges. Nodes still on the tape have a solid accent border;
 * nodes backprop has consumed are dashed and greyed.
 */
export function GateNode({ data }: NodeProps<GateFlowNode>) {
  const { gate, inputs, outputs, on_tape } = data.node;
  return (
    <div
      className={`gate-node ${on_tape ? "gate-node--live" : "gate-node--consumed"}`}
      title={on_tape ? `${gate}: on the tape` : `${gate}: consumed by backprop`}
    >
      <HandleColumn side="inputs" count={inputs.length} />
      <span className="gate-node__name">{gate}</span>
      <HandleColumn side="outputs" count={outputs.length} />
    </div>
  );
}

/** `count` handles spread down the left (inputs) or right (outputs) edge of the node. */
function HandleColumn({ side, count }: { side: "inputs" | "outputs"; count: number }) {
  const [idOf, type, position] =
    side === "inputs"
      ? ([inputHandle, "target", Position.Left] as const)
      : ([outputHandle, "source", Position.Right] as const);
  return Array.from({ length: count }, (_, i) => (
    <Handle
      key={idOf(i)}
      id={idOf(i)}
      type={type}
      position={position}
      isConnectable={false}
      style={{ top: `${handleOffset(i, count) * 100}%` }}
    />
  ));
}
