/** A menu of the training's runs by number, as the fork form and the comparison pick one. */
import type { RunSummary } from "./timelineApi";

interface RunSelectProps {
  runs: readonly RunSummary[];
  /** The run chosen; "" while none is. */
  value: number | "";
  onChange: (id: number) => void;
}

/** The runs' numbers in a select; its label is the caller's. */
export function RunSelect({ runs, value, onChange }: RunSelectProps) {
  return (
    <select value={value} onChange={(event) => onChange(Number(event.target.value))}>
      {runs.map((run) => (
        <option key={run.id} value={run.id}>
          {run.id}
        </option>
      ))}
    </select>
  );
}
