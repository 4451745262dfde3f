/**
 * The console: type a small program (`a = -4`, `c = a * b`) and run it; each operation becomes a
 * gate, each number, list or initializer a leaf.
 */
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from "react";
import type { ApiError } from "../api/errors";
import type { EvalResult } from "../api/types";
import { asApiError } from "../state/asApiError";
import { atEdge, loadHistory, remember, saveHistory, step, type HistoryPosition } from "../state/consoleHistory";
import { CheckboxField } from "./fields";
import { useFormScope } from "./formScope";
import { Panel } from "./Panel";
import { markError, sourcePosition } from "./sourceError";

interface ExpressionConsoleProps {
  /** Runs a program; ``again`` keeps the leaves it defines that exist (the next turn of a loop). */
  onRun: (source: string, again: boolean, allowNonfinite: boolean) => Promise<EvalResult>;
  /** The workspace whose history of programs ↑ and ↓ walk. */
  workspaceId: string;
}

/**
 * A textarea labelled "Expression", Run, and Run again. Enter runs, Shift+Enter starts a new line,
 * ↑ and ↓ on the first and last line walk this workspace's history. The program stays in the box
 * after it runs; Run again re-runs the last program keeping its leaves, so forward → backprop →
 * optimizer step → forward again is a click each. A failed program shows the error under the line
 * and column it names, until it runs again or another form is used.
 */
export function ExpressionConsole({ onRun, workspaceId }: ExpressionConsoleProps) {
  const id = useId();
  const [source, setSource] = useState("");
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<{ error: ApiError; source: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // Off by default: a NaN or ∞ is refused with the line that made it, unless the user keeps it.
  const [keepNonfinite, setKeepNonfinite] = useState(false);
  const [history, setHistory] = useState<string[]>(() => loadHistory(workspaceId));
  const [position, setPosition] = useState<HistoryPosition>(null);
  const [draft, setDraft] = useState("");
  // After a reload, the newest program of the history is the one to run again.
  const [lastRun, setLastRun] = useState<string | null>(() => loadHistory(workspaceId).at(-1) ?? null);
  const used = useFormScope(() => setFailure(null));

  useEffect(() => {
    const kept = loadHistory(workspaceId);
    setHistory(kept);
    setLastRun(kept.at(-1) ?? null);
  }, [workspaceId]);

  async function run(program: string, again: boolean) {
    if (program.trim() === "" || pending) return;
    used();
    setPending(true);
    setFailure(null);
    setDone(null);
    try {
      const result = await onRun(program, again, keepNonfinite);
      setDone(summarize(result, again));
      setLastRun(program);
      const kept = remember(history, program);
      setHistory(kept);
      saveHistory(workspaceId, kept);
      setPosition(null);
    } catch (caught) {
      setFailure({ error: asApiError(caught), source: program });
    } finally {
      setPending(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(source, false);
  }

  function walk(direction: "older" | "newer") {
    const next = step(history, position, direction);
    if (next === position) return;
    if (position === null) setDraft(source);
    setPosition(next);
    setSource(next === null ? draft : (history[next] ?? ""));
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void run(source, false);
      return;
    }
    const direction = event.key === "ArrowUp" ? "older" : event.key === "ArrowDown" ? "newer" : null;
    if (direction === null || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    const caret = event.currentTarget.selectionStart;
    if (caret !== event.currentTarget.selectionEnd || !atEdge(source, caret, direction)) return;
    event.preventDefault();
    walk(direction);
  }

  return (
    <Panel title="Console">
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={id}>Expression</label>
          <textarea
            id={id}
            className="console__input"
            value={source}
            rows={Math.min(8, Math.max(2, source.split("\n").length))}
            placeholder={"c = a * b\nloss = mean(c ** 2)"}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={`${id}-hint`}
            onChange={(event) => {
              setSource(event.target.value);
              setPosition(null);
            }}
            onKeyDown={onKeyDown}
          />
          <p id={`${id}-hint`} className="field__hint">
            Enter runs, Shift+Enter adds a line, ↑ ↓ recall. <code>w = 2</code>, <code>x = [[1, 2]]</code>,{" "}
            <code>W = randn(3, 4)</code>, <code>b = zeros(3)</code> make variables that require grad;{" "}
            <code>c = const(2.5)</code> makes a constant. Gates: <code>tanh(x)</code>, <code>x.relu()</code>,{" "}
            <code>sum(x, axis=0)</code>.
          </p>
        </div>
        <div className="button-row">
          <button type="submit" disabled={pending}>
            Run
          </button>
          <button
            type="button"
            className="button--quiet"
            disabled={pending || lastRun === null}
            title="Run the last program again, keeping the variables it defines (as an optimizer step left them)"
            onClick={() => lastRun !== null && void run(lastRun, true)}
          >
            Run again
          </button>
        </div>
        <CheckboxField label="Keep NaN and ∞" checked={keepNonfinite} onChange={setKeepNonfinite} />
        {failure === null ? null : <ConsoleError {...failure} />}
        {done === null ? null : (
          <p role="status" className="console__done">
            {done}
          </p>
        )}
      </form>
    </Panel>
  );
}

/** The error line, and for errors with a position, the offending line with a caret under it. */
function ConsoleError({ error, source }: { error: ApiError; source: string }) {
  const position = sourcePosition(error);
  const marked = position === null ? null : markError(source, position);
  return (
    <div role="alert" className="form-error console__error">
      <p className="console__message">{error.message}</p>
      {marked === null ? null : (
        <pre className="console__marker" aria-label={`at line ${position?.line}, column ${position?.column}`}>
          {marked[0]}
          {"\n"}
          <span className="console__caret">{marked[1]}</span>
        </pre>
      )}
    </div>
  );
}

/** "Ran again: 3 nodes; made x; kept w, b; assigned y." */
export function summarize(result: EvalResult, again: boolean): string {
  const { created = [], kept = [] } = result;
  const nodes = `${result.nodes.length} ${result.nodes.length === 1 ? "node" : "nodes"}`;
  const leaves = new Set([...created, ...kept]);
  const assigned = Object.keys(result.assigned).filter((name) => !leaves.has(name));
  const parts = [
    nodes,
    created.length > 0 ? `made ${created.join(", ")}` : "",
    kept.length > 0 ? `kept ${kept.join(", ")}` : "",
    assigned.length > 0 ? `assigned ${assigned.join(", ")}` : "",
  ].filter((part) => part !== "");
  return `${again ? "Ran again" : "Ran"}: ${parts.join("; ")}.`;
}
