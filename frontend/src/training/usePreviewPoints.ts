/** The points of a dataset not applied yet, so the data shows as it is set up. */
import { useEffect, useState } from "react";
import { onWorkspace, type WorkspaceAccess } from "../api/client";
import { answer, rest } from "../api/rest";
import type { TrainingConfig, TrainingPoints } from "../api/types";
import { sameJson } from "../json";

/** A dataset config and its points. */
export interface DataPoints {
  dataset: TrainingConfig["dataset"];
  points: TrainingPoints;
}

/** A slid value is fetched once it rests this long. */
const SETTLE_MS = 60;

/**
 * The points of `dataset` while it differs from the run's (`applied`); null when they are the
 * same, or there is no dataset yet. Until new points arrive, the last ones stay, labelled with
 * their own dataset. A dataset with a number still being typed (NaN) is not fetched.
 */
export function usePreviewPoints(
  access: WorkspaceAccess,
  dataset: TrainingConfig["dataset"] | null,
  applied: TrainingConfig["dataset"] | null,
): DataPoints | null {
  const [preview, setPreview] = useState<DataPoints | null>(null);
  const wanted = JSON.stringify(dataset);
  // The server's config lists its keys in its own order: compared as values, not as text.
  const differs = dataset !== null && (applied === null || !sameJson(dataset, applied));

  useEffect(() => {
    if (!differs) return;
    const asked = JSON.parse(wanted) as TrainingConfig["dataset"];
    if (Object.values(asked).some((value) => value === null)) return; // NaN travels as null
    let live = true;
    const timer = window.setTimeout(() => {
      (answer(rest.POST("/api/workspaces/{workspace_id}/training/points/preview", { ...onWorkspace(access), body: asked })) as Promise<TrainingPoints>).then(
        (points) => live && setPreview({ dataset: asked, points }),
        () => undefined, // the form shows the dataset's problems when it is applied
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [access, wanted, differs]);

  return differs ? preview : null;
}
