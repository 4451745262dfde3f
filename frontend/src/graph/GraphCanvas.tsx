/** The canvas: the workspace drawn as a graph, laid out left to right. */
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type Node,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import "./graph.css";
import { useEffect, useMemo } from "react";
import type { WorkspaceState } from "../api/types";
import { buildGraph } from "./buildGraph";
import { decorate, type Marks } from "./decorate";
import { nodeTypes } from "./nodeTypes";
import type { FlowNode, Positions } from "./types";
import { useLayout } from "./useLayout";

const FIT = { padding: 0.2, maxZoom: 1.25 } as const;

interface GraphCanvasProps {
  state: WorkspaceState;
  marks: Marks;
  /** Called with a variable's name when its card is clicked. */
  onSelect: (name: string) => void;
}

/** Draws every variable and applied gate of the state; the drawing is derived, never stored. */
export function GraphCanvas(props: GraphCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ state, marks, onSelect }: GraphCanvasProps) {
  const graph = useMemo(() => buildGraph(state), [state]);
  const positions = useLayout(graph);
  const marked = useMemo(() => decorate(graph, marks), [graph, marks]);
  const nodes = useMemo(() => place(marked.nodes, positions), [marked.nodes, positions]);
  return (
    <ReactFlow
      nodes={nodes}
      edges={marked.edges}
      onNodeClick={(_, node) => {
        const drawn = node as FlowNode;
        if (drawn.type === "variable") onSelect(drawn.data.variable.name);
      }}
      nodeTypes={nodeTypes}
      colorMode="system"
      fitView
      fitViewOptions={FIT}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      minZoom={0.1}
      aria-label="Computation graph"
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeClassName={miniMapClass} ariaLabel="Overview of the graph" />
      <FitOnLayout positions={positions} />
    </ReactFlow>
  );
}

/** Nodes at their laid-out positions; nodes the layout has not placed yet stay hidden. */
function place(nodes: FlowNode[], positions: Positions): FlowNode[] {
  return nodes.map((node) => {
    const position = positions[node.id];
    return position === undefined ? { ...node, hidden: true } : { ...node, position };
  });
}

/**
 * Re-frames the view whenever a new layout arrives, so new nodes are in sight, and whenever the
 * canvas changes size (the inspector opening beside it, a window resize).
 */
function FitOnLayout({ positions }: { positions: Positions }) {
  const { fitView } = useReactFlow();
  const width = useStore((store) => store.width);
  const height = useStore((store) => store.height);
  useEffect(() => {
    void fitView({ ...FIT, duration: 200 });
  }, [positions, width, height, fitView]);
  return null;
}

/** MiniMap colours follow the canvas: gates, variables that require grad, constants. */
function miniMapClass(node: Node): string {
  const drawn = node as FlowNode;
  if (drawn.type === "gate") return "minimap-gate";
  return drawn.data.variable.requires_grad ? "minimap-grad" : "minimap-const";
}
