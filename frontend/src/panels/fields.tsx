/** Labelled form controls: every control gets a visible label, which is also its accessible name. */
import { useId, type ReactNode } from "react";

/** The ids a control inside a Field needs: its own, its hint's and error's, and whether it is invalid. */
interface ControlIds {
  id: string;
  "aria-describedby": string | undefined;
  "aria-invalid": true | undefined;
}

interface FieldProps {
  label: string;
  hint: ReactNode | undefined;
  /** What is wrong with the value typed, shown under the control; absent when nothing is. */
  error?: string | undefined;
  /** Label beside the control rather than above it. */
  inline?: boolean | undefined;
  children: (ids: ControlIds) => ReactNode;
}

/** A label above (or beside) a control, an optional hint and error below, wired together by id. */
function Field({ label, hint, error, inline, children }: FieldProps) {
  const id = useId();
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorId = error === undefined ? undefined : `${id}-error`;
  const describedBy = [hintId, errorId].filter((part) => part !== undefined).join(" ");
  return (
    <div className={inline === true ? "field field--inline" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        "aria-describedby": describedBy === "" ? undefined : describedBy,
        "aria-invalid": error === undefined ? undefined : true,
      })}
      {hintId === undefined ? null : (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {errorId === undefined ? null : (
        <p id={errorId} role="alert" className="field__error">
          {error}
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
  error?: string | undefined;
  /** The on-screen keyboard to offer: "decimal" or "numeric" for numbers. */
  inputMode?: "text" | "decimal" | "numeric";
  inline?: boolean;
}

/** A text input with its label above it and an optional hint and error below. */
export function TextField({ label, value, onChange, placeholder, hint, list, error, inputMode, inline }: TextFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} inline={inline}>
      {(ids) => (
        <input
          {...ids}
          type="text"
          inputMode={inputMode}
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
  error?: string | undefined;
}

/** A select over plain string options; shows "none yet" and is disabled while there are none. */
export function SelectField({ label, value, options, onChange, hint, optionLabel, inline, error }: SelectFieldProps) {
  return (
    <Field label={label} hint={hint} inline={inline} error={error}>
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
