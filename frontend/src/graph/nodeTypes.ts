/** The custom node types React Flow renders, defined once so the object never changes identity. */
import type { NodeTypes } from "@xyflow/react";
import { ConstantNode } from "./ConstantNode";
import { GateNode } from "./GateNode";
import { FoldedNode } from "./FoldedNode";
import { VariableNode } from "./VariableNode";

/** Maps a node's `type` to its component. */
export const nodeTypes: NodeTypes = { variable: VariableNode, gate: GateNode, constant: ConstantNode, folded: FoldedNode };
