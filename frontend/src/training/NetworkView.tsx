/**
 * The network drawn, as TensorFlow Playground draws it: every input feature, hidden unit and
 * output as a small tile of its value over the input plane, the weights as edges between them
 * (red positive, blue negative, thicker the larger), a readout of whatever is hovered, and an
 * inline editor for the weight of a clicked edge.
 */
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { NetworkDrawing, NetworkLayer } from "../api/types";
import { divergingColor } from "../colors";
import { FormError } from "../panels/FormError";
import { asApiError } from "../state/asApiError";
import type { Theme } from "../state/theme";
import { useTheme } from "../state/theme";
import {
  type Edge,
  edgeName,
  edgeWidth,
  formatWeight,
  layerLimit,
  layoutNetwork,
  networkEdges,
  shortName,
  type Spot,
  unitName,
  weightLimit,
} from "./network";
import { layerOfHovered } from "./heatmap";
import type { Network } from "./useNetwork";
import "./network.css";

/** Room above the tiles for the columns' titles. */
const HEADER = 18;
const HINT = "Hover a tile or an edge to read it; click an edge to edit its weight.";

interface NetworkViewProps {
  network: Network;
  /** A viewer reads the weights but cannot edit them. */
  readOnly: boolean;
  /** Hears which layer (1 for the first) a hovered edge or unit belongs to; null for an input. */
  onHoverLayer?: ((layer: number | null) => void) | undefined;
}

/** The tiles, the edges and the readout; a hint before a run exists. */
export function NetworkView({ network, readOnly, onHoverLayer }: NetworkViewProps) {
  const { drawing } = network;
  const { theme } = useTheme();
  // What is hovered, not its text: the readout is derived from the drawing, so an edit shows at once.
  const [hovered, setHoveredPart] = useState<Hovered | null>(null);
  const setHovered = (part: Hovered) => {
    setHoveredPart(part);
    onHoverLayer?.(layerOfHovered(part));
  };
  const [editing, setEditing] = useState<Edge | null>(null);
  if (drawing === null) return <p className="field__hint">No run yet: apply a setup to see its network.</p>;

  const layout = layoutNetwork(drawing.layers.map((layer) => layer.units.length));
  const edges = networkEdges(drawing, layout);
  const limit = weightLimit(edges);
  const { tile } = layout;
  const sizes = drawing.layers.map((layer) => layer.units.length).join("-");
  const open = (edge: Edge) => !readOnly && setEditing(edge);
  const readout = hovered === null ? null : describeHovered(hovered, drawing, edges);

  return (
    <figure className="network" aria-label={`The network at step ${drawing.step}: ${sizes} units, ${drawing.activation}`}>
      <div className="network__plane" style={{ width: layout.width, height: layout.height + HEADER }}>
        {drawing.layers.map((layer, column) => (
          <span key={column} className="network__column" style={{ left: layout.spots[column]?.[0]?.x ?? 0, width: tile }}>
            {columnTitle(layer, column)}
          </span>
        ))}
        <svg className="network__edges" width={layout.width} height={layout.height + HEADER} role="group" aria-label="Weights">
          {edges.map((edge) => (
            <EdgeLine
              key={`${edge.parameter}:${edge.index.join(",")}`}
              edge={edge}
              tile={tile}
              limit={limit}
              theme={theme}
              readOnly={readOnly}
              onOpen={open}
              onHover={() => setHovered({ kind: "edge", parameter: edge.parameter, index: edge.index })}
            />
          ))}
        </svg>
        {drawing.layers.map((layer, column) =>
          layer.tiles.map((values, unit) => {
            const name = unitName(layer, column, unit);
            const detail = tileDetail(drawing, column, unit);
            return (
              <Tile
                key={`${column}:${unit}`}
                name={name}
                detail={detail}
                values={values}
                limit={layerLimit(layer)}
                spot={layout.spots[column]?.[unit] ?? { x: 0, y: 0 }}
                size={tile}
                theme={theme}
                onHover={() => setHovered({ kind: "tile", column, unit })}
              />
            );
          }),
        )}
        {editing === null ? null : (
          <WeightEditor
            key={`${editing.parameter}:${editing.index.join(",")}`}
            edge={editing}
            at={middle(editing, tile)}
            onApply={(value) => network.editWeight({ parameter: editing.parameter, index: editing.index, value })}
            onClose={() => setEditing(null)}
          />
        )}
      </div>
      <figcaption className="network__readout">{readout ?? HINT}</figcaption>
    </figure>
  );
}

/** What the pointer is on: a weight (by parameter and index) or a unit's tile (by column and unit). */
type Hovered = { kind: "edge"; parameter: string; index: number[] } | { kind: "tile"; column: number; unit: number };

/** The readout of what is hovered, from the drawing as it is now. */
function describeHovered(hovered: Hovered, drawing: NetworkDrawing, edges: readonly Edge[]): string | null {
  if (hovered.kind === "tile") return tileDetail(drawing, hovered.column, hovered.unit);
  const edge = edges.find((e) => e.parameter === hovered.parameter && e.index.join(",") === hovered.index.join(","));
  return edge === undefined ? null : describeEdge(edge, drawing.layers);
}

/** "layer 1 unit 2, bias 0.1": a unit's name and, if it has one, its bias. */
function tileDetail(drawing: NetworkDrawing, column: number, unit: number): string {
  const layer = drawing.layers[column];
  if (layer === undefined) return "";
  const name = unitName(layer, column, unit);
  const bias = layer.biases === null ? null : drawing.parameters[layer.biases]?.[0]?.[unit];
  return bias === undefined || bias === null ? name : `${name}, bias ${formatWeight(bias)}`;
}

function columnTitle(layer: NetworkLayer, column: number): string {
  if (layer.kind === "input") return "Input";
  return layer.kind === "output" ? "Output" : `Layer ${column}`;
}

/** "W1[0,3] = 0.5213: from input x to layer 1 unit 4". */
function describeEdge(edge: Edge, layers: readonly NetworkLayer[]): string {
  const [from, to] = [layers[edge.layer - 1], layers[edge.layer]];
  const route = from === undefined || to === undefined ? "" : `: from ${unitName(from, edge.layer - 1, edge.index[0])} to ${unitName(to, edge.layer, edge.index[1])}`;
  return `${shortName(edge.parameter)}[${edge.index.join(",")}] = ${formatWeight(edge.value)}${route}`;
}

/** Where an edge's curve passes halfway, relative to the plane. */
function middle(edge: Edge, tile: number): Spot {
  return { x: (edge.from.x + tile + edge.to.x) / 2, y: HEADER + (edge.from.y + edge.to.y + tile) / 2 };
}

interface EdgeLineProps {
  edge: Edge;
  tile: number;
  limit: number;
  theme: Theme;
  readOnly: boolean;
  onOpen(edge: Edge): void;
  onHover(): void;
}

/** One weight: a curve from its unit's right side to the next unit's left, with a wider hit area. */
function EdgeLine({ edge, tile, limit, theme, readOnly, onOpen, onHover }: EdgeLineProps) {
  const [x1, y1] = [edge.from.x + tile, HEADER + edge.from.y + tile / 2];
  const [x2, y2] = [edge.to.x, HEADER + edge.to.y + tile / 2];
  const bend = (x1 + x2) / 2;
  const path = `M ${x1} ${y1} C ${bend} ${y1}, ${bend} ${y2}, ${x2} ${y2}`;
  const strength = Math.min(1, Math.abs(edge.value) / limit);
  const color = divergingColor(edge.value < 0 ? -limit : limit, limit, theme);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    onOpen(edge);
  };
  return (
    <g
      className="network__edge"
      role={readOnly ? "img" : "button"}
      tabIndex={readOnly ? undefined : 0}
      aria-label={edgeName(edge)}
      onClick={() => onOpen(edge)}
      onKeyDown={readOnly ? undefined : onKeyDown}
      onMouseEnter={onHover}
      onFocus={onHover}
    >
      <path d={path} className="network__hit" />
      <path d={path} stroke={color} strokeOpacity={0.35 + 0.65 * strength} strokeWidth={edgeWidth(edge.value, limit)} fill="none" />
    </g>
  );
}

interface TileProps {
  name: string;
  detail: string;
  values: number[][];
  limit: number;
  spot: Spot;
  size: number;
  theme: Theme;
  onHover(): void;
}

/** One unit's values over the plane, one canvas pixel per grid cell, scaled up smoothly. */
function Tile({ name, detail, values, limit, spot, size, theme, onHover }: TileProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const resolution = values.length;
  useEffect(() => {
    const context = ref.current?.getContext("2d");
    if (context === null || context === undefined) return;
    // The server's row 0 is the lowest y: it is drawn at the bottom.
    values.forEach((row, r) =>
      row.forEach((value, column) => {
        context.fillStyle = divergingColor(value, limit, theme);
        context.fillRect(column, resolution - 1 - r, 1, 1);
      }),
    );
  }, [values, limit, theme, resolution]);
  return (
    <canvas
      ref={ref}
      className="network__tile"
      role="img"
      aria-label={name}
      title={detail}
      width={resolution}
      height={resolution}
      style={{ left: spot.x, top: HEADER + spot.y, width: size, height: size }}
      onMouseEnter={onHover}
    />
  );
}

interface WeightEditorProps {
  edge: Edge;
  at: Spot;
  onApply(value: number): Promise<void>;
  onClose(): void;
}

/** A number field over the edge: Enter applies (closing once the server agrees), Esc cancels. */
function WeightEditor({ edge, at, onApply, onClose }: WeightEditorProps) {
  const [text, setText] = useState(formatWeight(edge.value));
  const [error, setError] = useState<string | null>(null);
  const label = `${edge.short}[${edge.index.join(",")}]`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value)) {
      setError("Enter a finite number.");
      return;
    }
    try {
      await onApply(value);
      onClose();
    } catch (caught) {
      setError(asApiError(caught).message);
    }
  };
  return (
    <form className="network__editor" style={{ left: at.x, top: at.y }} onSubmit={(event) => void submit(event)}>
      <label>
        {label} =
        <input
          type="text"
          inputMode="decimal"
          aria-label={`New value of ${label}`}
          aria-invalid={error !== null}
          value={text}
          autoFocus
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => event.key === "Escape" && onClose()}
        />
      </label>
      {error === null ? null : <FormError message={error} />}
    </form>
  );
}
