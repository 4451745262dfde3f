/** A tensor in full: a number, a table up to 32×32, or a heatmap beyond; with its statistics. */
import type { NestedNumbers } from "../api/types";
import { formatScalar } from "../format";
import { asMatrix, fitsTable, tensorStats } from "../tensor";
import { Heatmap } from "./Heatmap";

/** Significant digits shown where a number is read in full. */
const FULL_DIGITS = 7;

interface TensorViewProps {
  /** Accessible name, e.g. "a value" or "a grad". */
  label: string;
  value: NestedNumbers;
  shape: readonly number[];
  scale: "diverging" | "sequential";
}

/** The whole tensor named `label`, then min, max, mean and norm for anything bigger than a scalar. */
export function TensorView({ label, value, shape, scale }: TensorViewProps) {
  if (shape.length === 0) {
    return (
      <output className="tensor__scalar" aria-label={label}>
        {formatScalar(Number(value), FULL_DIGITS)}
      </output>
    );
  }
  const rows = asMatrix(value, shape);
  const stats = tensorStats(value);
  return (
    <div className="tensor">
      {fitsTable(shape) ? <TensorTable label={label} rows={rows} /> : <Heatmap rows={rows} scale={scale} label={label} />}
      {stats === null ? null : (
        <dl className="tensor__stats" aria-label={`${label} statistics`}>
          {(["min", "max", "mean", "norm"] as const).map((key) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{formatScalar(stats[key], 5)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function TensorTable({ label, rows }: { label: string; rows: number[][] }) {
  return (
    <div className="tensor__scroll">
      <table className="tensor__table" aria-label={label}>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((x, j) => (
                <td key={j}>{formatScalar(x, 5)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
