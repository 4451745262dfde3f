/** Editing the custom dataset: the class new points get, remove mode, clear, and CSV upload. */
import { useState, type ChangeEvent } from "react";
import { CheckboxField } from "../panels/fields";
import { FormError } from "../panels/FormError";
import { classColor } from "./boundary";
import { MAX_CLASS, parsePointsCsv, type CsvProblem, type UserPoint } from "./csv";
import { describePoints } from "./userData";
import type { UserData } from "./useUserData";

const CLASSES = Array.from({ length: MAX_CLASS + 1 }, (_, label) => label);

/** What a click on the plot does: add a point of `label`, or remove the nearest. */
export interface PickMode {
  label: number;
  removing: boolean;
}

interface DataEditorProps {
  data: UserData;
  mode: PickMode;
  onMode: (mode: PickMode) => void;
}

/**
 * The controls under the plot of a custom dataset. Every change replaces the points on the
 * server, which resets the run. A CSV with a bad line changes nothing: its problems are listed
 * by line number.
 */
export function DataEditor({ data, mode, onMode }: DataEditorProps) {
  const [problems, setProblems] = useState<CsvProblem[]>([]);
  // A CSV's points waiting for the user to say they may replace the points already there.
  const [waiting, setWaiting] = useState<{ file: string; points: UserPoint[] } | null>(null);

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.currentTarget.files?.[0];
    event.currentTarget.value = ""; // the same file chosen again uploads again
    if (file === undefined) return;
    const parsed = parsePointsCsv(await file.text());
    setProblems(parsed.problems);
    if (parsed.problems.length > 0) return;
    if (data.points.length === 0) data.replace(parsed.points);
    else setWaiting({ file: file.name, points: parsed.points });
  }

  return (
    <div className="data-editor">
      <p className="field__hint">
        Click the plot to add a point of the chosen class; shift-click (or remove mode) removes the nearest. Any change
        resets the run.
      </p>
      <fieldset className="data-editor__classes">
        <legend>Class of new points</legend>
        {CLASSES.map((label) => (
          <label key={label} className="data-editor__class">
            <input
              type="radio"
              name="data-editor-class"
              checked={mode.label === label}
              onChange={() => onMode({ label, removing: false })}
            />
            <span className="data-editor__swatch" style={{ background: classColor(label) }} aria-hidden="true" />
            class {label}
          </label>
        ))}
      </fieldset>
      <CheckboxField label="Click removes points" checked={mode.removing} onChange={(removing) => onMode({ ...mode, removing })} />
      <div className="data-editor__actions">
        <button type="button" className="button--quiet" disabled={data.points.length === 0} onClick={() => data.replace([])}>
          Clear points
        </button>
        <label className="data-editor__upload">
          Upload CSV
          <input type="file" accept=".csv,text/csv,text/plain" onChange={(event) => void upload(event)} />
        </label>
      </div>
      <p role="status" aria-label="Your points" className="data-editor__count">
        {describePoints(data.points)}
        {data.saving ? " (saving…)" : ""}
      </p>
      <FormError message={data.error} />
      {waiting === null ? null : (
        <div role="alertdialog" aria-label="Replace your points?" className="data-editor__confirm">
          <p>
            Replace your {data.points.length} points with the {waiting.points.length} of {waiting.file}?
          </p>
          <div className="button-row">
            <button
              type="button"
              onClick={() => {
                data.replace(waiting.points);
                setWaiting(null);
              }}
            >
              Replace them
            </button>
            <button type="button" className="button--quiet" onClick={() => setWaiting(null)}>
              Keep mine
            </button>
          </div>
        </div>
      )}
      {problems.length === 0 ? null : (
        <div role="alert" aria-label="CSV problems" className="data-editor__problems">
          <p>The CSV was not loaded: x,y,label per line, label a whole number 0 to {MAX_CLASS}.</p>
          <ul>
            {problems.map(({ line, message }) => (
              <li key={line}>
                line {line}: {message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
