/** The runs of the training: a list of them, the fork form, and any two runs' curves overlaid. */
import { useMemo, useState } from "react";
import { Chart } from "./Chart";
import { defaultPair, describeRun, forkEpochs, overlaySeries } from "./compare";
import { ForkForm } from "./ForkForm";
import { RunSelect } from "./RunSelect";
import type { RunSummary } from "./timelineApi";
import type { Runs } from "./useRuns";
import "./timeline.css";

interface RunsPanelProps {
  runs: Runs;
  /** The step the timeline shows, where a fork continues from; null before a run exists. */
  step: number | null;
  readOnly: boolean;
  /** A regression has no accuracy to overlay. */
  regression: boolean;
  /** Called once a fork made a new run. */
  onForked: () => void;
}

/** Every kept run in words, the fork form, and two menus choosing the runs the charts overlay. */
export function RunsPanel({ runs, step, readOnly, regression, onForked }: RunsPanelProps) {
  const [chosen, setChosen] = useState<[number, number] | null>(null);
  const list = runs.runs;
  const pair = validPair(chosen, list) ?? defaultPair(list);
  if (step === null || list.length === 0) return <p className="field__hint">No run yet: apply a setup to fork it.</p>;

  return (
    <div className="runs">
      <ol className="runs__list" aria-label="Runs">
        {list.map((run) => (
          <li key={run.id}>{describeRun(run)}</li>
        ))}
      </ol>
      <ForkForm runs={runs} step={step} disabled={readOnly} onForked={onForked} />
      {pair === null ? (
        <p className="field__hint">Fork the run to compare two runs here.</p>
      ) : (
        <>
          <div className="runs__pair">
            {pair.map((id, side) => (
              <label key={side}>
                {side === 0 ? "Compare run" : "with run"}{" "}
                <RunSelect runs={list} value={id} onChange={(chosen) => setChosen(side === 0 ? [chosen, pair[1]] : [pair[0], chosen])} />
              </label>
            ))}
          </div>
          <Overlay runs={pair.map((id) => list.find((run) => run.id === id)).filter((run) => run !== undefined)} regression={regression} />
        </>
      )}
    </div>
  );
}

/** The loss (and accuracy) curves of the runs on one chart each, the fork epoch dashed. */
function Overlay({ runs, regression }: { runs: RunSummary[]; regression: boolean }) {
  const loss = useMemo(() => overlaySeries(runs, [["train loss", "train_loss"], ["test loss", "test_loss"]]), [runs]);
  const accuracy = useMemo(() => overlaySeries(runs, [["test accuracy", "test_accuracy"]]), [runs]);
  const markers = useMemo(() => forkEpochs(runs).map((x) => ({ x, dashed: true })), [runs]);
  const ids = runs.map((run) => `run ${run.id}`).join(" and ");
  const forked = markers.length === 0 ? "" : `, forked at epoch ${markers.map((marker) => marker.x).join(", ")} (dashed)`;
  return (
    <>
      <figure className="training-figure" aria-label={`Loss of ${ids}${forked}`}>
        <figcaption>
          Loss of {ids}
          {forked}
        </figcaption>
        <Chart series={loss} markers={markers} height={130} />
      </figure>
      {regression ? null : (
        <figure className="training-figure" aria-label={`Test accuracy of ${ids}`}>
          <figcaption>Test accuracy of {ids}</figcaption>
          <Chart series={accuracy} markers={markers} height={100} />
        </figure>
      )}
    </>
  );
}

/** The chosen pair while both runs are still kept. */
function validPair(pair: [number, number] | null, runs: readonly RunSummary[]): [number, number] | null {
  if (pair === null) return null;
  return pair.every((id) => runs.some((run) => run.id === id)) ? pair : null;
}
