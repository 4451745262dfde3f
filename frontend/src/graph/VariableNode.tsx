/** A variable drawn as a card: name, shape, value and gradient. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { formatGrad, formatShape, formatValue } from "../format";
import type { VariableFlowNode } from "./types";

/**
 * Card for one variable. Variables that require grad carry an accent stripe; constants are
 * greyed and tagged "const". The value and grad cells are labelled "{name} value" / "{name} grad".
 */
export function VariableNode({ data }: NodeProps<VariableFlowNode>) {
  const { name, shape, dtype, requires_grad, value, grad } = data.variable;
  return (
    <div className={`variable-card ${requires_grad ? "variable-card--grad" : "variable-card--const"}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="variable-card__head">
        <span className="variable-card__name">{name}</span>
        <span className="variable-card__meta">
          {requires_grad ? null : <span className="variable-card__tag">const</span>}
          <span title={dtype}>{formatShape(shape)}</span>
        </span>
      </div>
      <dl className="variable-card__cells">
        <div>
          <dt>value</dt>
          <dd aria-label={`${name} value`}>{formatValue(value)}</dd>
        </div>
        <div>
          <dt>grad</dt>
          <dd aria-label={`${name} grad`}>{formatGrad(grad)}</dd>
        </div>
      </dl>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}
