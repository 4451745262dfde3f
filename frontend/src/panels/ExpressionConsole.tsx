/** The console: type a small program (`c = a * b`) and run it; each operation becomes a gate. */
import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import type { ApiError } from "../api/errors";
import type { EvalResult } from "../api/types";
import { asApiError } from "../state/asApiError";
import { useFormScope } from "./formScope";
import { Panel } from "./Panel";
import { markError, sourcePosition } from "./sourceError";

interface ExpressionConsoleProps {
  onRun: (source: string) => Promise<EvalResult>;
}

/**
 * A textarea labelled "Expression" and a Run button. Enter runs, Shift+Enter starts a new line.
 * A failed program keeps its text and shows the error under the line and column it names, until
 * it runs again or another form is used.
 */
export function ExpressionConsole({ onRun }: ExpressionConsoleProps) {
  const id = useId();
  const [source, setSource] = useState("");
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<{ error: ApiError; source: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const used = useFormScope(() => setFailure(null));

  async function run(event?: FormEvent) {
    event?.preventDefault();
    if (source.trim() === "" || pending) return;
    used();
    setPending(true);
    setFailure(null);
    setDone(null);
    try {
      const result = await onRun(source);
      setDone(summarize(result));
      setSource("");
    } catch (caught) {
      setFailure({ error: asApiError(caught), source });
    } finally {
      setPending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void run();
    }
  }

  return (
    <Panel title="Console">
      <form className="form" onSubmit={(event) => void run(event)} noValidate>
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
            onChange={(event) => setSource(event.target.value)}
            onKeyDown={onKeyDown}
          />
          <p id={`${id}-hint`} className="field__hint">
            Enter runs, Shift+Enter adds a line. Gates by name: <code>tanh(x)</code>, <code>x.relu()</code>,{" "}
            <code>sum(x, axis=0)</code>.
          </p>
        </div>
        <button type="submit" disabled={pending}>
          Run
        </button>
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

function summarize(result: EvalResult): string {
  const names = Object.keys(result.assigned);
  const nodes = `${result.nodes.length} ${result.nodes.length === 1 ? "node" : "nodes"}`;
  return names.length === 0 ? `Ran: ${nodes}.` : `Ran: ${nodes}; assigned ${names.join(", ")}.`;
}
