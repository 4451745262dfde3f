/** One layer's weights and gradients over the kept steps, as TensorBoard's distributions: bins up, steps across. */
import { useEffect, useRef } from "react";
import { heatmapPixels, spanOf } from "./heatmap";
import type { Histograms, LayerHistograms } from "./timelineApi";
import "./timeline.css";

/** Drawn size of each heatmap, in CSS pixels. */
const WIDTH = 260;
const HEIGHT = 70;

interface LayersOverTimeProps {
  histograms: Histograms | null;
  /** The layer to show (1 for the first); the hovered one, else the one picked here. */
  layer: number;
  onLayer: (layer: number) => void;
  /** The step the timeline shows, marked on the heatmaps; null when live. */
  step: number | null;
}

/** A menu of layers and the chosen layer's two heatmaps, the timeline's step marked on both. */
export function LayersOverTime({ histograms, layer, onLayer, step }: LayersOverTimeProps) {
  const layers = histograms?.layers ?? [];
  const shown = layers.find((candidate) => candidate.layer === layer) ?? layers[0];
  if (shown === undefined) return null;
  return (
    <section className="layers-over-time" aria-label={`Layer ${shown.layer} over time`}>
      <label className="layers-over-time__pick">
        Layer over time{" "}
        <select value={shown.layer} onChange={(event) => onLayer(Number(event.target.value))}>
          {layers.map((candidate) => (
            <option key={candidate.layer} value={candidate.layer}>
              {candidate.layer === layers.length ? `output (${candidate.layer})` : `layer ${candidate.layer}`}
            </option>
          ))}
        </select>
        <span className="layers-over-time__hint">(or hover the layer)</span>
      </label>
      <Heatmap layer={shown} kind="weights" step={step} />
      <Heatmap layer={shown} kind="gradients" step={step} />
    </section>
  );
}

/** One distribution as a canvas named for what it shows: "Layer 2 weights at 31 kept steps 0 to 30, from -1.2 to 1.5". */
function Heatmap({ layer, kind, step }: { layer: LayerHistograms; kind: "weights" | "gradients"; step: number | null }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const distribution = layer[kind];
  const { steps } = distribution;
  const column = step === null ? -1 : steps.indexOf(step);

  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext("2d");
    if (canvas === null || context === null || context === undefined) return;
    context.clearRect(0, 0, canvas.width, canvas.height);
    const { width, height, pixels } = heatmapPixels(distribution.counts);
    if (width === 0 || height === 0) return;
    const grid = document.createElement("canvas");
    grid.width = width;
    grid.height = height;
    grid.getContext("2d")?.putImageData(new ImageData(pixels, width, height), 0, 0);
    context.imageSmoothingEnabled = false;
    context.drawImage(grid, 0, 0, canvas.width, canvas.height);
    if (column >= 0) {
      const x = ((column + 0.5) / width) * canvas.width;
      context.fillStyle = getComputedStyle(document.documentElement).getPropertyValue("--text").trim() || "#1f2330";
      context.fillRect(x - 1, 0, 2, canvas.height);
    }
  }, [distribution, column]);

  const over = steps.length === 0 ? "no steps yet" : `${steps.length} kept steps ${steps[0]} to ${steps[steps.length - 1]}`;
  const name = `Layer ${layer.layer} ${kind} at ${over}, ${spanOf(distribution.edges)}`;
  return (
    <figure className="layers-over-time__figure">
      <figcaption>
        {kind === "weights" ? "Weights and biases" : "Their gradients"} {spanOf(distribution.edges)}
      </figcaption>
      <canvas ref={ref} role="img" aria-label={name} width={WIDTH} height={HEIGHT} />
    </figure>
  );
}
