/** The input features as toggle tiles, as in TensorFlow Playground's "FEATURES" column. */
import type { Feature } from "../api/types";
import { FEATURES } from "./config";

interface FeatureTilesProps {
  chosen: readonly Feature[];
  onToggle: (feature: Feature, on: boolean) => void;
  error: string | undefined;
}

/** One pressed-or-not button per feature, named by it ("x²"). */
export function FeatureTiles({ chosen, onToggle, error }: FeatureTilesProps) {
  return (
    <fieldset className="feature-tiles" aria-describedby={error === undefined ? undefined : "features-error"}>
      <legend>Features</legend>
      <div className="feature-tiles__grid">
        {FEATURES.map(({ feature, label }) => {
          const on = chosen.includes(feature);
          return (
            <button key={feature} type="button" className="feature-tile" aria-pressed={on} onClick={() => onToggle(feature, !on)}>
              {label}
            </button>
          );
        })}
      </div>
      {error === undefined ? null : (
        <p id="features-error" role="alert" className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
