/** The run's history as charts: loss (train and test), accuracy, and each layer's gradient norm. */
import { useMemo, useState, type ComponentProps } from "react";
import type { TrainingHistoryEntry } from "../api/types";
import { CheckboxField } from "../panels/fields";
import { Chart, type Marker } from "./Chart";
import { accuracySeries, deadFractionSeries, gradNormSeries, layerGradientSeries, lossCaption, lossSeries } from "./series";

type History = readonly TrainingHistoryEntry[];

/** Lines across a chart: the scrubbed step, a fork. */
type Markers = { markers?: readonly Marker[] | undefined };

/** Train and test loss per epoch, log scale on request; the caption sums the curves up in words. */
export function LossChart({ history, markers }: { history: History } & Markers) {
  const [log, setLog] = useState(false);
  const series = useMemo(() => lossSeries(history), [history]);
  return (
    <figure className="training-figure">
      <figcaption>{lossCaption(history)}</figcaption>
      <Chart series={series} log={log} height={130} markers={markers} />
      <CheckboxField label="Log scale" checked={log} onChange={setLog} />
    </figure>
  );
}

/** Train and test accuracy per epoch. */
export function AccuracyChart({ history, markers }: { history: History } & Markers) {
  const series = useMemo(() => accuracySeries(history), [history]);
  const last = history[history.length - 1];
  const caption =
    last === undefined
      ? "Accuracy: no epoch finished yet"
      : `Accuracy: train ${percent(last.train_accuracy)}, test ${percent(last.test_accuracy)}`;
  return <ChartFigure caption={caption} series={series} height={90} markers={markers} />;
}

/** One line per weight matrix: the norm of its gradient at the end of each epoch. */
export function GradNormChart({ history }: { history: History }) {
  const series = useMemo(() => gradNormSeries(history), [history]);
  const caption =
    series.names.length === 0
      ? "Gradient norms: no epoch finished yet"
      : `Gradient norms of ${series.names.join(", ")} per epoch`;
  return <ChartFigure caption={caption} series={series} height={120} />;
}

const FRACTION: [number, number] = [0, 1];

/** One line per hidden layer: the fraction of its ReLU units dead on the training set per epoch. */
export function DeadUnitsChart({ history }: { history: History }) {
  const series = useMemo(() => deadFractionSeries(history), [history]);
  const measured = series.data.slice(1).some((column) => column.some((value) => value !== null));
  const caption =
    series.names.length === 0
      ? "Dead units: no epoch finished yet"
      : measured
        ? "Dead units per hidden layer per epoch (fraction of the layer)"
        : "Dead units: only ReLU units die";
  // A fraction: always 0 to 1, so a layer with no dead units reads as none, not as a range around 0.
  return <ChartFigure caption={caption} series={series} range={FRACTION} height={110} />;
}

/** Each hidden layer's weight and bias gradient norms per epoch, on a log scale (zeros left out). */
export function LayerGradientChart({ history }: { history: History }) {
  const series = useMemo(() => layerGradientSeries(history), [history]);
  const caption =
    series.names.length === 0
      ? "Hidden layers' gradient norms: no epoch finished yet"
      : "Hidden layers' gradient norms per epoch (log scale; a zero leaves a gap)";
  return <ChartFigure caption={caption} series={series} log height={120} />;
}

/** A chart under its caption, which says in words what it shows. */
function ChartFigure({ caption, ...chart }: { caption: string } & ComponentProps<typeof Chart>) {
  return (
    <figure className="training-figure">
      <figcaption>{caption}</figcaption>
      <Chart {...chart} />
    </figure>
  );
}

function percent(value: number | null): string {
  return value === null ? "–" : `${(value * 100).toFixed(1)}%`;
}
