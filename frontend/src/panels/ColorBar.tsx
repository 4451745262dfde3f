/** The legend of a heatmap: its colour scale from low to high, with numbers. */
import { scaleGradient, type ColorScale } from "../colors";
import { Num } from "./Num";

interface ColorBarProps {
  /** Whose scale, e.g. "x full grad": the bar is named "{label} colour scale". */
  label: string;
  scale: ColorScale;
  /** Whether to explain the warning colour, because the tensor holds NaN or infinities. */
  nonFinite: boolean;
}

/** A gradient bar labelled low, middle and high (zero in the middle of a diverging scale). */
export function ColorBar({ label, scale, nonFinite }: ColorBarProps) {
  const middle = scale.kind === "diverging" ? 0 : (scale.low + scale.high) / 2;
  return (
    <div className="colorbar" role="group" aria-label={`${label} colour scale`}>
      <span className="colorbar__bar" style={{ background: scaleGradient(scale) }} aria-hidden="true" />
      <span className="colorbar__ticks">
        <Num value={scale.low} />
        <Num value={middle} />
        <Num value={scale.high} />
      </span>
      {nonFinite ? (
        <span className="colorbar__nonfinite">
          <span className="colorbar__swatch" aria-hidden="true" /> NaN or ±∞
        </span>
      ) : null}
    </div>
  );
}
