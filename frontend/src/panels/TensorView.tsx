/**
 * A tensor in full: a number, a table up to 32×32, or a heatmap with a colour bar beyond; a tensor
 * of rank > 2 one 2-D slice at a time, picked with a slider per leading axis; then its statistics.
 */
import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { NestedNumbers } from "../api/types";
import { colorScale, type ScaleKind } from "../colors";
import { useTheme } from "../state/theme";
import { finiteRange, fitsTable, flatten, leadingAxes, sliceAt, tensorStats } from "../tensor";
import { ColorBar } from "./ColorBar";
import { Heatmap } from "./Heatmap";
import { Num } from "./Num";

/** Significant digits shown where a number is read in full. */
const FULL_DIGITS = 7;

interface TensorViewProps {
  /** Accessible name, e.g. "a value" or "a grad". */
  label: string;
  value: NestedNumbers;
  shape: readonly number[];
  scale: ScaleKind;
}

/** The whole tensor named `label`, then min, max, mean and norm for anything bigger than a scalar. */
export function TensorView({ label, value, shape, scale }: TensorViewProps) {
  if (shape.length === 0) {
    return (
      <output className="tensor__scalar" aria-label={label}>
        <Num value={Number(value)} digits={FULL_DIGITS} />
      </output>
    );
  }
  const stats = tensorStats(value);
  return (
    <div className="tensor">
      <SlicedTensor label={label} value={value} shape={shape} scale={scale} />
      {stats === null ? null : (
        <dl className="tensor__stats" aria-label={`${label} statistics`}>
          {(["min", "max", "mean", "norm"] as const).map((key) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>
                <Num value={stats[key]} digits={5} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

/** Sliders for the leading axes (none below rank 3), and the slice they pick as a table or heatmap. */
function SlicedTensor({ label, value, shape, scale }: TensorViewProps) {
  const [leading, setLeading] = useState<number[]>([]);
  const slice = sliceAt(value, shape, leading);
  const picked = leadingAxes(shape).map((size, axis) => Math.max(0, Math.min(size - 1, leading[axis] ?? 0)));
  const index = (row: number, column: number) => (shape.length === 1 ? [column] : [...picked, row, column]);
  const pick = (axis: number, at: number) => setLeading(picked.map((old, i) => (i === axis ? at : old)));
  return (
    <>
      {picked.length === 0 ? null : <AxisSliders label={label} shape={shape} picked={picked} onPick={pick} />}
      {fitsTable(slice.shape) ? (
        <TensorTable label={label} rows={slice.rows} index={index} />
      ) : (
        <SliceHeatmap label={label} value={value} rows={slice.rows} scale={scale} index={index} />
      )}
    </>
  );
}

interface AxisSlidersProps {
  label: string;
  shape: readonly number[];
  picked: readonly number[];
  onPick: (axis: number, index: number) => void;
}

/** One slider per leading axis, named "axis 0", "axis 1" …, and the slice they pick as `[1, 2, :, :]`. */
function AxisSliders({ label, shape, picked, onPick }: AxisSlidersProps) {
  return (
    <div className="tensor__axes" role="group" aria-label={`${label} slice`}>
      {picked.map((at, axis) => {
        const size = shape[axis] ?? 0;
        return (
          <label key={axis} className="tensor__axis">
            <span className="tensor__axis-name">axis {axis}</span>
            <input
              type="range"
              aria-label={`axis ${axis}`}
              aria-valuetext={`${at} of 0 to ${size - 1}`}
              min={0}
              max={Math.max(0, size - 1)}
              step={1}
              value={at}
              disabled={size <= 1}
              onChange={(event) => onPick(axis, Number(event.target.value))}
            />
            <span className="tensor__axis-index">
              {at} <span className="muted">of 0–{size - 1}</span>
            </span>
          </label>
        );
      })}
      <p className="tensor__slice">
        slice <code aria-label={`${label} slice shown`}>[{[...picked, ":", ":"].join(", ")}]</code>
      </p>
    </div>
  );
}

type CellIndex = (row: number, column: number) => readonly number[];

/**
 * The slice as a table. One wider than the inspector scrolls sideways: it then says so under the
 * table, with a shadow at the edge where columns are hidden. A table that scrolls either way
 * takes the focus, so the arrow keys scroll it.
 */
function TensorTable({ label, rows, index }: { label: string; rows: number[][]; index: CellIndex }) {
  const scroller = useRef<HTMLDivElement>(null);
  const hidden = useHiddenSides(scroller);
  const columns = rows[0]?.length ?? 0;
  const scrolls = hidden.left || hidden.right || hidden.below;
  const edges = `${hidden.left ? " tensor__scroll--left" : ""}${hidden.right ? " tensor__scroll--right" : ""}`;
  return (
    <>
      <div
        ref={scroller}
        className={`tensor__scroll${edges}`}
        {...(scrolls ? { tabIndex: 0, role: "region", "aria-label": `${label} table, ${columns} columns, scrolls` } : {})}
      >
        <table className="tensor__table" aria-label={label}>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {row.map((x, j) => (
                  <td key={j} title={`[${index(i, j).join(", ")}]`}>
                    <Num value={x} digits={5} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {hidden.left || hidden.right ? (
        <p className="tensor__cue">
          {columns} columns: scroll sideways {hidden.right ? "→" : "←"} (or focus the table and use the arrow keys)
        </p>
      ) : null}
    </>
  );
}

/** Which sides of a scrolling element hide content, followed through scrolling and resizing. */
function useHiddenSides(element: RefObject<HTMLElement | null>): { left: boolean; right: boolean; below: boolean } {
  const [sides, setSides] = useState({ left: false, right: false, below: false });
  useLayoutEffect(() => {
    const node = element.current;
    if (node === null) return;
    const measure = () => {
      // One pixel of slack: a fractional width must not count as hidden content.
      const left = node.scrollLeft > 1;
      const right = node.scrollLeft + node.clientWidth < node.scrollWidth - 1;
      const below = node.clientHeight < node.scrollHeight - 1;
      setSides((old) => (old.left === left && old.right === right && old.below === below ? old : { left, right, below }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    node.addEventListener("scroll", measure, { passive: true });
    return () => {
      observer.disconnect();
      node.removeEventListener("scroll", measure);
    };
  }, [element]);
  return sides;
}

interface SliceHeatmapProps {
  label: string;
  /** The whole tensor: every slice shares its colour scale, so slices compare by colour. */
  value: NestedNumbers;
  rows: number[][];
  scale: ScaleKind;
  index: CellIndex;
}

/** The slice as a heatmap (hover a cell for its number) over the colour bar of the whole tensor. */
function SliceHeatmap({ label, value, rows, scale, index }: SliceHeatmapProps) {
  const { theme } = useTheme();
  const items = useMemo(() => flatten(value), [value]);
  const range = useMemo(() => finiteRange(items), [items]);
  const nonFinite = useMemo(() => items.some((x) => !Number.isFinite(x)), [items]);
  return (
    <div className="tensor__heatmap">
      <Heatmap rows={rows} scale={scale} label={label} range={range} cellIndex={index} />
      <ColorBar label={label} scale={colorScale(scale, range[0], range[1], theme)} nonFinite={nonFinite} />
    </div>
  );
}
