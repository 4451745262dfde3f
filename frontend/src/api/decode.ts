/**
 * Reading the server's JSON at the API boundary: NaN and infinities, which JSON cannot carry
 * and the server spells "nan", "inf" and "-inf", become JavaScript numbers, once, so the rest
 * of the app only ever sees numbers in tensors.
 */

/** How the server spells the numbers JSON lacks. */
export type Spelled = "nan" | "inf" | "-inf";

/** A tensor once decoded: a scalar or an arbitrarily nested list of numbers. */
export type NestedNumbers = number | NestedNumbers[];

/**
 * A server type as this module hands it on: every spelled-out number is a number, and every
 * tensor (documented as a number, a spelled number or an array) is NestedNumbers.
 */
export type Decoded<T> = T extends Spelled
  ? number
  : T extends readonly (infer Item)[]
    ? unknown extends Item
      ? NestedNumbers[]
      : { [K in keyof T]: Decoded<T[K]> }
    : T extends object
      ? { [K in keyof T]: Decoded<T[K]> }
      : T;

const SPELLED: Record<Spelled, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity };

/**
 * Fields that hold a tensor, a tensor's statistics or a map of tensors by name; only beneath
 * them is a spelled number read as one (a variable may well be called "inf").
 */
const TENSOR_FIELDS = new Set(["value", "grad", "values", "min", "max", "mean", "grads", "upstream", "accumulated", "gradients", "norm", "max_abs", "ratio"]);

/** The JSON value with every spelled-out number beneath a tensor field read as a number. */
export function decodeNonFinite<T>(json: T): Decoded<T> {
  return decode(json, false) as Decoded<T>;
}

function decode(json: unknown, inTensor: boolean): unknown {
  if (Array.isArray(json)) return json.map((item) => decode(item, inTensor));
  if (typeof json === "string") return inTensor && json in SPELLED ? SPELLED[json as Spelled] : json;
  if (typeof json !== "object" || json === null) return json;
  return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, decode(value, inTensor || TENSOR_FIELDS.has(key))]));
}
