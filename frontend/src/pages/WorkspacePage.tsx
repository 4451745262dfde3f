/** The workspace page: panels that change the workspace beside the graph that shows it. */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import type { BackpropRequest } from "../api/types";
import { GraphCanvas } from "../graph/GraphCanvas";
import { prewarmLayout } from "../graph/layout";
import { BackpropForm } from "../panels/BackpropForm";
import { ExpressionConsole } from "../panels/ExpressionConsole";
import { OptimizerForm } from "../panels/OptimizerForm";
import { FormError } from "../panels/FormError";
import { GateForm } from "../panels/GateForm";
import { Inspector } from "../panels/Inspector";
import { scalarsOf, stepRule } from "../panels/stepRule";
import { TapeControls, TapePanel } from "../panels/TapePanel";
import { VariableForm } from "../panels/VariableForm";
import type { WorkspaceView } from "../router";
import { atStep, gradsBefore, nodesOnPath } from "../state/animation";
import type { LiveState } from "../state/liveState";
import { tapeMemory } from "../state/tapeMemory";
import { useBackpropAnimation } from "../state/useBackpropAnimation";
import { usePlayerKeys } from "../state/usePlayerKeys";
import { useGates, type Gates } from "../state/useGates";
import { TensorCacheContext } from "../state/useTensors";
import { useWorkspace, type Workspace } from "../state/useWorkspace";
import { ControlsSheet } from "./ControlsSheet";
import { PanelBoundary } from "./PanelBoundary";
import { DamageBanner } from "./DamageBanner";
import { DeadEndPage } from "./DeadEndPage";
import { TopBar } from "./TopBar";
import { ViewerGuide } from "./ViewerGuide";
import "./pages.css";

// The training view (and uPlot with it) loads only when it is first opened.
const TrainingView = lazy(() => import("../training/TrainingView").then((module) => ({ default: module.TrainingView })));

/**
 * Opens workspace `id` with `token`, showing its graph or its training `view`. Its root carries
 * data-ready="true" once the state has loaded, data-seq with the number of the last event the
 * state on screen includes, and data-access ("write" or "read") once the server has said what
 * the token may do. A workspace that can never be shown (deleted, or a wrong link) gives way to
 * a page that says why.
 */
export function WorkspacePage({ id, token, view }: { id: string; token: string; view: WorkspaceView }) {
  const workspace = useWorkspace(id, token);
  const gates = useGates(token);
  const { state, loadError } = workspace;
  // The layout worker loads while the state does, so the graph is laid out sooner.
  useEffect(() => {
    if (view === "graph") prewarmLayout();
  }, [view]);
  if (workspace.deadEnd !== null) return <DeadEndPage id={id} deadEnd={workspace.deadEnd} />;
  return (
    <div
      className="workspace"
      data-ready={state === null ? "false" : "true"}
      data-seq={state?.seq}
      data-access={workspace.viewer ? "read" : "write"}
    >
      <TensorCacheContext.Provider value={workspace.tensors}>
        <TopBar workspace={workspace} view={view} />
        {state?.damage ? (
          <DamageBanner damage={state.damage} canRepair={!workspace.viewer} repair={workspace.repair} />
        ) : null}
        {state === null ? (
          <main className="workspace__status">
            {loadError === null ? <p>Loading workspace…</p> : <FormError message={loadError.message} />}
          </main>
        ) : view === "training" ? (
          <Suspense fallback={<main className="workspace__status">Loading the training view…</main>}>
            <PanelBoundary>
              <TrainingView workspace={workspace} state={state} />
            </PanelBoundary>
          </Suspense>
        ) : (
          <Loaded workspace={workspace} state={state} gates={gates} />
        )}
      </TensorCacheContext.Provider>
    </div>
  );
}

interface LoadedProps {
  workspace: Workspace;
  state: LiveState;
  gates: Gates;
}

function Loaded({ workspace, state, gates }: LoadedProps) {
  const [selected, setSelected] = useState<string | null>(null);
  const pathOf = useCallback((root: string) => nodesOnPath(state, root), [state]);
  const animation = useBackpropAnimation(state.id, pathOf);
  const names = state.variables.map((variable) => variable.name);
  const inspected = selected !== null && names.includes(selected) ? selected : null;
  // While a backprop plays, the page shows the workspace as it was at the step on screen.
  const shownState = useMemo(() => atStep(state, animation.pending), [state, animation.pending]);
  const marks = useMemo(
    () => ({ selected: inspected, step: animation.shown, grads: animation.grads }),
    [inspected, animation.shown, animation.grads],
  );
  usePlayerKeys(animation);
  const activeNode = useMemo(
    () => state.history.find((node) => node.id === animation.shown?.node) ?? null,
    [state.history, animation.shown],
  );
  const root = animation.last?.root ?? "";
  const rule = useMemo(() => {
    if (activeNode === null || animation.shown === null) return [];
    if (animation.shown.offPath) return [offPathNote(root)];
    return stepRule(activeNode, animation.shown, scalarsOf(state));
  }, [activeNode, animation.shown, state, root]);
  const { backprop } = workspace;
  const { start } = animation;
  const runBackprop = useCallback(
    async (request: BackpropRequest) => {
      const before = gradsBefore(state);
      start({ root: request.variable, steps: (await backprop(request)).steps, before });
    },
    [backprop, start, state],
  );
  const close = useCallback(() => setSelected(null), []);

  return (
    <>
      <ControlsSheet>
        <PanelBoundary>
          {workspace.loadError === null ? null : (
            <FormError message={`Could not refresh the workspace: ${workspace.loadError.message}`} />
          )}
          {workspace.viewer ? (
            <ViewerGuide />
          ) : (
            <>
              <fieldset className="sidebar__controls" disabled={workspace.readOnly}>
                <ExpressionConsole onRun={workspace.evaluate} workspaceId={state.id} />
              </fieldset>
              <BackpropForm
                variables={state.variables}
                animation={animation}
                rule={rule}
                readOnly={workspace.readOnly}
                onBackprop={(variable) => runBackprop({ variable })}
              />
              <OptimizerForm
                variables={state.variables}
                watched={root === "" ? null : { name: root, value: scalarsOf(state)(root) }}
                readOnly={workspace.readOnly}
                onStep={workspace.optimizerStep}
                onZeroGrad={workspace.zeroGrad}
              />
              <fieldset className="sidebar__controls" disabled={workspace.readOnly}>
                <VariableForm onAdd={workspace.addVariable} />
                <GateForm
                  gates={gates.gates}
                  gatesError={gates.error?.message ?? null}
                  variableNames={names}
                  onApply={workspace.applyGate}
                  onPreview={workspace.previewGate}
                />
              </fieldset>
            </>
          )}
        </PanelBoundary>
      </ControlsSheet>
      <main className="canvas">
        <div className="canvas__tape">
          <PanelBoundary>
            <TapePanel
              tape={shownState.tape}
              active={activeNode}
              tapeMemory={animation.pending === null ? tapeMemory(state) : null}
              noGrad={state.no_grad}
            >
              {workspace.viewer ? null : (
                <TapeControls
                  noGrad={state.no_grad}
                  disabled={workspace.readOnly}
                  onNoGrad={workspace.setNoGrad}
                  onZeroGrads={() => workspace.zeroGrad()}
                />
              )}
            </TapePanel>
          </PanelBoundary>
        </div>
        <div className="canvas__graph">
          <PanelBoundary>
            <GraphCanvas state={shownState} token={workspace.access.token} marks={marks} onSelect={setSelected} />
          </PanelBoundary>
        </div>
      </main>
      {inspected === null ? null : (
        <PanelBoundary>
          <Inspector workspace={workspace} state={state} name={inspected} onBackprop={runBackprop} onClose={close} />
        </PanelBoundary>
      )}
    </>
  );
}

/** What the player says of a step off the path: why its gradient is zero. */
function offPathNote(root: string): string {
  return `Off the path to ${root}: ${root} does not depend on this node, so its upstream gradient is zero and it sends nothing.`;
}
