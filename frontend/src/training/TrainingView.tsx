/** The training playground: setup on the left, controls and live views of the run on the right. */
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { TrainingConfig } from "../api/types";
import { sameJson } from "../json";
import { FormError } from "../panels/FormError";
import type { LiveState } from "../state/liveState";
import type { Workspace } from "../state/useWorkspace";
import { emptyBoundary } from "./boundary";
import { BoundaryPlot } from "./BoundaryPlot";
import { AccuracyChart, GradNormChart, LossChart } from "./Charts";
import { MULTICLASS_KINDS, newRunConfig, REGRESSION_KINDS } from "./config";
import { ConfigForm } from "./ConfigForm";
import { DataEditor, type PickMode } from "./DataEditor";
import { LatestMetrics } from "./LatestMetrics";
import { LayerHealthView } from "./LayerHealthView";
import { LayersOverTime } from "./LayersOverTime";
import { NetworkView } from "./NetworkView";
import { RunsPanel } from "./RunsPanel";
import { StepGraph } from "./StepGraph";
import { TimelineSlider } from "./TimelineSlider";
import { TrainingControls } from "./TrainingControls";
import { setupOf, withSetup } from "./setupLink";
import { type Network, useNetwork } from "./useNetwork";
import { useHistograms } from "./useHistograms";
import { useInView } from "./useInView";
import { usePreviewPoints, type DataPoints } from "./usePreviewPoints";
import { useRuns } from "./useRuns";
import { type Scrubbing, useTimeline } from "./useTimeline";
import { useTraining } from "./useTraining";
import { useUserData } from "./useUserData";
import { WeightsView } from "./WeightsView";
import "./training.css";

interface TrainingViewProps {
  workspace: Workspace;
  state: LiveState;
}

/**
 * Everything about the workspace's training run. Its root carries data-training-ready="true"
 * once the server has said whether a run exists. Viewers see it all with every control disabled.
 */
export function TrainingView({ workspace, state }: TrainingViewProps) {
  const training = useTraining(workspace);
  const { status } = training;
  const { readOnly } = workspace;
  const configured = status !== null && status.state !== "unconfigured";
  const network = useNetwork(workspace, configured);
  const setup = configured ? JSON.stringify([status.config.dataset, status.config.model, status.config.loss]) : "";
  const scrubbing = useTimeline(workspace, configured, setup);
  const { selected, past } = scrubbing;
  const runs = useRuns(workspace, configured);
  // The histograms bin every kept step on the server: asked for only while their panel is in view.
  const layersPanel = useRef<HTMLDivElement>(null);
  const histograms = useHistograms(workspace, useInView(layersPanel), keptSteps(scrubbing));
  // The layer whose distributions show: the last one hovered in the network or picked in the menu.
  const [layer, setLayer] = useState(1);
  // Before a run is set up the form offers the server's defaults (slowed to watch); before the
  // server has answered it offers nothing.
  const config = status === null ? null : configured ? status.config : newRunConfig(status.config);
  const linked = useLinkedSetup(training, readOnly);
  // The form starts from the run's config once it is known (again once a link's setup is
  // applied); a viewer's form follows every change. The form's own first change sets the run
  // up without starting it over: what is being typed meanwhile stays.
  const formKey = !training.loaded ? "loading" : readOnly ? JSON.stringify(config) : `form-${linked}`;
  const editing = configured && status.config.dataset.kind === "custom" && !readOnly;
  const userData = useUserData(workspace, editing);
  const [pickMode, setPickMode] = useState<PickMode>({ label: 0, removing: false });
  const [draft, setDraft] = useState<TrainingConfig | null>(config);
  // The user's own points being edited are the run's: no preview of them, the plot takes clicks.
  const previewed = editing && draft?.dataset.kind === "custom" ? status.config.dataset : (draft?.dataset ?? null);
  const preview = usePreviewPoints(workspace.access, previewed, status?.config.dataset ?? null);
  const plot = plotted(training, preview, past);
  const regression = config !== null && REGRESSION_KINDS.includes(config.dataset.kind);

  return (
    <div className="training" data-training-ready={training.loaded ? "true" : "false"}>
      <aside className="sidebar" aria-label="Training setup">
        {workspace.viewer ? <p className="sidebar__note">You opened a viewer link: you can watch training but not change it.</p> : null}
        <fieldset className="sidebar__controls" disabled={readOnly || !training.loaded}>
          {config === null ? null : (
            <ConfigForm
              key={formKey}
              initial={config}
              run={configured ? status.config : null}
              onApply={training.configure}
              onAdjust={training.adjust}
              onDraft={setDraft}
            />
          )}
        </fieldset>
      </aside>
      <main className="training__main">
        <TrainingControls status={status} readOnly={readOnly} onControl={(action) => (draft === null ? Promise.resolve() : training.control(action, draft))} />
        {linked === "refused" ? <FormError message="The setup in this link was refused: the run keeps its own." /> : null}
        {training.loadError === null ? null : (
          <FormError message={`Could not refresh the training run: ${training.loadError.message}`} />
        )}
        <div className="training__grid">
          <Card title="Data and decision boundary" className="training-card--boundary">
            <BoundaryPlot
              {...plot}
              onPick={
                editing && preview === null
                  ? (point, remove, reach) => userData.pick(point, remove || pickMode.removing, reach, pickMode.label)
                  : undefined
              }
            />
            {preview !== null && configured ? (
              <p className="field__hint" role="note">
                New data, not trained on yet: Apply starts the run over on it.
              </p>
            ) : null}
            <LatestMetrics metrics={selected?.metrics ?? status?.metrics ?? null} />
            {editing ? <DataEditor data={userData} mode={pickMode} onMode={setPickMode} /> : null}
          </Card>
          {/* A regression has no classes to be right about: its card shows the loss alone. */}
          <Card title={regression ? "Loss" : "Loss and accuracy"}>
            <LossChart history={status?.history ?? []} markers={cursorAt(scrubbing)} />
            {regression ? null : <AccuracyChart history={status?.history ?? []} markers={cursorAt(scrubbing)} />}
            <TimelineSlider scrubbing={scrubbing} />
          </Card>
          <Card title="Gradients and weights">
            <GradNormChart history={status?.history ?? []} />
            <WeightsView variables={state.variables} parameters={status?.parameters ?? []} />
          </Card>
          <Card title="Are the layers learning?">
            <LayerHealthView layers={status?.layers ?? []} history={status?.history ?? []} />
          </Card>
          <Card title="The network, drawn" className="training-card--network">
            {/* A past step's weights are history: only the live ones can be edited. */}
            <NetworkView
              network={shownNetwork(network, scrubbing)}
              readOnly={readOnly || past !== null}
              onHoverLayer={(hovered) => hovered !== null && setLayer(hovered)}
            />
            <div ref={layersPanel}>
              <LayersOverTime histograms={histograms} layer={layer} onLayer={setLayer} step={selected?.step ?? null} />
            </div>
          </Card>
          <Card title="Runs: fork and compare">
            <RunsPanel runs={runs} step={forkStep(scrubbing)} readOnly={readOnly} regression={regression} onForked={scrubbing.goLive} />
          </Card>
          <Card title="One training step on the tape" className="training-card--wide">
            <StepGraph nodes={status?.graph ?? []} step={status?.step ?? 0} />
          </Card>
        </div>
      </main>
    </div>
  );
}

/** What the kept steps are: the run and its newest kept step; null while there is no timeline. */
function keptSteps({ timeline }: Scrubbing): string | null {
  return timeline === null ? null : `${timeline.run}:${timeline.steps.at(-1)?.step ?? "none"}`;
}

/** Where a setup carried by the page's link stands: none, applied, or refused by the server. */
type LinkedSetup = "none" | "applied" | "refused";

/**
 * Applies the setup the page's link carries (once, where the run may be changed and differs
 * from it), and keeps the link's setup that of the run, so copying the address shares it.
 */
function useLinkedSetup(training: ReturnType<typeof useTraining>, readOnly: boolean): LinkedSetup {
  const [linked] = useState(() => setupOf(window.location.search));
  const [outcome, setOutcome] = useState<LinkedSetup>("none");
  const { loaded, status, configure } = training;
  useEffect(() => {
    if (!loaded || readOnly || linked === null) return;
    if (status !== null && status.state !== "unconfigured" && sameJson(linked, status.config)) return;
    configure(linked).then(
      () => setOutcome("applied"),
      () => setOutcome("refused"),
    );
    // Once, when the run is first known: later changes are the user's own.
  }, [loaded]);
  const applied = status === null || status.state === "unconfigured" ? null : JSON.stringify(status.config);
  useEffect(() => {
    if (applied !== null) window.history.replaceState(null, "", withSetup(window.location.href, JSON.parse(applied) as TrainingConfig));
  }, [applied]);
  return outcome;
}

/** What the boundary plot draws: data not applied yet on a blank frame, else the run's data and
 * boundary (a neutral one before a run is set up), at the scrubbed step when one is `past`. */
function plotted(training: ReturnType<typeof useTraining>, preview: DataPoints | null, past: Scrubbing["past"]) {
  const { status } = training;
  if (preview !== null) {
    return { boundary: emptyBoundary(preview.points), points: preview.points, step: null, data: describe(preview.dataset) };
  }
  return {
    boundary: past?.boundary ?? training.boundary,
    points: training.points,
    step: past?.step ?? (status === null || status.state === "unconfigured" ? null : status.step),
    data: status === null ? "" : describe(status.config.dataset),
  };
}

/** The charts' cursor at the scrubbed step's epoch (whose metrics the page shows); none when live. */
function cursorAt({ selected }: Scrubbing) {
  return selected === null ? [] : [{ x: selected.epoch }];
}

/** Where a fork continues from: the scrubbed step, else the newest kept one; null before a run. */
function forkStep({ selected, timeline }: Scrubbing): number | null {
  return selected?.step ?? timeline?.steps[timeline.steps.length - 1]?.step ?? null;
}

/** The network at the scrubbed step once it is drawn, else the live one. */
function shownNetwork(network: Network, { past }: Scrubbing): Network {
  return past === null ? network : { ...network, drawing: past.network };
}

/** "moons, noise 0.1", "blobs, 3 classes, noise 0.1", "custom data". */
function describe(dataset: TrainingConfig["dataset"]): string {
  if (dataset.kind === "custom") return "custom data";
  const classes = MULTICLASS_KINDS.includes(dataset.kind) && dataset.classes > 2 ? `, ${dataset.classes} classes` : "";
  return `${dataset.kind}${classes}, noise ${dataset.noise}`;
}

function Card({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <section className={className === undefined ? "training-card" : `training-card ${className}`}>
      <h2 className="training-card__title">{title}</h2>
      {children}
    </section>
  );
}
