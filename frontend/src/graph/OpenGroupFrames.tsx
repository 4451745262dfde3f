/** Frames around the groups the user unfolded, each with a header button that folds it again. */
import { ViewportPortal } from "@xyflow/react";
import type { OpenFrame } from "./openGroups";

interface OpenGroupFramesProps {
  frames: readonly OpenFrame[];
  onFold: (key: string) => void;
}

/**
 * Draws each unfolded group as a dashed frame in the graph's plane, under its cards, with its
 * name on a button above it, "Fold {name}": a click, Enter or Space folds the group alone.
 */
export function OpenGroupFrames({ frames, onFold }: OpenGroupFramesProps) {
  return (
    <ViewportPortal>
      {frames.map(({ key, rect }) => (
        <div
          key={key}
          className="group-frame"
          style={{ transform: `translate(${rect.x}px, ${rect.y}px)`, width: rect.width, height: rect.height }}
        >
          <button type="button" className="group-frame__fold nodrag nopan" aria-label={`Fold ${key}`} title={`${key}: click to fold`} onClick={() => onFold(key)}>
            ▾ {key}
          </button>
        </div>
      ))}
    </ViewportPortal>
  );
}
