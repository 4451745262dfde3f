/** A variable's tensors in full for a view that draws them, loaded when the state holds only summaries. */
import { createContext, useContext, useEffect, useState } from "react";
import type { NestedNumbers } from "../api/types";
import { sameJson } from "../json";
import { missingVersion, type LiveVariable } from "./liveState";
import type { FullTensors, TensorCache } from "./tensorCache";

/** The cache through which the open workspace's views load large tensors. */
export const TensorCacheContext = createContext<TensorCache | null>(null);

/** A variable's value and grad as a view draws them; null while loading (grad: also when it has none). */
export interface ShownTensors {
  value: NestedNumbers | null;
  grad: NestedNumbers | null;
}

/**
 * The values of `variable`: those the state holds, else the copy loaded for the event that last
 * summarised them. While a newer copy loads, the one held before is shown if it has the same shape.
 * Only the views that call this load anything, so variables that are not drawn cost nothing.
 */
export function useTensors(variable: LiveVariable): ShownTensors {
  const cache = useContext(TensorCacheContext);
  const { name, shape } = variable;
  const version = missingVersion(variable);
  const [loaded, setLoaded] = useState<{ name: string; version: number; tensors: FullTensors } | null>(null);

  useEffect(() => {
    if (cache === null || version === null) return;
    let live = true;
    cache.load(name, version).then(
      (tensors) => live && setLoaded({ name, version, tensors }),
      () => undefined, // the view keeps showing the summary; the next change asks again
    );
    return () => {
      live = false;
    };
  }, [cache, name, version]);

  const current = loaded !== null && loaded.name === name && loaded.version === version ? loaded.tensors : null;
  const held = version === null ? null : (current ?? cache?.peek(name) ?? null);
  const full = held !== null && sameJson(held.shape, shape) ? held : null;
  return {
    value: variable.value.values ?? full?.value ?? null,
    grad: variable.grad === null ? null : (variable.grad.values ?? full?.grad ?? null),
  };
}
