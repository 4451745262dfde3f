/** The backprop player as a hook: steps advance on a timer at the chosen speed while playing. */
import { useEffect, useMemo, useReducer, useState } from "react";
import type { BackpropStep } from "../api/types";
import { IDLE, pendingNodes, playback, readStep, shownStep, type Playback, type PlayedStep } from "./animation";

/** Speeds offered, in steps per second. */
export const SPEEDS = [1, 2, 4, 8, 16] as const;

/** The player's state and controls. */
export interface BackpropAnimation {
  playback: Playback;
  shown: PlayedStep | null;
  pending: ReadonlySet<number> | null;
  speed: number;
  skip: boolean;
  setSpeed(speed: number): void;
  setSkip(skip: boolean): void;
  /** Shows `steps` one by one, unless "Skip animation" is on. */
  start(steps: BackpropStep[]): void;
  play(): void;
  pause(): void;
  step(): void;
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
      speed,
      skip,
      setSpeed,
      setSkip,
      start: (steps) => dispatch(skip ? { type: "stop" } : { type: "start", steps: steps.map(readStep) }),
      play: () => dispatch({ type: "play" }),
      pause: () => dispatch({ type: "pause" }),
      step: () => dispatch({ type: "step" }),
      stop: () => dispatch({ type: "stop" }),
    }),
    [state, speed, skip],
  );
}
