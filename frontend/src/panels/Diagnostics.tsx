/** What the inspector says about a variable's numbers: where a NaN was born, and its gradient's health. */
import type { Anomaly, Health } from "../api/types";
import { Num } from "./Num";

interface DiagnosticsProps {
  /** The variable the inspector shows. */
  name: string;
  health: Health | null;
  /** Every anomaly of the workspace; those about `name` are shown. */
  anomalies: Anomaly[];
}

/**
 * One warning line per anomaly that concerns the variable and per health warning, each in words,
 * then the gradient's figures; nothing when there is nothing to say.
 */
export function Diagnostics({ name, health, anomalies }: DiagnosticsProps) {
  const own = anomalies.filter((anomaly) => anomaly.variable === name);
  if (own.length === 0 && health === null) return null;
  return (
    <section aria-label={`Diagnostics of ${name}`}>
      <h3 className="inspector__section">gradient health</h3>
      {own.map((anomaly) => (
        <p key={`${anomaly.phase}-${anomaly.node}`} role="note" className="diagnostic diagnostic--warning">
          {anomaly.phase === "forward" ? "NaN or ∞ born here" : "NaN or ∞ born in backward"} (node #{anomaly.node}):{" "}
          {anomaly.explanation}
        </p>
      ))}
      {health?.notes.map((note, index) => (
        <p key={note} role="note" className="diagnostic diagnostic--warning">
          {WARNING_TITLES[health.warnings[index] ?? "exploding"]}: {note}
        </p>
      ))}
      {health === null || health.norm === null ? null : <Figures health={health} />}
    </section>
  );
}

const WARNING_TITLES: Record<Health["warnings"][number], string> = {
  vanishing: "Vanishing gradient",
  exploding: "Exploding gradient",
  dead_units: "Dead units",
};

function Figures({ health }: { health: Health }) {
  return (
    <dl className="inspector__meta" aria-label="gradient figures">
      <dt>‖grad‖</dt>
      <dd>{health.norm === null ? "—" : <Num value={health.norm} />}</dd>
      <dt>max |grad|</dt>
      <dd>{health.max_abs === null ? "—" : <Num value={health.max_abs} />}</dd>
      <dt>zeros</dt>
      <dd>{health.zero_fraction === null ? "—" : `${Math.round(health.zero_fraction * 100)} %`}</dd>
      <dt>‖grad‖ / ‖value‖</dt>
      <dd>{health.ratio === null ? "—" : <Num value={health.ratio} />}</dd>
    </dl>
  );
}
