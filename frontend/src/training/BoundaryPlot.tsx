/** The decision boundary as a heatmap with the data points on top: train filled, test outlined. */
import { useEffect, useRef, useState, type MouseEvent } from "react";
import type { DecisionBoundary, TrainingPoints } from "../api/types";
import { CheckboxField } from "../panels/fields";
import { boundaryPixels, classColor, describeBoundary, fromPixel, legendClasses, toPixel, valueColor } from "./boundary";

/** Side of the drawing in CSS pixels at its widest; it shrinks with its column down to 420. */
const SIZE = 520;
const RADIUS = 3.5;

interface BoundaryPlotProps {
  /** The model's boundary, or a frame that predicts nothing when there is no model for the data. */
  boundary: DecisionBoundary | null;
  points: TrainingPoints | null;
  /** The step the boundary belongs to, for the image's accessible name; null when no model is drawn. */
  step: number | null;
  /** What the points are ("moons, noise 0.1"), for the image's accessible name. */
  data: string;
  /**
   * Called with the data point under a click, whether it asks to remove (shift held), and how
   * far from it a point counts as hit; absent, clicks do nothing.
   */
  onPick?: ((point: [number, number], remove: boolean, reach: number) => void) | undefined;
}

/** How near a click must come to a point, in CSS pixels, to remove it. */
const PICK_REACH = 8;

/** One canvas: the boundary scaled up, then the points; its name says what it shows. Below it,
 * whether to show the test points and whether to draw hard classes. */
export function BoundaryPlot({ boundary, points, step, data, onPick }: BoundaryPlotProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [showTest, setShowTest] = useState(true);
  const [discrete, setDiscrete] = useState(false);
  const regression = points?.train_targets != null || boundary?.values != null;
  const scale = typeof window === "undefined" ? 1 : Math.min(window.devicePixelRatio || 1, 2);
  const side = Math.round(SIZE * scale);

  useEffect(() => {
    const context = ref.current?.getContext("2d");
    if (context === null || context === undefined) return;
    context.clearRect(0, 0, side, side);
    if (boundary === null) return;
    drawBoundary(context, boundary, side, discrete && !regression);
    if (points !== null) drawPoints(context, boundary, showTest ? points : { ...points, test: [] }, side, scale);
  }, [boundary, points, side, scale, showTest, discrete, regression]);

  const drawn = points === null ? "" : `${points.train.length} train${showTest ? ` and ${points.test.length} test` : ""} points of ${data}`;
  const label =
    boundary === null
      ? "Decision boundary: not computed yet"
      : step === null
        ? `Decision boundary: no model yet, ${drawn}`
        : `Decision boundary at step ${step}: ${describeBoundary(boundary)}, ${drawn}`;
  const pick =
    onPick === undefined || boundary === null
      ? undefined
      : (event: MouseEvent<HTMLCanvasElement>) => {
          const box = event.currentTarget.getBoundingClientRect();
          const at: [number, number] = [event.clientX - box.left, event.clientY - box.top];
          const reach = (PICK_REACH / box.width) * (boundary.x_max - boundary.x_min);
          onPick(fromPixel(at, boundary, box.width, box.height), event.shiftKey, reach);
        };
  return (
    <figure className="boundary">
      <canvas
        ref={ref}
        role="img"
        aria-label={label}
        width={side}
        height={side}
        style={{ cursor: pick === undefined ? undefined : "crosshair" }}
        onClick={pick}
      />
      <div className="boundary__options">
        <CheckboxField label="Show test data" checked={showTest} onChange={setShowTest} />
        {/* Discretizing rounds to a class: a regression's output has none. */}
        {regression ? null : <CheckboxField label="Discretize output" checked={discrete} onChange={setDiscrete} />}
      </div>
      <figcaption className="boundary__legend">
        {regression ? (
          <>
            <Swatch label="−1" color={valueColor(-1)} filled />
            <Swatch label="+1" color={valueColor(1)} filled />
          </>
        ) : (
          legendClasses(points, boundary).map((label) => <Swatch key={label} label={`class ${label}`} color={classColor(label)} filled />)
        )}
        <Swatch label="train" color="currentColor" filled />
        <Swatch label="test" color="currentColor" filled={false} />
      </figcaption>
    </figure>
  );
}

function Swatch({ label, color, filled }: { label: string; color: string; filled: boolean }) {
  return (
    <span className="boundary__swatch">
      <svg width="10" height="10" aria-hidden="true">
        <circle cx="5" cy="5" r="4" fill={filled ? color : "none"} stroke={color} strokeWidth="1.5" />
      </svg>
      {label}
    </span>
  );
}

function drawBoundary(context: CanvasRenderingContext2D, boundary: DecisionBoundary, side: number, discrete: boolean) {
  const grid = document.createElement("canvas");
  grid.width = grid.height = boundary.resolution;
  const gridContext = grid.getContext("2d");
  if (gridContext === null) return;
  const image = gridContext.createImageData(boundary.resolution, boundary.resolution);
  image.data.set(boundaryPixels(boundary, discrete));
  gridContext.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = !discrete;
  context.drawImage(grid, 0, 0, side, side);
}

function drawPoints(
  context: CanvasRenderingContext2D,
  boundary: DecisionBoundary,
  points: TrainingPoints,
  side: number,
  scale: number,
) {
  const radius = RADIUS * scale;
  context.lineWidth = 1.5 * scale;
  const draw = (xy: [number, number], color: string, filled: boolean) => {
    const [x, y] = toPixel(xy, boundary, side, side);
    context.beginPath();
    context.arc(x, y, radius, 0, 2 * Math.PI);
    if (filled) {
      context.fillStyle = color;
      context.strokeStyle = "rgb(255 255 255 / 0.8)";
      context.fill();
    } else {
      context.strokeStyle = color;
    }
    context.stroke();
  };
  // A regression's points take the colour of their target; a classifier's, of their class.
  const color = (targets: number[] | null, labels: number[], i: number) =>
    targets === null ? classColor(labels[i] ?? 0) : valueColor(targets[i] ?? 0);
  points.train.forEach((xy, i) => draw(xy, color(points.train_targets, points.train_labels, i), true));
  points.test.forEach((xy, i) => draw(xy, color(points.test_targets, points.test_labels, i), false));
}
