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

interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: readonly T[];
  onChange: (value: T) => void;
  hint?: ReactNode;
  /** The text shown for an option; the option itself by default. */
  optionLabel?: (option: T) => string;
  inline?: boolean;
  error?: string | undefined;
}

/**
 * A select over string options (a union of literals keeps its type: the value picked is always
 * one of `options`); shows "none yet" and is disabled while there are none.
 */
export function SelectField<T extends string>({ label, value, options, onChange, hint, optionLabel, inline, error }: SelectFieldProps<T>) {
  return (
    <Field label={label} hint={hint} inline={inline} error={error}>
      {(ids) => (
        <select {...ids} value={value} disabled={options.length === 0} onChange={(event) => onChange(event.target.value as T)}>
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

interface RadioFieldProps<T extends string> {
  /** The group's name, shown above the choices and read out with each. */
  legend: string;
  value: T;
  options: readonly T[];
  onChange: (value: T) => void;
  /** The text shown for an option; the option itself by default. */
  optionLabel?: (option: T) => string;
}

/** A few choices side by side, one of them picked: a fieldset whose legend names the group. */
export function RadioField<T extends string>({ legend, value, options, onChange, optionLabel }: RadioFieldProps<T>) {
  const name = useId();
  return (
    <fieldset className="field field--radios">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} className="field--check">
          <input type="radio" name={name} value={option} checked={option === value} onChange={() => onChange(option)} />
          {optionLabel === undefined ? option : optionLabel(option)}
        </label>
      ))}
    </fieldset>
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
