/** A variable drawn as a card: name, shape, value and gradient. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { useMemo } from "react";
import type { Health, NestedNumbers } from "../api/types";
import { formatRange, formatShape, formatValue, NO_GRAD } from "../format";
import { Heatmap, HeatmapLoading } from "../panels/Heatmap";
import { NumText } from "../panels/Num";
import type { LiveTensor } from "../state/liveState";
import { useTensors } from "../state/useTensors";
import { asMatrix } from "../tensor";
import { isTensor } from "./buildGraph";
import type { VariableFlowNode } from "./types";
import { variableRole } from "./variableRole";

/**
 * Card for one variable. Variables that require grad carry an accent stripe, the rest are
 * greyed; a tag names the variable's role (param, computed or const) when the name leaves it room. The shape is followed by the dtype when it is not the default
 * float64 ("2×3 f32"); the full dtype is the shape's tooltip. The value and grad cells are labelled "{name} value" / "{name} grad".
 * Tensors also show their value and grad as small heatmaps (grads on a diverging scale); a large
 * tensor's values load when its card is drawn, its range standing in until then. The name is a
 * button, "Inspect {name}", that opens the inspector. While backprop plays, the grad is the one at
 * the step shown ("pending" until backprop reaches the variable), and what the step adds shows as "+= g".
 */
export function VariableNode({ data }: NodeProps<VariableFlowNode>) {
  const { variable, stepGrad } = data;
  const { name, shape, dtype, requires_grad } = variable;
  const { value, grad: loadedGrad } = useTensors(variable);
  const grad = stepGrad === undefined ? loadedGrad : stepGrad.kind === "value" ? stepGrad.value : null;
  const added = stepGrad?.kind === "value" ? stepGrad.added : null;
  const role = variableRole(variable);
  return (
    <div className={`variable-card ${requires_grad ? "variable-card--grad" : "variable-card--const"}${isTensor(variable) ? " variable-card--tensor" : ""}`}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="variable-card__head">
        <button type="button" className="variable-card__name" aria-label={`Inspect ${name}`} title={`Inspect ${name}`}>
          {name}
        </button>
        <span className="variable-card__meta">
          {name.length > NAME_BESIDE_TAG ? null : <span className={`variable-card__tag variable-card__tag--${role}`}>{role}</span>}
          <span title={dtype}>{dtype === "float64" ? formatShape(shape) : `${formatShape(shape)} ${shortDtype(dtype)}`}</span>
        </span>
      </div>
      {isTensor(variable) ? (
        <div className="variable-card__maps">
          <SmallMap values={value} shape={shape} scale="sequential" label={`${name} value`} />
          {variable.grad === null ? null : <SmallMap values={grad} shape={shape} scale="diverging" label={`${name} grad`} />}
        </div>
      ) : null}
      <dl className="variable-card__cells">
        <div>
          <dt>value</dt>
          <dd aria-label={`${name} value`}>
            <NumText text={formatShown(value, variable.value)} />
          </dd>
        </div>
        <div>
          <dt>grad</dt>
          {stepGrad?.kind === "pending" ? (
            <dd aria-label={`${name} grad`} className="variable-card__pending">
              {PENDING_GRAD}
            </dd>
          ) : (
            <dd aria-label={`${name} grad`}>
              {variable.grad === null ? NO_GRAD : <NumText text={formatShown(grad, variable.grad)} />}
            </dd>
          )}
        </div>
      </dl>
      <HealthBadges name={name} health={variable.health} />
      {added === null ? null : (
        <span className="variable-card__arriving" aria-label={`${name} receives`}>
          += <NumText text={formatValue(added)} />
        </span>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

/** One badge per health warning (vanishing, exploding, dead units), its note as the tooltip. */
function HealthBadges({ name, health }: { name: string; health: Health | null }) {
  if (health === null || health.warnings.length === 0) return null;
  return (
    <span className="variable-card__health" aria-label={`${name} health`}>
      {health.warnings.map((warning, i) => (
        <span key={warning} className="variable-card__warning" title={health.notes[i]}>
          {warning === "dead_units" ? `dead ${health.dead_units} of ${health.units}` : warning}
        </span>
      ))}
    </span>
  );
}

/**
 * A name longer than this takes the role tag's room, so names of up to 16 characters show whole
 * (longer ones are ellipsised; the full name is the tooltip and the inspector's title).
 */
const NAME_BESIDE_TAG = 8;

/** Shown for a grad backprop has not reached yet at the step played. */
const PENDING_GRAD = "pending";

interface SmallMapProps {
  values: NestedNumbers | null;
  shape: number[];
  scale: "diverging" | "sequential";
  label: string;
}

/** A card-sized heatmap, or a placeholder while the values load. */
function SmallMap({ values, shape, scale, label }: SmallMapProps) {
  const rows = useMemo(() => (values === null ? null : asMatrix(values, shape)), [values, shape]);
  return rows === null ? (
    <HeatmapLoading label={label} maxWidth={76} maxHeight={38} />
  ) : (
    <Heatmap rows={rows} scale={scale} label={label} maxWidth={76} maxHeight={38} />
  );
}

/** The values shown, or the range the event gave while they load. */
function formatShown(values: NestedNumbers | null, tensor: LiveTensor): string {
  if (values !== null) return formatValue(values);
  return tensor.values === null ? formatRange(tensor.min, tensor.max) : formatValue(tensor.values);
}

/** "float32" -> "f32": short enough for the card's head. */
function shortDtype(dtype: string): string {
  return dtype.replace("float", "f");
}
