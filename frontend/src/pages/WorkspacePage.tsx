/** The workspace page: panels that change the workspace beside the graph that shows it. */
import type { WorkspaceState } from "../api/types";
import { GraphCanvas } from "../graph/GraphCanvas";
import { BackpropForm } from "../panels/BackpropForm";
import { FormError } from "../panels/FormError";
import { GateForm } from "../panels/GateForm";
import { TapePanel } from "../panels/TapePanel";
import { VariableForm } from "../panels/VariableForm";
import { useGates, type Gates } from "../state/useGates";
import { useWorkspace, type Workspace } from "../state/useWorkspace";
import "./pages.css";

/** Opens workspace `id` with `token`; its root carries data-ready="true" once the state has loaded. */
export function WorkspacePage({ id, token }: { id: string; token: string }) {
  const workspace = useWorkspace(id, token);
  const gates = useGates(token);
  const { state, loadError } = workspace;
  return (
    <div className="workspace" data-ready={state === null ? "false" : "true"}>
      <header className="topbar">
        <a href="/" className="topbar__home">
          <span aria-hidden="true" className="logo">
            ∂
          </span>{" "}
          Wengert
        </a>
        <span className="topbar__id">workspace {id}</span>
      </header>
      {state === null ? (
        <main className="workspace__status">
          {loadError === null ? <p>Loading workspace…</p> : <FormError message={loadError.message} />}
        </main>
      ) : (
        <Loaded workspace={workspace} state={state} gates={gates} />
      )}
    </div>
  );
}

interface LoadedProps {
  workspace: Workspace;
  state: WorkspaceState;
  gates: Gates;
}

function Loaded({ workspace, state, gates }: LoadedProps) {
  const names = state.variables.map((variable) => variable.name);
  return (
    <>
      <aside className="sidebar" aria-label="Controls">
        {workspace.loadError === null ? null : (
          <FormError message={`Could not refresh the workspace: ${workspace.loadError.message}`} />
        )}
        <VariableForm onAdd={workspace.addVariable} />
        <GateForm
          gates={gates.gates}
          gatesError={gates.error?.message ?? null}
          variableNames={names}
          onApply={workspace.applyGate}
        />
        <BackpropForm variables={state.variables} onBackprop={(variable) => workspace.backprop({ variable })} />
      </aside>
      <main className="canvas">
        <GraphCanvas state={state} />
        <div className="canvas__overlay">
          <TapePanel tape={state.tape} noGrad={state.no_grad} />
        </div>
      </main>
    </>
  );
}
