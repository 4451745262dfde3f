/** The network's weight matrices as small heatmaps, read from the workspace's own variables. */
import type { Variable } from "../api/types";
import { formatShape } from "../format";
import { Heatmap } from "../panels/Heatmap";
import { asMatrix } from "../tensor";

interface WeightsViewProps {
  /** Every variable of the workspace. */
  variables: readonly Variable[];
  /** The run's parameter variables ("net_W1", "net_b1", …); only the matrices are drawn. */
  parameters: readonly string[];
}

/** One heatmap per weight matrix (inputs down, units across), blue negative, red positive. */
export function WeightsView({ variables, parameters }: WeightsViewProps) {
  const weights = parameters
    .filter((name) => /(^|_)W\d+$/.test(name))
    .map((name) => variables.find((variable) => variable.name === name))
    .filter((variable): variable is Variable => variable !== undefined);
  if (weights.length === 0) return <p className="field__hint">No weights yet.</p>;
  return (
    <ul className="weights">
      {weights.map((weight) => (
        <li key={weight.name} className="weights__item">
          <span className="weights__name">
            {weight.name} <span className="weights__shape">{formatShape(weight.shape)}</span>
          </span>
          <Heatmap rows={asMatrix(weight.value, weight.shape)} scale="diverging" label={weight.name} maxWidth={150} maxHeight={110} />
        </li>
      ))}
    </ul>
  );
}
