/** The gate palette: pick a gate, its inputs and its parameters, then apply it. */
import { useId, useState, type FormEvent } from "react";
import type { GateApplication, GateInfo, GatePreview } from "../api/types";
import { FormError } from "./FormError";
import { CheckboxField, SelectField, TextField } from "./fields";
import { Panel } from "./Panel";
import { initialText, paramFields, parseInput, parseParam, type ParamField } from "./paramSchema";
import { GatePreviewLine } from "./GatePreviewLine";
import { useSubmit } from "./useSubmit";

/** The gate chosen when the user has not picked one. */
const DEFAULT_GATE = "mul";
/** Inputs offered at first for gates that take any number. */
const VARIADIC_START = 2;

interface GateFormProps {
  gates: GateInfo[];
  /** Why the gate list could not be loaded, if it could not. */
  gatesError: string | null;
  variableNames: string[];
  onApply: (application: GateApplication) => Promise<void>;
  /** What the gate would produce, asked as the user fills the form in. */
  onPreview?: (application: GateApplication) => Promise<GatePreview>;
}

/** The application the form describes, or why not and (when one is to blame) which field. */
type Built = { ok: true; application: GateApplication } | { ok: false; message: string; field?: string };

/**
 * Picks a gate; one input per operand (a variable's name or a number; gates of any arity can
 * add and remove inputs); one field per parameter, from the gate's JSON Schema; an optional
 * output name. Then applies the gate.
 */
export function GateForm({ gates, gatesError, variableNames, onApply, onPreview }: GateFormProps) {
  const listId = useId();
  const [chosenGate, setChosenGate] = useState<string | null>(null);
  const [typedInputs, setTypedInputs] = useState<string[]>([]);
  const [variadicCount, setVariadicCount] = useState(VARIADIC_START);
  const [typedParams, setTypedParams] = useState<Record<string, string>>({});
  const [output, setOutput] = useState("");
  const [keepNonfinite, setKeepNonfinite] = useState(false);
  const { pending, error, run, fail, fieldError, clearField, clearAll } = useSubmit();

  const gate = pickGate(gates, chosenGate);
  const fields = gate === undefined ? [] : paramFields(gate.params);
  const count = gate?.arity ?? variadicCount;
  const inputs = Array.from({ length: count }, (_, i) => typedInputs[i] ?? defaultInput(variableNames, i));
  const paramText = (field: ParamField) => typedParams[`${gate?.name}.${field.name}`] ?? initialText(field);

  function typeInput(index: number, text: string) {
    clearField(`inputs.${index}`);
    setTypedInputs(inputs.map((current, i) => (i === index ? text : current)));
  }

  function typeParam(field: ParamField, text: string) {
    clearField(`params.${field.name}`);
    setTypedParams({ ...typedParams, [`${gate?.name}.${field.name}`]: text });
  }

  /** The application the form describes, or why it cannot be sent yet. */
  function build(): Built {
    if (gate === undefined) return { ok: false, message: "No gates are available yet." };
    const application: GateApplication = { gate: gate.name, inputs: [], params: {} };
    for (const [i, text] of inputs.entries()) {
      const parsed = parseInput(text, variableNames);
      if (!parsed.ok) return { ...parsed, field: `inputs.${i}` };
      application.inputs.push(parsed.value);
    }
    for (const field of fields) {
      const parsed = parseParam(field, paramText(field));
      if (!parsed.ok) return { ...parsed, field: `params.${field.name}` };
      if (!("omit" in parsed)) application.params[field.name] = parsed.value;
    }
    return { ok: true, application };
  }

  const built = build();

  /** The request fields this form has a control for, so an error naming one is shown there. */
  const shown = new Set([
    "gate",
    "output",
    ...inputs.map((_, i) => `inputs.${i}`),
    ...fields.filter((field) => field.kind !== "boolean").map((field) => `params.${field.name}`),
  ]);

  function chooseGate(name: string) {
    clearAll(); // the fields an error named may be gone
    setChosenGate(name);
  }

  function typeOutput(text: string) {
    clearField("output");
    setOutput(text);
  }

  function changeInputCount(next: number) {
    clearAll();
    setVariadicCount(next);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!built.ok) return fail(built.message, built.field);
    const application = { ...built.application };
    if (output.trim() !== "") application.output = output.trim();
    if (keepNonfinite) application.allow_nonfinite = true;
    const sent = output;
    // Clear the name only if the user has not typed the next one while this was applied.
    if (await run(() => onApply(application), shown)) setOutput((current) => (current === sent ? "" : current));
  }

  return (
    <Panel title="Apply a gate">
      <form className="form" onSubmit={submit} noValidate>
        <SelectField
          label="Gate"
          value={gate?.name ?? ""}
          options={gates.map((g) => g.name)}
          onChange={chooseGate}
          hint={summary(gate?.doc)}
          error={fieldError("gate")}
        />
        <datalist id={listId}>
          {variableNames.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        {inputs.map((input, i) => (
          <TextField
            key={i}
            label={`Input ${i + 1}`}
            value={input}
            onChange={(text) => typeInput(i, text)}
            placeholder="a variable or a number"
            list={listId}
            error={fieldError(`inputs.${i}`)}
          />
        ))}
        {gate !== undefined && gate.arity === null ? (
          <div className="button-row">
            <button type="button" className="button--quiet button--small" onClick={() => changeInputCount(count + 1)}>
              Add input
            </button>
            <button
              type="button"
              className="button--quiet button--small"
              disabled={count <= 1}
              onClick={() => changeInputCount(count - 1)}
            >
              Remove input
            </button>
          </div>
        ) : null}
        {fields.map((field) => (
          <ParamInput
            key={`${gate?.name}.${field.name}`}
            field={field}
            text={paramText(field)}
            onChange={(text) => typeParam(field, text)}
            error={fieldError(`params.${field.name}`)}
          />
        ))}
        <TextField label="Output name" value={output} onChange={typeOutput} placeholder="optional" error={fieldError("output")} />
        {/* A result holding NaN or ∞ is refused unless this is ticked, as the refusal advises. */}
        <CheckboxField label="Keep NaN and ∞ from this gate" checked={keepNonfinite} onChange={setKeepNonfinite} />
        {onPreview !== undefined && built.ok ? <GatePreviewLine application={built.application} preview={onPreview} /> : null}
        <button type="submit" disabled={pending}>
          Apply gate
        </button>
        <FormError message={error ?? gatesError} />
      </form>
    </Panel>
  );
}

interface ParamInputProps {
  field: ParamField;
  text: string;
  onChange: (text: string) => void;
  /** What is wrong with the value (never given for a checkbox, which shows none). */
  error: string | undefined;
}

/** One parameter: a checkbox for booleans, a select for enums, a text field otherwise. */
function ParamInput({ field, text, onChange, error }: ParamInputProps) {
  const label = field.required ? `${field.name} (required)` : field.name;
  if (field.kind === "boolean") {
    return <CheckboxField label={field.name} checked={text === "true"} onChange={(checked) => onChange(String(checked))} />;
  }
  if (field.kind === "enum") {
    const options = [...(field.required ? [] : [""]), ...field.options.map(String)];
    return (
      <SelectField
        label={label}
        value={text}
        options={options}
        optionLabel={(option) => (option === "" ? "default" : option)}
        onChange={onChange}
        hint={field.description || undefined}
        error={error}
      />
    );
  }
  return (
    <TextField
      label={label}
      value={text}
      onChange={onChange}
      placeholder={placeholder(field)}
      hint={field.description || undefined}
      error={error}
    />
  );
}

function placeholder(field: ParamField): string {
  if (field.kind === "integers") return "e.g. 2 or 2, 3";
  if (field.kind === "json") return "JSON";
  return field.nullable || !field.required ? "default" : "";
}

/** The gate the user picked, else "mul", else the first gate offered. */
function pickGate(gates: GateInfo[], chosen: string | null): GateInfo | undefined {
  return gates.find((g) => g.name === chosen) ?? gates.find((g) => g.name === DEFAULT_GATE) ?? gates[0];
}

/** The i-th variable (or the last one) as the input nobody has typed yet. */
function defaultInput(names: string[], index: number): string {
  return names[Math.min(index, names.length - 1)] ?? "";
}

/** The first line of a gate's docstring, or undefined when it has none. */
function summary(doc: string | undefined): string | undefined {
  const line = doc?.trim().split("\n")[0]?.trim();
  return line === "" ? undefined : line;
}
