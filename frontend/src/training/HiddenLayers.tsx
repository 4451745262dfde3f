/** The hidden layers of the MLP: one size box per layer, with Add and Remove. */
import { TextField } from "../panels/fields";
import type { FormErrors } from "./config";

interface HiddenLayersProps {
  /** Each layer's size as typed. */
  sizes: string[];
  max: number;
  onChange: (sizes: string[]) => void;
  /** Problems by field; "model.hidden.{i}" belongs to layer i + 1. */
  errors: FormErrors;
  /** A problem of the layers as a whole. */
  error: string | undefined;
}

/** "Layer 1 neurons" … boxes, "Remove layer N" beside each, and "Add layer" below (up to `max`). */
export function HiddenLayers({ sizes, max, onChange, errors, error }: HiddenLayersProps) {
  const replace = (index: number, size: string) => onChange(sizes.map((old, i) => (i === index ? size : old)));
  return (
    <div className="hidden-layers">
      <p className="hidden-layers__title">Hidden layers</p>
      {sizes.length === 0 ? <p className="field__hint">None: a linear model.</p> : null}
      <ol className="hidden-layers__list">
        {sizes.map((size, index) => (
          <li key={index} className="hidden-layers__layer">
            <TextField
              label={`Layer ${index + 1} neurons`}
              inputMode="numeric"
              value={size}
              onChange={(value) => replace(index, value)}
              error={errors[`model.hidden.${index}`]}
              inline
            />
            <button
              type="button"
              className="button--quiet button--small"
              aria-label={`Remove layer ${index + 1}`}
              title={`Remove layer ${index + 1}`}
              onClick={() => onChange(sizes.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="button--quiet button--small"
        disabled={sizes.length >= max}
        onClick={() => onChange([...sizes, sizes[sizes.length - 1] ?? "8"])}
      >
        Add layer
      </button>
      {error === undefined ? null : (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
