/** A variable drawn as a card: name, shape, value and gradient. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { formatGrad, formatShape, formatValue } from "../format";
import { Heatmap } from "../panels/Heatmap";
import { asMatrix } from "../tensor";
import { isTensor } from "./buildGraph";
import type { VariableFlowNode } from "./types";

/**
 * Card for one variable. Variables that require grad carry an accent stripe; constants are
 * greyed and tagged "const". The shape is followed by the dtype when it is not the default
 * float64 ("2×3 f32"); the full dtype is the shape's tooltip. The value and grad cells are labelled "{name} value" / "{name} grad".
 * Tensors also show their value and grad as small heatmaps (grads on a diverging scale). The
 * name is a button, "Inspect {name}", that opens the inspector. While backprop plays, the
 * gradient arriving from the current step shows as "+g".
 */
export function VariableNode({ data }: NodeProps<VariableFlowNode>) {
  const { variable, arriving } = data;
  const { name, shape, dtype, requires_grad, value, grad } = variable;
  return (
    <div className={`variable-card ${requires_grad ? "variable-card--grad" : "variable-card--const"}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="variable-card__head">
        <button type="button" className="variable-card__name" aria-label={`Inspect ${name}`} title="Inspect">
          {name}
        </button>
        <span className="variable-card__meta">
          {requires_grad ? <span className="variable-card__tag variable-card__tag--param">param</span> : <span className="variable-card__tag">const</span>}
          <span title={dtype}>{dtype === "float64" ? formatShape(shape) : `${formatShape(shape)} ${shortDtype(dtype)}`}</span>
        </span>
      </div>
      {isTensor(variable) ? (
        <div className="variable-card__maps">
          <Heatmap rows={asMatrix(value, shape)} scale="sequential" label={`${name} value`} maxWidth={76} maxHeight={38} />
          {grad === null ? null : (
            <Heatmap rows={asMatrix(grad, shape)} scale="diverging" label={`${name} grad`} maxWidth={76} maxHeight={38} />
          )}
        </div>
      ) : null}
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
      {arriving === undefined ? null : (
        <span className="variable-card__arriving" aria-label={`${name} receives`}>
          +{formatValue(arriving)}
        </span>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

/** "float32" -> "f32": short enough for the card's head. */
function shortDtype(dtype: string): string {
  return dtype.replace("float", "f");
}
