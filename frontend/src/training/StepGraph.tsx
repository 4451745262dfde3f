/** One training step's graph, a box per layer, and the tape it fills and backprop empties. */
import type { CSSProperties } from "react";
import type { StepNode } from "../api/types";
import { describeNode, groupByLayer } from "./stepGraph";

interface StepGraphProps {
  /** The nodes the latest step recorded; empty before the first step. */
  nodes: readonly StepNode[];
  /** The step count, so the tape's animation replays for every new step shown. */
  step: number;
}

/** The layers left to right, each listing its gates in tape order, then the tape indicator. */
export function StepGraph({ nodes, step }: StepGraphProps) {
  if (nodes.length === 0) {
    return <p className="field__hint">No step recorded yet: press Step or Train to record one.</p>;
  }
  return (
    <>
      <ol className="step-graph" aria-label="One training step, by layer">
        {groupByLayer(nodes).map((group, index) => (
          <li key={index} className="step-graph__layer">
            <span className="step-graph__title">{group.title}</span>
            {group.parameters.length === 0 ? null : (
              <span className="step-graph__params">{group.parameters.join(" · ")}</span>
            )}
            <ol className="step-graph__gates">
              {group.nodes.map((node, i) => (
                <li key={i} className="step-graph__gate" title={describeNode(node)}>
                  {node.gate}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
      <TapeIndicator nodes={nodes} step={step} />
    </>
  );
}

/**
 * "Tape: 9 nodes recorded per step, emptied by backprop", and the nodes as cells that fill in
 * tape order (forward) and then empty in reverse (backprop), replayed for each new step shown.
 */
function TapeIndicator({ nodes, step }: StepGraphProps) {
  return (
    <div className="tape-indicator">
      <p className="tape-indicator__summary">
        Tape: {nodes.length} nodes recorded per step, emptied by backprop.
      </p>
      <ol key={step} className="tape-indicator__cells" aria-label="The tape of one step" style={{ "--count": nodes.length } as CSSProperties}>
        {nodes.map((node, i) => (
          <li key={i} className="tape-indicator__cell" style={{ "--i": i } as CSSProperties} title={describeNode(node)}>
            {describeNode(node)}
          </li>
        ))}
      </ol>
    </div>
  );
}
