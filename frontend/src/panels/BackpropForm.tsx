/** The form that runs backprop from one variable, and the controls that play its steps back. */
import { useState, type FormEvent } from "react";
import { position, type Playback, type PlayedStep } from "../state/animation";
import { PLAYER_KEYS_HELP } from "../state/playerKeys";
import type { LiveVariable } from "../state/liveState";
import { SPEEDS, type BackpropAnimation } from "../state/useBackpropAnimation";
import { FormError } from "./FormError";
import { CheckboxField, SelectField } from "./fields";
import { Panel } from "./Panel";
import { useSubmit } from "./useSubmit";

interface BackpropFormProps {
  variables: LiveVariable[];
  animation: BackpropAnimation;
  /** The chain rule of the step shown, one line per parent; empty when none is shown. */
  rule: string[];
  /** Backprop is disabled (a damaged workspace, until its owner repairs it). */
  readOnly: boolean;
  onBackprop: (variable: string) => Promise<void>;
}

/** Picks the variable to differentiate (by default the newest gate output) and runs backprop. */
export function BackpropForm({ variables, animation, rule, readOnly, onBackprop }: BackpropFormProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  const { pending, error, run, fail, fieldError, clearField } = useSubmit();
  const variableNames = variables.map((v) => v.name);
  const variable = chosen !== null && variableNames.includes(chosen) ? chosen : newestResult(variables);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (variable === "") return fail("Add a variable first: backprop starts from one.", "variable");
    await run(() => onBackprop(variable), new Set(["variable"]));
  }

  return (
    <Panel title="Backprop">
      <form className="form" onSubmit={submit} noValidate>
        <fieldset className="form" disabled={readOnly}>
          <SelectField
            label="Backprop from"
            value={variable}
            options={variableNames}
            onChange={(name) => {
              clearField("variable");
              setChosen(name);
            }}
            error={fieldError("variable")}
          />
          <button type="submit" disabled={pending}>
            Backprop
          </button>
        </fieldset>
        <FormError message={error} />
      </form>
      <Player animation={animation} rule={rule} />
    </Panel>
  );
}

/**
 * Rewatch, Play/Pause, Step back, Step, speed, "Skip animation" and "Show steps off the path";
 * which step is on screen and its rule.
 */
function Player({ animation, rule }: { animation: BackpropAnimation; rule: string[] }) {
  const { playback, shown } = animation;
  const showing = playback.kind === "showing";
  const playing = showing && playback.playing;
  return (
    <div className="player">
      <div className="button-row">
        <button
          type="button"
          className="button--quiet button--small"
          disabled={showing || animation.last === null}
          title={animation.last === null ? undefined : `Plays the last backprop, from ${animation.last.root}, again`}
          onClick={animation.replay}
        >
          Rewatch
        </button>
        <button
          type="button"
          className="button--quiet button--small"
          disabled={!showing}
          onClick={playing ? animation.pause : animation.play}
        >
          {playing ? "Pause" : "Play"}
        </button>
        <button type="button" className="button--quiet button--small" disabled={!showing} onClick={animation.back}>
          Step back
        </button>
        <button type="button" className="button--quiet button--small" disabled={!showing} onClick={animation.step}>
          Step
        </button>
        <SelectField
          label="Speed"
          value={String(animation.speed)}
          options={SPEEDS.map(String)}
          optionLabel={(value) => `${value} steps/s`}
          onChange={(value) => animation.setSpeed(Number(value))}
          inline
        />
      </div>
      <CheckboxField label="Skip animation" checked={animation.skip} onChange={animation.setSkip} />
      <CheckboxField label="Show steps off the path" checked={animation.showOffPath} onChange={animation.setShowOffPath} />
      <p role="status" className="player__status">
        {showing ? statusOf(playback, shown) : ""}
      </p>
      {rule.length === 0 ? null : (
        <ul className="player__rule" aria-label="Chain rule of this step">
          {rule.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <p className="player__help">{PLAYER_KEYS_HELP}</p>
    </div>
  );
}

/** Which step is on screen (or that none has run yet), marked when off the path, and how many are passed over. */
function statusOf(playback: Extract<Playback, { kind: "showing" }>, shown: PlayedStep | null): string {
  const { at, count, hidden } = position(playback);
  const passed = hidden === 0 ? "" : ` (${hidden} off the path passed over)`;
  if (shown === null) return `Before step 1 of ${count}: the grads as they were${passed}`;
  const mark = shown.offPath ? ", off the path" : "";
  return `Step ${at} of ${count}: ${shown.gate} #${shown.node}${mark}${passed}`;
}

/** The newest variable a gate produced, else the newest variable, else "". */
function newestResult(variables: LiveVariable[]): string {
  const computed = variables.filter((v) => v.created_by !== null);
  return (computed.at(-1) ?? variables.at(-1))?.name ?? "";
}
