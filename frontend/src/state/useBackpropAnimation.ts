/**
 * The backprop player as a hook: steps advance on a timer at the chosen speed while playing; the
 * last backprop is kept in the browser so it can be replayed after a reload.
 */
import { useEffect, useMemo, useReducer, useState } from "react";
import { IDLE, pendingNodes, playback, readStep, shownGrads, shownStep, type Playback, type PlayedStep } from "./animation";
import { keepLastBackprop, lastBackprop, type LastBackprop } from "./lastBackprop";
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
  /** Steps off the path to the root (zero upstream because unrelated) are shown, not passed over. */
  showOffPath: boolean;
  /** The last backprop run in this workspace from this browser, to replay; null when none was kept. */
  last: LastBackprop | null;
  setSpeed(speed: number): void;
  setSkip(skip: boolean): void;
  setShowOffPath(show: boolean): void;
  /** Keeps `run` as the last backprop and shows its steps one by one, unless "Skip animation" is on. */
  start(run: LastBackprop): void;
  /** Shows the last backprop again, skip or not. */
  replay(): void;
  play(): void;
  pause(): void;
  step(): void;
  back(): void;
  stop(): void;
}

/**
 * A backprop player for workspace `workspaceId`, idle until start() is called with the steps
 * backprop returned; `pathOf(root)` gives the ids of the nodes `root` was computed through.
 */
export function useBackpropAnimation(workspaceId: string, pathOf: (root: string) => ReadonlySet<number>): BackpropAnimation {
  const [state, dispatch] = useReducer(playback, IDLE);
  const [speed, setSpeed] = useState<number>(2);
  const [skip, setSkip] = useState(false);
  const [showOffPath, setShowOffPath] = useState(false);
  const [last, setLast] = useState(() => lastBackprop(workspaceId));
  const playing = state.kind === "showing" && state.playing;

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => dispatch({ type: "tick" }), 1000 / speed);
    return () => clearInterval(timer);
  }, [playing, speed]);

  return useMemo(() => {
    const show = (run: LastBackprop) => {
      const onPath = pathOf(run.root);
      dispatch({ type: "start", steps: run.steps.map((step) => readStep(step, onPath)), before: run.before, showOffPath });
    };
    return {
      playback: state,
      shown: shownStep(state),
      pending: pendingNodes(state),
      grads: shownGrads(state),
      speed,
      skip,
      showOffPath,
      last,
      setSpeed,
      setSkip,
      setShowOffPath: (shown: boolean) => {
        setShowOffPath(shown);
        dispatch({ type: "offPath", show: shown });
      },
      start: (run) => {
        keepLastBackprop(workspaceId, run);
        setLast(run);
        if (skip) dispatch({ type: "stop" });
        else show(run);
      },
      replay: () => {
        if (last !== null) show(last);
      },
      play: () => dispatch({ type: "play" }),
      pause: () => dispatch({ type: "pause" }),
      step: () => dispatch({ type: "step" }),
      back: () => dispatch({ type: "back" }),
      stop: () => dispatch({ type: "stop" }),
    };
  }, [state, speed, skip, showOffPath, last, workspaceId, pathOf]);
}
