/** An applied gate drawn as a compact node showing the gate's name. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { handleOffset, inputHandle, outputHandle } from "./handles";
import type { GateFlowNode } from "./types";

/**
 * Node for one applied gate, with one handle per input and per output so repeated inputs
 * (x * x) get separate edges. Nodes still on the tape have a solid accent border;
 * nodes backprop has consumed are dashed and greyed. Badges above it say when an input changed
 * in place after it ran ("stale": backprop through it is refused) and when it made NaN or ∞.
 */
export function GateNode({ data }: NodeProps<GateFlowNode>) {
  const { gate, inputs, outputs, on_tape, stale } = data.node;
  const warned = stale === true || data.anomalies.length > 0;
  return (
    <div
      className={`gate-node ${on_tape ? "gate-node--live" : "gate-node--consumed"}${warned ? " gate-node--warned" : ""}`}
      title={on_tape ? `${gate}: on the tape` : `${gate}: consumed by backprop`}
    >
      <HandleColumn side="inputs" count={inputs.length} />
      <span className="gate-node__name">{gate}</span>
      <HandleColumn side="outputs" count={outputs.length} />
      {warned ? (
        <span className="gate-node__badges">
          {stale === true ? (
            <span className="gate-node__badge" title={STALE_NOTE}>
              stale
            </span>
          ) : null}
          {data.anomalies.map((anomaly) => (
            <span key={anomaly.phase} className="gate-node__badge gate-node__badge--nan" title={anomaly.explanation}>
              {anomaly.phase === "forward" ? "NaN here" : "NaN in backward"}
            </span>
          ))}
        </span>
      ) : null}
    </div>
  );
}

const STALE_NOTE =
  "An input changed in place (an optimizer step, training) after this gate ran: its outputs show older values, and backprop through it is refused. Run the forward pass again.";

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
