/** A distribution over steps as a heatmap's pixels: one column per kept step, one row per bin. */

/** The shade of a full bin (the accent blue); emptier bins are fainter, an empty one transparent. */
const INK: [number, number, number] = [37, 99, 235];

/**
 * RGBA pixels of `counts` (a row of bin counts per step) as an image `steps` wide and `bins` high,
 * the lowest bin at the bottom. A cell's opacity is the square root of its count over the largest
 * count, so the thin tails of a distribution still show beside its peak.
 */
export function heatmapPixels(counts: readonly (readonly number[])[]): { width: number; height: number; pixels: Uint8ClampedArray<ArrayBuffer> } {
  const width = counts.length;
  const height = counts[0]?.length ?? 0;
  const pixels = new Uint8ClampedArray(width * height * 4);
  const largest = Math.max(1, ...counts.flat());
  counts.forEach((row, x) =>
    row.forEach((count, bin) => {
      const at = ((height - 1 - bin) * width + x) * 4;
      pixels.set([...INK, Math.round(255 * Math.sqrt(count / largest))], at);
    }),
  );
  return { width, height, pixels };
}

/** "from -1.2 to 1.5": the range the bins span, for the heatmap's accessible name. */
export function spanOf(edges: readonly number[]): string {
  const [low, high] = [edges[0], edges[edges.length - 1]];
  return low === undefined || high === undefined ? "nothing yet" : `from ${low.toPrecision(3)} to ${high.toPrecision(3)}`;
}

/** The layer a hovered part of the network belongs to: a weight's layer, or a hidden or output unit's (inputs: none). */
export function layerOfHovered(hovered: { kind: "edge"; parameter: string } | { kind: "tile"; column: number }): number | null {
  if (hovered.kind === "tile") return hovered.column === 0 ? null : hovered.column;
  const number = /(\d+)$/.exec(hovered.parameter)?.[1];
  return number === undefined ? null : Number(number);
}
