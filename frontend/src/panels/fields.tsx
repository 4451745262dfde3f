/** Labelled form controls: every control gets a visible label, which is also its accessible name. */
import { useId, type ReactNode } from "react";

/** The ids a control inside a Field needs: its own, and its hint's when there is one. */
interface ControlIds {
  id: string;
  "aria-describedby": string | undefined;
}

interface FieldProps {
  label: string;
  hint: ReactNode | undefined;
  /** Label beside the control rather than above it. */
  inline?: boolean | undefined;
  children: (ids: ControlIds) => ReactNode;
}

/** A label above (or beside) a control and an optional hint below, wired together by id. */
function Field({ label, hint, inline, children }: FieldProps) {
  const id = useId();
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  return (
    <div className={inline === true ? "field field--inline" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-describedby": hintId })}
      {hintId === undefined ? null : (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  hint?: ReactNode;
  /** Id of a <datalist> of suggestions. */
  list?: string;
}

/** A text input with its label above it and an optional hint below. */
export function TextField({ label, value, onChange, placeholder, hint, list }: TextFieldProps) {
  return (
    <Field label={label} hint={hint}>
      {(ids) => (
        <input
          {...ids}
          type="text"
          value={value}
          placeholder={placeholder}
          list={list}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  hint?: ReactNode;
  /** The text shown for an option; the option itself by default. */
  optionLabel?: (option: string) => string;
  inline?: boolean;
}

/** A select over plain string options; shows "none yet" and is disabled while there are none. */
export function SelectField({ label, value, options, onChange, hint, optionLabel, inline }: SelectFieldProps) {
  return (
    <Field label={label} hint={hint} inline={inline}>
      {(ids) => (
        <select {...ids} value={value} disabled={options.length === 0} onChange={(event) => onChange(event.target.value)}>
          {options.length === 0 ? <option value="">none yet</option> : null}
          {options.map((option) => (
            <option key={option} value={option}>
              {optionLabel === undefined ? option : optionLabel(option)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** A checkbox with its label to the right. */
export function CheckboxField({ label, checked, onChange }: CheckboxFieldProps) {
  return (
    <label className="field field--check">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      {label}
    </label>
  );
}
