/** The latest epoch's metrics in one line: accuracy for a classifier, MSE for a regression. */
import type { TrainingMetrics } from "../api/types";

/** "Train accuracy 95.0% · Test accuracy 92.0%", or "Train MSE 0.0110 · Test MSE 0.0123". */
export function LatestMetrics({ metrics }: { metrics: TrainingMetrics | null }) {
  return (
    <p role="status" aria-label="Latest metrics" className="latest-metrics">
      {metricsLine(metrics)}
    </p>
  );
}

/** The metrics in words; "No epoch finished yet" before the first. */
export function metricsLine(metrics: TrainingMetrics | null): string {
  if (metrics === null || metrics.train_loss === null) return "No epoch finished yet";
  const parts: string[] = [];
  const percent = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(1)}%`);
  const number = (value: number | null) => (value === null ? "–" : value.toFixed(4));
  if (metrics.train_mse !== null || metrics.test_mse !== null) {
    parts.push(`Train MSE ${number(metrics.train_mse)}`, `Test MSE ${number(metrics.test_mse)}`);
  } else {
    parts.push(`Train accuracy ${percent(metrics.train_accuracy)}`, `Test accuracy ${percent(metrics.test_accuracy)}`);
  }
  return parts.join(" · ");
}
