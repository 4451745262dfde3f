/** The user's own points as the editor sees them, kept in step with the server. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { onWorkspace } from "../api/client";
import { answer, rest } from "../api/rest";
import { asApiError } from "../state/asApiError";
import type { Workspace } from "../state/useWorkspace";
import type { UserPoint } from "./csv";
import { nearestPoint, withoutPoint } from "./userData";

/** The user's points, the edits the editor offers, and how saving them goes. */
export interface UserData {
  points: UserPoint[];
  /** True while a change is on its way to the server. */
  saving: boolean;
  /** Why the latest change was refused; null when it was taken. */
  error: string | null;
  /** Adds a point of `label` at (x, y), or, when `remove`, removes the point within `reach` of it. */
  pick(point: [number, number], remove: boolean, reach: number, label: number): void;
  /** Replaces every point (an upload, or none to clear them). */
  replace(points: UserPoint[]): void;
}

/**
 * Loads the user's points while `active` and on every "training_data" event, and saves each
 * edit as the whole list. Edits show at once; saves go one at a time, each sending the latest
 * list, so quick clicks never reach the server out of order.
 */
export function useUserData(workspace: Workspace, active: boolean): UserData {
  const { access, listen } = workspace;
  const [points, setPoints] = useState<UserPoint[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef<UserPoint[]>([]);
  const inFlight = useRef(false);
  const dirty = useRef(false);

  useEffect(() => {
    if (!active) return;
    let live = true;
    const load = () => {
      if (inFlight.current) return; // our own save: the list here is already the newest
      answer(rest.GET("/api/workspaces/{workspace_id}/training/data", onWorkspace(access))).then(
        (answer) => {
          if (!live || inFlight.current) return;
          latest.current = answer.points as UserPoint[];
          setPoints(latest.current);
        },
        (caught: unknown) => live && setError(asApiError(caught).message),
      );
    };
    load();
    const unlisten = listen((event) => {
      if (event.type === "training_data" || event.type === "resync") load();
    });
    return () => {
      live = false;
      unlisten();
    };
  }, [access, listen, active]);

  const save = useCallback(async () => {
    if (inFlight.current) {
      dirty.current = true;
      return;
    }
    inFlight.current = true;
    setSaving(true);
    try {
      do {
        dirty.current = false;
        try {
          await answer(rest.PUT("/api/workspaces/{workspace_id}/training/data", { ...onWorkspace(access), body: { points: latest.current } }));
          setError(null);
        } catch (caught) {
          setError(asApiError(caught).message);
        }
      } while (dirty.current);
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  }, [access]);

  const change = useCallback(
    (next: UserPoint[]) => {
      latest.current = next;
      setPoints(next);
      void save();
    },
    [save],
  );

  const pick = useCallback(
    ([x, y]: [number, number], remove: boolean, reach: number, label: number) => {
      if (!remove) return change([...latest.current, [x, y, label]]);
      const hit = nearestPoint(latest.current, x, y, reach);
      if (hit >= 0) change(withoutPoint(latest.current, hit));
    },
    [change],
  );

  return useMemo(() => ({ points, saving, error, pick, replace: change }), [points, saving, error, pick, change]);
}
