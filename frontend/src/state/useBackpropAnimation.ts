/** The backprop player as a hook: steps advance on a timer at the chosen speed while playing. */
import { useEffect, useMemo, useReducer, useState } from "react";
import type { BackpropStep } from "../api/types";
import {
  IDLE,
  pendingNodes,
  playback,
  readStep,
  shownGrads,
  shownStep,
  type GradsBefore,
  type Playback,
  type PlayedStep,
} from "./animation";
import type { GradAtStep } from "./stepGrads";

/** Speeds offered, in steps per second. */
export const SPEEDS = [1, 2, 4, 8, 16] as const;

/** The player's state and controls. */
export interface BackpropAnimation {
  playback: Playback;
  shown: PlayedStep | null;
  pending: ReadonlySet<number> | null;
  /** Each reached variable's grad at the step shown; null when idle. */
  grads: Record<string, GradAtStep> | null;
  speed: number;
  skip: boolean;
  setSpeed(speed: number): void;
  setSkip(skip: boolean): void;
  /** Shows `steps` one by one, from the grads `before` them, unless "Skip animation" is on. */
  start(steps: BackpropStep[], before: GradsBefore): void;
  play(): void;
  pause(): void;
  step(): void;
  back(): void;
  stop(): void;
}

/** A backprop player, idle until start() is called with the steps backprop returned. */
export function useBackpropAnimation(): BackpropAnimation {
  const [state, dispatch] = useReducer(playback, IDLE);
  const [speed, setSpeed] = useState<number>(2);
  const [skip, setSkip] = useState(false);
  const playing = state.kind === "showing" && state.playing;

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => dispatch({ type: "tick" }), 1000 / speed);
    return () => clearInterval(timer);
  }, [playing, speed]);

  return useMemo(
    () => ({
      playback: state,
      shown: shownStep(state),
      pending: pendingNodes(state),
      grads: shownGrads(state),
      speed,
      skip,
      setSpeed,
      setSkip,
      start: (steps, before) => dispatch(skip ? { type: "stop" } : { type: "start", steps: steps.map(readStep), before }),
      play: () => dispatch({ type: "play" }),
      pause: () => dispatch({ type: "pause" }),
      step: () => dispatch({ type: "step" }),
      back: () => dispatch({ type: "back" }),
      stop: () => dispatch({ type: "stop" }),
    }),
    [state, speed, skip],
  );
}
