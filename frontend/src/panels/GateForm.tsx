/** The form that applies a gate to existing variables. */
import { useState, type FormEvent } from "react";
import type { GateApplication, GateInfo } from "../api/types";
import { FormError } from "./FormError";
import { SelectField, TextField } from "./fields";
import { Panel } from "./Panel";
import { useSubmit } from "./useSubmit";

/** The gate chosen when the user has not picked one. */
const DEFAULT_GATE = "mul";

interface GateFormProps {
  gates: GateInfo[];
  /** Why the gate list could not be loaded, if it could not. */
  gatesError: string | null;
  variableNames: string[];
  onApply: (application: GateApplication) => Promise<void>;
}

/** Picks a gate, one input per operand and an optional output name, then applies the gate. */
export function GateForm({ gates, gatesError, variableNames, onApply }: GateFormProps) {
  const [chosenGate, setChosenGate] = useState<string | null>(null);
  const [chosenInputs, setChosenInputs] = useState<string[]>([]);
  const [output, setOutput] = useState("");
  const { pending, error, run, fail } = useSubmit();

  const gate = pickGate(gates, chosenGate);
  const inputs = Array.from({ length: inputCount(gate) }, (_, i) =>
    pickInput(variableNames, chosenInputs[i], i),
  );

  function chooseInput(index: number, name: string) {
    setChosenInputs(inputs.map((current, i) => (i === index ? name : current)));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (gate === undefined) return fail("No gates are available yet.");
    if (inputs.some((input) => input === "")) return fail("Add a variable first: a gate needs inputs.");
    const application: GateApplication = { gate: gate.name, inputs, params: {} };
    if (output.trim() !== "") application.output = output.trim();
    if (await run(() => onApply(application))) setOutput("");
  }

  return (
    <Panel title="Apply a gate">
      <form className="form" onSubmit={submit} noValidate>
        <SelectField
          label="Gate"
          value={gate?.name ?? ""}
          options={gates.map((g) => g.name)}
          onChange={setChosenGate}
          hint={summary(gate?.doc)}
        />
        {inputs.map((input, i) => (
          <SelectField
            key={i}
            label={`Input ${i + 1}`}
            value={input}
            options={variableNames}
            onChange={(name) => chooseInput(i, name)}
          />
        ))}
        <TextField label="Output name" value={output} onChange={setOutput} placeholder="optional" />
        <button type="submit" disabled={pending}>
          Apply gate
        </button>
        <FormError message={error ?? gatesError} />
      </form>
    </Panel>
  );
}

/** The gate the user picked, else "mul", else the first gate offered. */
function pickGate(gates: GateInfo[], chosen: string | null): GateInfo | undefined {
  return gates.find((g) => g.name === chosen) ?? gates.find((g) => g.name === DEFAULT_GATE) ?? gates[0];
}

/** How many inputs to offer: the gate's arity, or two for gates that take any number. */
function inputCount(gate: GateInfo | undefined): number {
  return gate?.arity ?? 2;
}

/** The picked variable while it still exists; otherwise the i-th variable (or the last one). */
function pickInput(names: string[], chosen: string | undefined, index: number): string {
  if (chosen !== undefined && names.includes(chosen)) return chosen;
  return names[Math.min(index, names.length - 1)] ?? "";
}

/** The first line of a gate's docstring, or undefined when it has none. */
function summary(doc: string | undefined): string | undefined {
  const line = doc?.trim().split("\n")[0]?.trim();
  return line === "" ? undefined : line;
}
