/** A labelled range input with its value shown beside the label. */
import { useId } from "react";

interface SliderProps {
  label: string;
  /** The value as the form keeps it (text). */
  value: string;
  min: number;
  max: number;
  step: number;
  onChange: (value: string) => void;
  /** How the value reads ("25%"); the number itself by default. */
  format?: (value: number) => string;
  error?: string | undefined;
}

/** "Noise  0.10" above a slider; the slider's accessible name is the label, its value text the shown value. */
export function Slider({ label, value, min, max, step, onChange, format = String, error }: SliderProps) {
  const id = useId();
  const number = Number(value);
  const shown = Number.isFinite(number) ? format(number) : value;
  return (
    <div className="slider">
      <label htmlFor={id} className="slider__label">
        {label} <output htmlFor={id}>{shown}</output>
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={Math.max(max, Number.isFinite(number) ? number : max)}
        step={step}
        value={Number.isFinite(number) ? number : min}
        aria-valuetext={shown}
        aria-invalid={error === undefined ? undefined : true}
        onChange={(event) => onChange(event.target.value)}
      />
      {error === undefined ? null : (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
