/** The run's timeline under the charts: a slider over the kept steps, Play/Pause at a chosen speed, and Live. */
import { useId } from "react";
import { REPLAY_SPEEDS, stepLabel } from "./timeline";
import type { Scrubbing } from "./useTimeline";
import "./timeline.css";

/**
 * One notch per kept step (they thin out later in a long run), so the arrow keys walk the kept
 * steps one by one and Home/End reach step 0 and the newest. Its value reads as "Step 120 · epoch 3".
 */
export function TimelineSlider({ scrubbing }: { scrubbing: Scrubbing }) {
  const id = useId();
  const { timeline, selected, playing, speed } = scrubbing;
  const steps = timeline?.steps ?? [];
  const newest = steps[steps.length - 1];
  if (newest === undefined) return null;
  const index = selected === null ? steps.length - 1 : steps.indexOf(selected);
  const shown = selected === null ? `Live · ${stepLabel(newest)}` : stepLabel(selected);

  return (
    <section className="timeline" aria-label="Timeline">
      <label htmlFor={id} className="timeline__label">
        Timeline <output htmlFor={id}>{shown}</output>
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={steps.length - 1}
        step={1}
        value={index}
        aria-valuetext={shown}
        onChange={(event) => {
          const kept = steps[Number(event.target.value)];
          if (kept !== undefined) scrubbing.select(kept.step);
        }}
      />
      <div className="timeline__controls">
        <button type="button" className="button--quiet" onClick={scrubbing.togglePlay} disabled={steps.length < 2}>
          {playing ? "Pause replay" : "Replay"}
        </button>
        <label htmlFor={`${id}-speed`} className="timeline__speed">
          Replay speed
        </label>
        <select id={`${id}-speed`} value={speed} onChange={(event) => scrubbing.setSpeed(Number(event.target.value))}>
          {REPLAY_SPEEDS.map((choice, i) => (
            <option key={choice.label} value={i}>
              {choice.label}
            </option>
          ))}
        </select>
        <button type="button" className="button--quiet" onClick={scrubbing.goLive} disabled={selected === null}>
          Live
        </button>
        <span className="timeline__note">
          {steps.length} kept steps{timeline !== null && timeline.spacing > 1 ? `, every ${timeline.spacing} steps after the start` : ""}
        </span>
      </div>
    </section>
  );
}
