/** Train, Pause, Step and Reset, each enabled only when the run's state allows it, and where the run is. */
import { useState } from "react";
import type { TrainingStatus } from "../api/types";
import { FormError } from "../panels/FormError";
import { asApiError } from "../state/asApiError";
import { allowedActions, type TrainingAction } from "./actions";

const BUTTONS: readonly { action: TrainingAction; label: string; hint: string }[] = [
  { action: "start", label: "Train", hint: "Train in the background until paused (or the stop, if epochs are set)" },
  { action: "pause", label: "Pause", hint: "Stop after the current step" },
  { action: "step", label: "Step", hint: "One minibatch: forward on the tape, backprop, update" },
  { action: "reset", label: "Reset", hint: "Fresh weights, epoch 0, no history" },
];

interface TrainingControlsProps {
  /** The run; null until it is loaded, which disables every control. */
  status: TrainingStatus | null;
  readOnly: boolean;
  onControl: (action: TrainingAction) => Promise<void>;
}

/** The control bar: the four buttons, then "State: running", "Epoch 3 of 50", "Step 30". */
export function TrainingControls({ status, readOnly, onControl }: TrainingControlsProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const allowed = status === null ? null : allowedActions(status.state);

  async function run(action: TrainingAction) {
    setPending(true);
    setError(null);
    try {
      await onControl(action);
    } catch (caught) {
      setError(asApiError(caught).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="training-controls">
      {BUTTONS.map(({ action, label, hint }) => (
        <button
          key={action}
          type="button"
          className={action === "start" ? undefined : "button--quiet"}
          title={hint}
          disabled={readOnly || pending || allowed === null || !allowed[action]}
          onClick={() => void run(action)}
        >
          {label}
        </button>
      ))}
      <div role="status" aria-label="Training progress" className="training-controls__progress">
        {status === null ? (
          <span>Loading the training run…</span>
        ) : status.state === "unconfigured" ? (
          <span>No run yet: Train sets up the one on the left and starts it.</span>
        ) : (
          <>
            <span className={`training-state training-state--${status.state}`}>State: {status.state}</span>
            <span>{status.config.epochs === null ? `Epoch ${status.epoch}` : `Epoch ${status.epoch} of ${status.config.epochs}`}</span>
            <span>Step {status.step}</span>
            {status.state === "done" ? <span>Train goes on from here.</span> : null}
            {status.pause_reason ? <span>Paused by the server: {status.pause_reason}</span> : null}
          </>
        )}
      </div>
      <FormError message={error} />
    </div>
  );
}
