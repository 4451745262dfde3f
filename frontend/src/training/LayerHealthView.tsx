/** Whether each hidden layer is still learning: warnings, the latest figures, and their history. */
import type { LayerHealth, TrainingHistoryEntry } from "../api/types";
import { formatScalar } from "../format";
import { DeadUnitsChart, LayerGradientChart } from "./Charts";

interface LayerHealthViewProps {
  /** Each hidden layer at the latest epoch's end; empty before the first. */
  layers: readonly LayerHealth[];
  history: readonly TrainingHistoryEntry[];
}

/**
 * A warning line per layer that stopped learning, a table of the latest epoch's figures, then
 * the dead units and gradient norms per epoch.
 */
export function LayerHealthView({ layers, history }: LayerHealthViewProps) {
  return (
    <>
      {layers.map((layer) =>
        layer.stopped_learning === null ? null : (
          <p key={layer.layer} role="alert" className="layer-warning">
            {layer.stopped_learning}
          </p>
        ),
      )}
      {layers.length === 0 ? (
        <p className="field__hint">Measured at the end of each epoch.</p>
      ) : (
        <table className="layer-health" aria-label="Hidden layers at the latest epoch">
          <thead>
            <tr>
              <th scope="col">Layer</th>
              <th scope="col">Dead units</th>
              <th scope="col">‖∇W‖</th>
              <th scope="col">‖∇b‖</th>
            </tr>
          </thead>
          <tbody>
            {layers.map((layer) => (
              <tr key={layer.layer}>
                <th scope="row">layer {layer.layer}</th>
                <td>{deadText(layer)}</td>
                <td>{formatScalar(layer.weight_grad_norm)}</td>
                <td>{formatScalar(layer.bias_grad_norm)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <DeadUnitsChart history={history} />
      <LayerGradientChart history={history} />
    </>
  );
}

/** "3 of 16 (19%)", or "–" for activations whose units never die. */
export function deadText(layer: LayerHealth): string {
  if (layer.dead_units === null || layer.dead_fraction === null) return "–";
  return `${layer.dead_units} of ${layer.units} (${Math.round(layer.dead_fraction * 100)}%)`;
}
