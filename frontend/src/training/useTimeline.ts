/** A run's timeline as the page scrubs it: the kept steps, the one shown (or live), and a replay. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Workspace } from "../state/useWorkspace";
import { reloadOnEvents } from "./reloading";
import { nearestKept, playedAfter, REPLAY_SPEEDS } from "./timeline";
import { getTimeline, type KeptStep, type Timeline } from "./timelineApi";
import { type PastStep, usePastStep } from "./usePastStep";

/** At most this many timeline refreshes a second: the slider's newest step, half as often as the status's. */
const REFRESHES_PER_SECOND = 2;

/** The timeline and what drives the slider. */
export interface Scrubbing {
  /** The current run's kept steps; null before the first load and while no run is configured. */
  timeline: Timeline | null;
  /** The kept step shown; null: live, the newest state of the run. */
  selected: KeptStep | null;
  /** The drawings of the selected step (the previous one's while it loads); null when live. */
  past: PastStep | null;
  playing: boolean;
  /** Index into REPLAY_SPEEDS. */
  speed: number;
  /** Shows the kept step nearest `step`. */
  select(step: number): void;
  /** Back to the newest state, following the run; stops a replay. */
  goLive(): void;
  /** Replays the run from the shown step (from step 0 when live), or stops the replay. */
  togglePlay(): void;
  setSpeed(speed: number): void;
}

/**
 * Loads the current run's timeline and loads it again on every "training" event (throttled), while a
 * run is `configured`; `setup` names the run's dataset, model and loss. The past steps' drawings are
 * cached for the run (its id, setup, and the count of times it went back to an earlier step, as a
 * reset does). A replay moves on a tick only once the selected step is drawn, so it never outruns
 * the server; past the newest step it goes live.
 */
export function useTimeline(workspace: Workspace, configured: boolean, setup: string): Scrubbing {
  const { access, listen } = workspace;
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [selectedStep, setSelectedStep] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const rewinds = useRewinds(timeline);
  const past = usePastStep(workspace, `${timeline?.run}:${rewinds}:${setup}`, selectedStep);

  useEffect(() => {
    if (!configured) {
      setTimeline(null);
      return;
    }
    const reloading = reloadOnEvents(listen, ["training", "resync"], REFRESHES_PER_SECOND, async ({ isLive }) => {
      const loaded = await getTimeline(access);
      if (isLive()) setTimeline(loaded);
    });
    return reloading.stop;
  }, [access, listen, configured]);

  const steps = useMemo(() => timeline?.steps.map((kept) => kept.step) ?? [], [timeline]);
  const select = useCallback((step: number) => setSelectedStep(nearestKept(steps, step)), [steps]);
  const goLive = useCallback(() => {
    setPlaying(false);
    setSelectedStep(null);
  }, []);
  const togglePlay = useCallback(() => {
    if (!playing && selectedStep === null) setSelectedStep(steps[0] ?? null);
    setPlaying(!playing);
  }, [playing, selectedStep, steps]);

  useReplay(playing, speed, () => {
    if (selectedStep === null || past?.step !== selectedStep) return; // still drawing the last one
    const next = playedAfter(steps, selectedStep, REPLAY_SPEEDS[speed]?.stride ?? 1);
    if (next === null) goLive();
    else setSelectedStep(next);
  });

  // A run set up again, reset or forked may no longer keep the shown step (or have any steps).
  const selected = timeline?.steps.find((kept) => kept.step === selectedStep) ?? null;
  useEffect(() => {
    if (selectedStep !== null && selected === null && timeline !== null) setSelectedStep(nearestKept(steps, selectedStep));
  }, [selectedStep, selected, timeline, steps]);

  return { timeline, selected, past, playing, speed, select, goLive, togglePlay, setSpeed };
}

/** How many times the timeline's newest step went back (a reset, a run set up again). */
function useRewinds(timeline: Timeline | null): number {
  const newest = timeline?.steps[timeline.steps.length - 1]?.step ?? null;
  const last = useRef<number | null>(null);
  const count = useRef(0);
  if (newest !== null && last.current !== null && newest < last.current) count.current += 1;
  if (newest !== null) last.current = newest;
  return count.current;
}

/** Calls `tick` at the replay speed's pace while `playing`; the latest `tick` is the one called. */
function useReplay(playing: boolean, speed: number, tick: () => void) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => latest.current(), 1000 / (REPLAY_SPEEDS[speed]?.perSecond ?? 5));
    return () => clearInterval(timer);
  }, [playing, speed]);
}
