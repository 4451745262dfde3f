/** The REST calls of time travel over training: a run's timeline, a past step drawn, runs and forks, histograms. */
import type { Decoded } from "../api/decode";
import { answer, bearer, rest } from "../api/rest";
import type { components } from "../api/schema.gen";
import type { DecisionBoundary, NetworkDrawing, TrainingStatus } from "../api/types";

type Schemas = components["schemas"];
/** Who is asking: the workspace and its token. */
interface Access {
  id: string;
  token: string;
}

/** The kept steps of a run, oldest first, each with its step, epoch and metrics. */
export type Timeline = Decoded<Schemas["TimelineAnswer"]>;
/** One kept step of a timeline. */
export type KeptStep = Timeline["steps"][number];
/** Every kept run, oldest first, the current one last. */
export type RunList = Decoded<Schemas["RunList"]>;
/** One run: its parent and fork step, config and metric history. */
export type RunSummary = RunList["runs"][number];
/** Body of POST …/training/fork: a kept step, and any setting changed. */
export type ForkRequest = Schemas["ForkRequest"];
/** Each layer's weight and gradient distributions over a run's kept steps. */
export type Histograms = Decoded<Schemas["HistogramsAnswer"]>;
/** One layer's distributions. */
export type LayerHistograms = Histograms["layers"][number];

function path(access: Access) {
  return { params: { path: { workspace_id: access.id } }, headers: bearer(access.token) };
}

/** The current run's timeline. */
export function getTimeline(access: Access): Promise<Timeline> {
  return answer(rest.GET("/api/workspaces/{workspace_id}/training/timeline", path(access)));
}

/** The decision boundary at a kept step of the current run (a 404 `step_not_kept` otherwise). */
export function getBoundaryAt(access: Access, step: number, resolution: number): Promise<DecisionBoundary> {
  const { params, headers } = path(access);
  return answer(rest.GET("/api/workspaces/{workspace_id}/training/boundary", { params: { ...params, query: { step, resolution } }, headers }));
}

/** The network drawn at a kept step of the current run (a 404 `step_not_kept` otherwise). */
export function getNetworkAt(access: Access, step: number, resolution: number): Promise<NetworkDrawing> {
  const { params, headers } = path(access);
  return answer(rest.GET("/api/workspaces/{workspace_id}/training/network", { params: { ...params, query: { step, resolution } }, headers }));
}

/** Every kept run with its parent, fork step and, when `history`, its metric history (else empty). */
export function getRuns(access: Access, history: boolean): Promise<RunList> {
  const { params, headers } = path(access);
  return answer(rest.GET("/api/workspaces/{workspace_id}/training/runs", { params: { ...params, query: { history } }, headers }));
}

/** Continues from a kept step as a new, paused run; the run forked from is kept. */
export function forkRun(access: Access, body: ForkRequest): Promise<TrainingStatus> {
  return answer(rest.POST("/api/workspaces/{workspace_id}/training/fork", { ...path(access), body }));
}

/** Each layer's weight and gradient distributions over the current run's kept steps. */
export function getHistograms(access: Access, bins: number): Promise<Histograms> {
  const { params, headers } = path(access);
  return answer(rest.GET("/api/workspaces/{workspace_id}/training/histograms", { params: { ...params, query: { bins } }, headers }));
}
