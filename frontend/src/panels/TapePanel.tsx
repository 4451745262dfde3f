/** The tape: how many nodes wait for backprop, and which. */
import type { GraphNode } from "../api/types";
import { Panel } from "./Panel";

/** Counts the nodes on the tape and lists them in the order they were recorded. */
export function TapePanel({ tape, noGrad }: { tape: GraphNode[]; noGrad: boolean }) {
  return (
    <Panel title="Tape">
      <p className="tape__count">
        Tape: {tape.length} {tape.length === 1 ? "node" : "nodes"}
      </p>
      {noGrad ? <p className="tape__note">no_grad is on: new gates are not recorded.</p> : null}
      {tape.length > 0 ? (
        <ol className="tape__list">
          {tape.map((node) => (
            <li key={node.id}>
              <code>
                #{node.id} {node.gate}({node.inputs.join(", ")}) → {node.outputs.join(", ")}
              </code>
            </li>
          ))}
        </ol>
      ) : null}
    </Panel>
  );
}
