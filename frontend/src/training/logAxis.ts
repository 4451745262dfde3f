/** A log scale's axis: one label per decade, written so no two read alike and none reads 0. */

/** At most this many labels: a wider range labels every second (third, …) decade. */
const MOST_LABELS = 6;

/**
 * The powers of ten between `min` and `max` (both > 0), thinned to at most MOST_LABELS; a range
 * inside one decade gets its two ends. Ticks only at decades keep the grid from filling with the
 * grey bands of 2×, 3×, … 9× lines.
 */
export function decadeSplits(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const low = Math.ceil(Math.log10(min) - 1e-9);
  const high = Math.floor(Math.log10(max) + 1e-9);
  if (high < low) return [min, max];
  const every = Math.ceil((high - low + 1) / MOST_LABELS);
  const splits: number[] = [];
  for (let exponent = high; exponent >= low; exponent -= every) splits.unshift(10 ** exponent);
  return splits;
}

/** "1000", "1", "0.01", then "1e-4", "1e6" beyond: a decade's label, never rounded to 0. */
export function formatDecade(value: number): string {
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(value / 10 ** exponent - 1) > 1e-9) return value.toPrecision(2);
  return exponent >= -3 && exponent <= 3 ? String(Number((10 ** exponent).toFixed(Math.max(0, -exponent)))) : `1e${exponent}`;
}
