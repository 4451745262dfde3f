/** The network's weight matrices as small heatmaps, read from the workspace's own variables. */
import { useMemo } from "react";
import { formatShape } from "../format";
import { Heatmap, HeatmapLoading } from "../panels/Heatmap";
import type { LiveVariable } from "../state/liveState";
import { useTensors } from "../state/useTensors";
import { asMatrix } from "../tensor";

interface WeightsViewProps {
  /** Every variable of the workspace. */
  variables: readonly LiveVariable[];
  /** The run's parameter variables ("net_W1", "net_b1", …); only the matrices are drawn. */
  parameters: readonly string[];
}

/** One heatmap per weight matrix (inputs down, units across), blue negative, red positive. */
export function WeightsView({ variables, parameters }: WeightsViewProps) {
  const weights = parameters
    .filter((name) => /(^|_)W\d+$/.test(name))
    .map((name) => variables.find((variable) => variable.name === name))
    .filter((variable): variable is LiveVariable => variable !== undefined);
  if (weights.length === 0) return <p className="field__hint">No weights yet.</p>;
  return (
    <ul className="weights">
      {weights.map((weight) => (
        <Weight key={weight.name} weight={weight} />
      ))}
    </ul>
  );
}

/** One weight matrix: its name and shape over its heatmap (a placeholder while its values load). */
function Weight({ weight }: { weight: LiveVariable }) {
  const { value } = useTensors(weight);
  const rows = useMemo(() => (value === null ? null : asMatrix(value, weight.shape)), [value, weight.shape]);
  const size = { maxWidth: 150, maxHeight: 110 };
  return (
    <li className="weights__item">
      <span className="weights__name">
        {weight.name} <span className="weights__shape">{formatShape(weight.shape)}</span>
      </span>
      {rows === null ? (
        <HeatmapLoading label={weight.name} {...size} />
      ) : (
        <Heatmap rows={rows} scale="diverging" label={weight.name} {...size} />
      )}
    </li>
  );
}
