/** A folded group drawn as one card that unfolds when clicked. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { FoldedFlowNode } from "./types";

/**
 * Card for a folded group: its name in large type (readable when a big graph is fitted), what it
 * holds, and the whole card a button, "Unfold {name}", so a click or Enter opens it (the canvas
 * handles the click). While the backprop step shown is inside it, it says so and is lit.
 */
export function FoldedNode({ data }: NodeProps<FoldedFlowNode>) {
  const { title, gates, variables, live, anomaly, active } = data;
  const look = `group-card ${live ? "group-card--live" : "group-card--consumed"}${anomaly ? " group-card--warned" : ""}${active ? " group-card--active" : ""}`;
  return (
    <div className={look}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <button type="button" className="group-card__open" aria-label={`Unfold ${title}`} title={`${title}: click to unfold`}>
        <span className="group-card__title">{title}</span>
        <span className="group-card__meta">
          {active ? "backprop is here · " : ""}
          {count(gates, "gate")} · {count(variables, "variable")}
        </span>
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
