/**
 * Numbers as text, with NaN, ∞ and −∞ in the warning colour (class "num--nonfinite" in theme.css)
 * so that a value gone wrong stands out wherever it is written: panels and graph cards alike.
 */
import { formatScalar, splitNonFinite } from "../format";

/** The class a number's text takes: "num--nonfinite" for NaN and ±∞, none otherwise. */
export function numClass(x: number): string | undefined {
  return Number.isFinite(x) ? undefined : "num--nonfinite";
}

/** One number, written by formatScalar with `digits` significant digits. */
export function Num({ value, digits }: { value: number; digits?: number }) {
  return <span className={numClass(value)}>{formatScalar(value, digits)}</span>;
}

/** Text already formatted (e.g. by formatValue, "[1, NaN, ∞]"), with its NaN and infinities marked. */
export function NumText({ text }: { text: string }) {
  return (
    <>
      {splitNonFinite(text).map((part, i) =>
        part.nonFinite ? (
          <span key={i} className="num--nonfinite">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
