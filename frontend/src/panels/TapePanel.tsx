/** The tape: the Wengert list waiting for backprop, the memory it holds, and the switches that shape it. */
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { GraphNode } from "../api/types";
import { formatBytes } from "../format";
import type { TapeMemory } from "../state/tapeMemory";
import { CheckboxField } from "./fields";
import { FormError } from "./FormError";
import { Panel } from "./Panel";
import { useSubmit } from "./useSubmit";

interface TapePanelProps {
  /** The nodes on the tape, in the order they were recorded. */
  tape: GraphNode[];
  /** The node a backprop step is running, listed among the tape's and marked; null when none plays. */
  active: GraphNode | null;
  /** Memory the tape holds; null while a backprop plays back (the server's tape is already empty). */
  tapeMemory: TapeMemory | null;
  noGrad: boolean;
  /** The controls that change the tape (TapeControls); none for a reader who may not change it. */
  children?: ReactNode;
}

/** A window this narrow (a phone's, as in pages.css) opens the tape folded: the graph needs the height. */
const NARROW_WINDOW = "(max-width: 640px)";

/**
 * Counts and lists the tape's nodes, shows its memory and whether no-grad mode is on. It sits
 * above the canvas, so it folds down to its heading to give the graph the height.
 */
export function TapePanel(props: TapePanelProps) {
  const [expanded, setExpanded] = useState(() => !window.matchMedia(NARROW_WINDOW).matches);
  const toggle = (
    <button
      type="button"
      className="button--quiet button--small"
      aria-expanded={expanded}
      aria-controls="tape-panel-body"
      onClick={() => setExpanded(!expanded)}
    >
      {expanded ? "Hide tape" : "Show tape"}
    </button>
  );
  return (
    <Panel title="Tape" action={toggle}>
      <TapeBody {...props} hidden={!expanded} />
    </Panel>
  );
}

/** The panel's contents; kept in the page while folded, so the list stays open or closed as it was. */
function TapeBody({ tape, active, tapeMemory, noGrad, children, hidden }: TapePanelProps & { hidden: boolean }) {
  const [open, setOpen] = useState(true);
  const entries = active === null ? tape : [...tape, active].sort((x, y) => x.id - y.id);
  return (
    <div id="tape-panel-body" hidden={hidden}>
      <p className="tape__count">
        <span>
          Tape: {tape.length} {tape.length === 1 ? "node" : "nodes"}
        </span>
        {tapeMemory === null ? null : (
          <span
            className={tapeMemory.estimated ? "tape__bytes tape__bytes--estimated" : "tape__bytes"}
            aria-label="Tape memory"
            title={tapeMemory.estimated ? "Estimated from the shapes on the tape; the server counts it at the next full load" : undefined}
          >
            {formatBytes(tapeMemory.bytes)}
          </span>
        )}
      </p>
      {children}
      {noGrad ? <p className="tape__note">No-grad mode is on: new gates are not recorded.</p> : null}
      {entries.length > 0 ? (
        <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary className="tape__summary">Wengert list</summary>
          <ol className="tape__list" aria-label="Wengert list">
            {entries.map((node) => (
              <TapeEntry key={node.id} node={node} active={node.id === active?.id} />
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}

/** One node of the Wengert list; the one backprop is running is marked and scrolled into view. */
function TapeEntry({ node, active }: { node: GraphNode; active: boolean }) {
  const entry = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (active) entry.current?.scrollIntoView({ block: "nearest" });
  }, [active]);
  return (
    <li ref={entry} className={active ? "tape__entry--active" : undefined} aria-current={active ? "step" : undefined}>
      <code>
        #{node.id} {node.outputs.join(", ")} = {node.gate}({node.inputs.join(", ")})
      </code>
    </li>
  );
}

interface TapeControlsProps {
  noGrad: boolean;
  /** Shown but disabled (a damaged workspace, until its owner repairs it). */
  disabled: boolean;
  onNoGrad: (enabled: boolean) => Promise<void>;
  onZeroGrads: () => Promise<void>;
}

/** The no-grad mode switch and Zero grads. */
export function TapeControls({ noGrad, disabled, onNoGrad, onZeroGrads }: TapeControlsProps) {
  const { pending, error, run } = useSubmit();
  // The switch flips at once; the server's answer (and the reload after it) then confirms it.
  const [flipping, setFlipping] = useState<boolean | null>(null);

  async function switchNoGrad(enabled: boolean) {
    setFlipping(enabled);
    await run(() => onNoGrad(enabled));
    setFlipping(null);
  }

  return (
    <>
      <fieldset className="tape__controls" disabled={disabled || pending}>
        <CheckboxField label="No-grad mode" checked={flipping ?? noGrad} onChange={(enabled) => void switchNoGrad(enabled)} />
        <button type="button" className="button--quiet button--small" onClick={() => void run(onZeroGrads)}>
          Zero grads
        </button>
      </fieldset>
      <FormError message={error} />
    </>
  );
}
