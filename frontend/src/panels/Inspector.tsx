/** The inspector: one variable in full, where it came from and goes, and actions on it. */
import { useEffect, useState, type FormEvent } from "react";
import type { BackpropRequest, GraphNode } from "../api/types";
import { formatShape } from "../format";
import { variableRole } from "../graph/variableRole";
import { parseValue } from "../parse";
import type { LiveState, LiveVariable } from "../state/liveState";
import { useTensors } from "../state/useTensors";
import type { Workspace } from "../state/useWorkspace";
import { TextField } from "./fields";
import { FormError } from "./FormError";
import { Diagnostics } from "./Diagnostics";
import { GradcheckControl } from "./GradcheckControl";
import { TensorView } from "./TensorView";
import { useSubmit } from "./useSubmit";

interface InspectorProps {
  workspace: Workspace;
  state: LiveState;
  name: string;
  onBackprop: (request: BackpropRequest) => Promise<void>;
  onClose: () => void;
}

/**
 * A side panel for variable `name`, drawn from the state (a large tensor's values load when the
 * panel shows them); Esc or the Close button closes it.
 */
export function Inspector({ workspace, state, name, onBackprop, onClose }: InspectorProps) {
  const variable = state.variables.find((known) => known.name === name) ?? null;
  useCloseOnEscape(onClose);
  return (
    <aside className="inspector" aria-label={`Inspector for ${name}`}>
      <div className="inspector__head">
        <h2 className="inspector__title">
          <code>{name}</code>
        </h2>
        <button type="button" className="button--quiet button--small" onClick={onClose} aria-label="Close inspector">
          Close
        </button>
      </div>
      {variable === null ? null : <Details variable={variable} state={state} />}
      {variable === null ? null : (
        <Actions workspace={workspace} state={state} variable={variable} onBackprop={onBackprop} />
      )}
    </aside>
  );
}

function Details({ variable, state }: { variable: LiveVariable; state: LiveState }) {
  const { value, grad } = useTensors(variable);
  const nodes = new Map<number, GraphNode>(state.history.map((node) => [node.id, node]));
  const describe = (id: number) => `#${id} ${nodes.get(id)?.gate ?? ""}`.trim();
  const consumedBy = state.history.filter((node) => node.inputs.includes(variable.name)).map((node) => node.id);
  return (
    <>
      <dl className="inspector__meta">
        <dt>shape</dt>
        <dd>
          {formatShape(variable.shape)} <span className="muted">{variable.dtype}</span>
        </dd>
        <dt>role</dt>
        <dd aria-label="role">{variableRole(variable)}</dd>
        <dt>requires grad</dt>
        <dd>{variable.requires_grad ? "yes" : "no"}</dd>
        <dt>created by</dt>
        <dd aria-label="created by">{variable.created_by === null ? "made by hand" : describe(variable.created_by)}</dd>
        <dt>consumed by</dt>
        <dd aria-label="consumed by">
          {consumedBy.length === 0 ? "nothing yet" : consumedBy.map(describe).join(", ")}
        </dd>
      </dl>
      <h3 className="inspector__section">value</h3>
      {value === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <TensorView label={`${variable.name} full value`} value={value} shape={variable.shape} scale="sequential" />
      )}
      <h3 className="inspector__section">grad</h3>
      {variable.grad === null ? (
        <p className="muted">{noGradNote(variable)}</p>
      ) : grad === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <TensorView label={`${variable.name} full grad`} value={grad} shape={variable.shape} scale="diverging" />
      )}
      <Diagnostics name={variable.name} health={variable.health} anomalies={state.anomalies} />
    </>
  );
}

/** Why the variable has no gradient to show. */
function noGradNote(variable: LiveVariable): string {
  if (variable.requires_grad) return "No gradient yet.";
  return variableRole(variable) === "const" ? "A constant has no gradient." : "Computed from constants only: no gradient.";
}

interface ActionsProps {
  workspace: Workspace;
  state: LiveState;
  variable: LiveVariable;
  onBackprop: (request: BackpropRequest) => Promise<void>;
}

function Actions({ workspace, state, variable, onBackprop }: ActionsProps) {
  const [seed, setSeed] = useState("");
  const writes = useSubmit();

  async function backprop(event: FormEvent) {
    event.preventDefault();
    const request: BackpropRequest = { variable: variable.name };
    if (seed.trim() !== "") {
      const parsed = parseValue(seed);
      if (!parsed.ok) return writes.fail(parsed.message);
      request.seed = parsed.value;
    }
    await writes.run(() => onBackprop(request));
  }

  return (
    <div className="inspector__actions">
      {workspace.viewer ? null : (
        <form className="form" onSubmit={(event) => void backprop(event)} noValidate>
          <fieldset className="form" disabled={workspace.readOnly || writes.pending}>
            <TextField label="Seed" value={seed} onChange={setSeed} placeholder="ones (optional)" />
            <div className="button-row">
              <button type="submit">Backprop from here</button>
              <button
                type="button"
                className="button--quiet"
                onClick={() => void writes.run(() => workspace.zeroGrad([variable.name]))}
              >
                Zero grad
              </button>
            </div>
          </fieldset>
          <FormError message={writes.error} />
        </form>
      )}
      <GradcheckControl workspace={workspace} state={state} variable={variable} />
    </div>
  );
}

/** Calls `onClose` on Esc, unless a modal dialog is open (Esc is the dialog's then). */
function useCloseOnEscape(onClose: () => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && document.querySelector("dialog[open]") === null) onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);
}
