/** How numbers, tensors and shapes are written on screen. */
import type { NestedNumbers } from "./api/types";

/** Significant digits a scalar keeps at least. */
const DIGITS = 4;
/** Elements shown per dimension before a tensor is elided with "…". */
const MAX_ITEMS = 4;
/** Shown where a gradient has not been computed. */
export const NO_GRAD = "—";

/**
 * Writes a number with at least `digits` (four) significant digits and no trailing zeros:
 * 4 -> "4", 0.333333333 -> "0.3333", 12345.678 -> "12346", 1.5e-7 -> "1.5e-7".
 */
export function formatScalar(x: number, digits: number = DIGITS): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞"; // a minus sign, as typeset, not a hyphen
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude < 1e-4 || magnitude >= 1e15) return trimExponential(x.toExponential(digits - 1));
  const integerDigits = Math.max(1, Math.floor(Math.log10(magnitude)) + 1);
  return trimZeros(x.toPrecision(Math.max(digits, integerDigits)));
}

/** Writes a scalar or a tensor compactly, eliding long dimensions: "[[1, 2], [3, 4]]", "[1, 2, 3, …, 9]". */
export function formatValue(value: NestedNumbers): string {
  if (typeof value === "number") return formatScalar(value);
  return `[${elide(value).map((item) => (item === null ? "…" : formatValue(item))).join(", ")}]`;
}

/** Writes a gradient, or a dash when there is none yet. */
export function formatGrad(grad: NestedNumbers | null): string {
  return grad === null ? NO_GRAD : formatValue(grad);
}

/** Writes a tensor whose values are still loading by the range an event gave: "[0 … 99]". */
export function formatRange(min: number | null, max: number | null): string {
  return min === null || max === null ? "[]" : `[${formatScalar(min)} … ${formatScalar(max)}]`;
}

/** A piece of formatted text, and whether it is a NaN or an infinity (drawn in the warning colour). */
export interface TextPart {
  text: string;
  nonFinite: boolean;
}

/** Splits formatted text around its NaN, ∞ and −∞: "[1, NaN]" -> "[1, ", "NaN" (non-finite), "]". */
export function splitNonFinite(text: string): TextPart[] {
  return text
    .split(/(NaN|−?∞)/)
    .map((part, i) => ({ text: part, nonFinite: i % 2 === 1 }))
    .filter((part) => part.text !== "");
}

/** Writes a shape as "scalar" or as its dimensions: "2×3". */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? "scalar" : shape.join("×");
}

/** Writes a byte count for people: "0 B", "512 B", "1.5 kB", "2.25 MB" (powers of 1000, as disks count). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${trimZeros(value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2))} ${units[unit]}`;
}

/** The first items and the last one of a long list, with null marking the gap. */
function elide<T>(items: readonly T[]): (T | null)[] {
  if (items.length <= MAX_ITEMS) return [...items];
  return [...items.slice(0, MAX_ITEMS - 1), null, items[items.length - 1] as T];
}

/** "0.3300" -> "0.33", "4.000" -> "4"; leaves integers alone. */
function trimZeros(digits: string): string {
  return digits.includes(".") ? digits.replace(/\.?0+$/, "") : digits;
}

/** "1.500e-7" -> "1.5e-7". */
function trimExponential(text: string): string {
  const [mantissa = text, exponent = ""] = text.split("e");
  return `${trimZeros(mantissa)}e${exponent.replace("+", "")}`;
}
