/** The training playground: setup on the left, controls and live views of the run on the right. */
import { useState, type ReactNode } from "react";
import { FormError } from "../panels/FormError";
import type { LiveState } from "../state/liveState";
import type { Workspace } from "../state/useWorkspace";
import { BoundaryPlot } from "./BoundaryPlot";
import { AccuracyChart, GradNormChart, LossChart } from "./Charts";
import { DEFAULT_CONFIG } from "./config";
import { ConfigForm } from "./ConfigForm";
import { DataEditor, type PickMode } from "./DataEditor";
import { LatestMetrics } from "./LatestMetrics";
import { LayerHealthView } from "./LayerHealthView";
import { NetworkView } from "./NetworkView";
import { StepGraph } from "./StepGraph";
import { TrainingControls } from "./TrainingControls";
import { useNetwork } from "./useNetwork";
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
  const network = useNetwork(workspace);
  const { status } = training;
  const { readOnly } = workspace;
  const config = status?.config ?? DEFAULT_CONFIG;
  // The form starts from the run's config once it is known; a viewer's form follows every change.
  const formKey = !training.loaded ? "loading" : readOnly ? JSON.stringify(config) : status === null ? "new" : "run";
  const editing = status?.config.dataset.kind === "custom" && !readOnly;
  const userData = useUserData(workspace, editing);
  const [pickMode, setPickMode] = useState<PickMode>({ label: 0, removing: false });

  return (
    <div className="training" data-training-ready={training.loaded ? "true" : "false"}>
      <aside className="sidebar" aria-label="Training setup">
        {workspace.viewer ? <p className="sidebar__note">You opened a viewer link: you can watch training but not change it.</p> : null}
        <fieldset className="sidebar__controls" disabled={readOnly || !training.loaded}>
          <ConfigForm key={formKey} initial={config} onApply={training.configure} />
        </fieldset>
      </aside>
      <main className="training__main">
        <TrainingControls status={status} readOnly={readOnly} onControl={training.control} />
        {training.loadError === null ? null : (
          <FormError message={`Could not refresh the training run: ${training.loadError.message}`} />
        )}
        <div className="training__grid">
          <Card title="Data and decision boundary" className="training-card--boundary">
            <BoundaryPlot
              boundary={training.boundary}
              points={training.points}
              step={status?.step ?? 0}
              onPick={
                editing
                  ? (point, remove, reach) => userData.pick(point, remove || pickMode.removing, reach, pickMode.label)
                  : undefined
              }
            />
            <LatestMetrics metrics={status?.metrics ?? null} />
            {editing ? <DataEditor data={userData} mode={pickMode} onMode={setPickMode} /> : null}
          </Card>
          <Card title="Loss and accuracy">
            <LossChart history={status?.history ?? []} />
            <AccuracyChart history={status?.history ?? []} />
          </Card>
          <Card title="Gradients and weights">
            <GradNormChart history={status?.history ?? []} />
            <WeightsView variables={state.variables} parameters={status?.parameters ?? []} />
          </Card>
          <Card title="Are the layers learning?">
            <LayerHealthView layers={status?.layers ?? []} history={status?.history ?? []} />
          </Card>
          <Card title="The network, drawn" className="training-card--network">
            <NetworkView network={network} readOnly={readOnly} />
          </Card>
          <Card title="One training step on the tape" className="training-card--wide">
            <StepGraph nodes={status?.graph ?? []} step={status?.step ?? 0} />
          </Card>
        </div>
      </main>
    </div>
  );
}

function Card({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <section className={className === undefined ? "training-card" : `training-card ${className}`}>
      <h2 className="training-card__title">{title}</h2>
      {children}
    </section>
  );
}
