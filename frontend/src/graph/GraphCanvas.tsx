/** The canvas: the workspace drawn as a graph, laid out left to right. */
import { Background, ControlButton, ReactFlow, ReactFlowProvider, useStore } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import "./graph.css";
import { useMemo, useRef, useState } from "react";
import type { LiveState } from "../state/liveState";
import { useTheme } from "../state/theme";
import { buildGraph, gateId, variableId } from "./buildGraph";
import { decorate, type Marks } from "./decorate";
import { foldGraph, type Folded } from "./fold";
import { FollowActive } from "./FollowActive";
import { CONTROLS_BAND, MIN_ZOOM, READABLE_ZOOM } from "./framing";
import { FrameOnLayout } from "./FrameOnLayout";
import { groupingOf, type Grouping } from "./groups";
import { MiniMapAside } from "./MiniMapAside";
import { nodeTypes } from "./nodeTypes";
import { OpenGroupFrames } from "./OpenGroupFrames";
import { foldGroup, openFrames } from "./openGroups";
import { PictureMenu } from "./PictureMenu";
import type { FlowGraph, FlowNode, Positions } from "./types";
import { useLayout } from "./useLayout";
import { ViewControls } from "./ViewControls";

/**
 * Graphs with more nodes than this leave the cards out of view out of the page, so loading and
 * zooming stay fast. Smaller graphs keep every card in the page, out of view or not, where
 * find-in-page and screen readers can reach it.
 */
const RENDER_ONLY_VISIBLE_ABOVE = 400;

/**
 * Below this zoom cards show only their name, their shape or scalar value and their grad, in
 * larger type, so a fitted graph of a few dozen nodes can still be read. A graph that opens
 * fitted (at READABLE_ZOOM or closer) shows its cards whole, heatmaps included.
 */
const COMPACT_BELOW = READABLE_ZOOM;

interface GraphCanvasProps {
  state: LiveState;
  /** The workspace's token, which the picture of the graph is fetched with. */
  token: string;
  marks: Marks;
  /** Called with a variable's name when its card is clicked. */
  onSelect: (name: string) => void;
}

/**
 * Draws every variable and applied gate of the state, with groups folded into one card each
 * (modules, or runs of the history in a big graph) until clicked, and each unfolded group framed with
 * a button that folds it again; the drawing is derived, never stored.
 */
export function GraphCanvas(props: GraphCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ state, token, marks, onSelect }: GraphCanvasProps) {
  const graph = useGraph(state);
  const grouping = useMemo(() => groupingOf(graph), [graph]);
  // Every group starts folded; these are the ones the user opened.
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const folded = useMemo(() => foldGraph(graph, grouping, opened), [graph, grouping, opened]);
  const positions = useLayout(folded.graph);
  const marked = useMemo(() => decorate(folded.graph, marks), [folded, marks]);
  const nodes = usePlaced(marked.nodes, positions);
  const frames = useMemo(() => openFrames(nodes, grouping, opened), [nodes, grouping, opened]);
  const onlyVisibleDrawn = nodes.length > RENDER_ONLY_VISIBLE_ABOVE;
  // Panels sit beside the canvas, never over it: only the zoom controls float, along its bottom edge.
  const insets = CONTROLS_BAND;
  const followed = useMemo(() => followedIds(marks).map((id) => folded.cardOf.get(id) ?? id), [marks, folded]);
  const compact = useStore((store) => store.transform[2] < COMPACT_BELOW);
  const userMoved = useRef(false);
  const { theme } = useTheme();
  const picture = { id: state.id, token, theme, fold: grouping.by === "module" ? folded.folded : [] };
  return (
    <ReactFlow
      nodes={nodes}
      edges={marked.edges}
      onNodeClick={(_, node) => {
        const drawn = node as FlowNode;
        if (drawn.type === "variable") onSelect(drawn.data.variable.name);
        if (drawn.type === "folded") setOpened(new Set([...opened, drawn.data.key]));
      }}
      nodeTypes={nodeTypes}
      // A move the code makes has no event; one the user makes by drag, wheel or pinch has one.
      onMoveStart={(event) => {
        if (event !== null) userMoved.current = true;
      }}
      colorMode={theme}
      onlyRenderVisibleElements={onlyVisibleDrawn}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      minZoom={MIN_ZOOM}
      aria-label="Computation graph"
      className={compact ? "graph--compact" : undefined}
    >
      <Background gap={24} />
      <ViewControls nodes={nodes} insets={insets}>
        {opened.size > 0 && grouping.by !== "none" ? (
          <ControlButton onClick={() => setOpened(new Set())} className="graph-fold-all" title="Fold every group again" aria-label="Fold all">
            Fold all
          </ControlButton>
        ) : null}
        <PictureMenu of={picture} unfoldedNote={unfoldedNote(grouping, folded)} />
      </ViewControls>
      <OpenGroupFrames frames={frames} onFold={(key) => setOpened(foldGroup(opened, key, grouping))} />
      <MiniMapAside nodes={nodes} />
      <FrameOnLayout nodes={nodes} positions={positions} insets={insets} onlyVisibleDrawn={onlyVisibleDrawn} userMoved={userMoved} />
      <FollowActive nodeIds={followed} nodes={nodes} insets={insets} />
    </ReactFlow>
  );
}

/** The graph of the state, reusing the nodes and edges of the previous state's graph that did not change. */
function useGraph(state: LiveState): FlowGraph {
  const previous = useRef<FlowGraph | undefined>(undefined);
  return useMemo(() => (previous.current = buildGraph(state, previous.current)), [state]);
}

/**
 * Nodes at their laid-out positions. A node whose content and position did not change keeps its
 * object, so React Flow redraws only the cards that changed.
 */
function usePlaced(nodes: FlowNode[], positions: Positions): FlowNode[] {
  const placed = useRef(new WeakMap<FlowNode, FlowNode>());
  return useMemo(
    () =>
      nodes.map((node) => {
        const position = positions[node.id] ?? node.position;
        const before = placed.current.get(node);
        if (before !== undefined && before.position.x === position.x && before.position.y === position.y) return before;
        const now = { ...node, position };
        placed.current.set(node, now);
        return now;
      }),
    [nodes, positions],
  );
}

/** Why the picture differs from the drawing: the server folds modules, not runs of the history. */
function unfoldedNote(grouping: Grouping, folded: Folded): string | null {
  return grouping.by === "history" && folded.folded.length > 0 ? "The picture shows the runs of gates folded here unfolded." : null;
}

/**
 * The nodes to keep in sight: those a backprop step acts on (its gate and every card it sends a
 * gradient to), else the card being inspected, so it stays in view as the inspector takes room.
 */
function followedIds({ step, selected }: Marks): string[] {
  if (step !== null) return [gateId(step.node), ...Object.keys(step.grads).map(variableId)];
  return selected === null ? [] : [variableId(selected)];
}
