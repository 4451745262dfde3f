/** Reading the user's points from CSV text: `x,y,label` per line, with or without a header. */
import { datasetConfigLimits } from "../api/enums.gen";

/** One point the user gave: its coordinates and class (0 to MAX_CLASS). */
export type UserPoint = [number, number, number];

/** The highest class a point may have: labels count from 0 up to the server's most classes. */
export const MAX_CLASS = datasetConfigLimits.classes.maximum - 1;

/** A line that could not be read, numbered from 1 as an editor shows it. */
export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvResult {
  points: UserPoint[];
  problems: CsvProblem[];
}

/**
 * The points of a CSV text. Blank lines are skipped, and so is a first line whose fields are
 * not numbers (a header such as `x,y,label`). Every other line must hold two finite numbers and
 * a whole-number label from 0 to 5; the lines that do not are listed, by number, with why.
 */
export function parsePointsCsv(text: string): CsvResult {
  const points: UserPoint[] = [];
  const problems: CsvProblem[] = [];
  let seenContent = false;
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const fields = raw.split(/[,;\t]/).map((field) => field.trim());
    const first = !seenContent;
    seenContent = true;
    if (first && fields.every((field) => field === "" || !Number.isFinite(Number(field)))) return;
    const read = readPoint(fields);
    if (typeof read === "string") problems.push({ line, message: read });
    else points.push(read);
  });
  return { points, problems };
}

function readPoint(fields: string[]): UserPoint | string {
  if (fields.length !== 3) return `expected 3 fields (x, y, label), found ${fields.length}`;
  const [x, y, label] = fields.map((field) => (field === "" ? NaN : Number(field))) as UserPoint;
  if (!Number.isFinite(x)) return `x is not a finite number: "${fields[0]}"`;
  if (!Number.isFinite(y)) return `y is not a finite number: "${fields[1]}"`;
  if (!Number.isInteger(label) || label < 0 || label > MAX_CLASS) {
    return `the label must be a whole number 0 to ${MAX_CLASS}: "${fields[2]}"`;
  }
  return [x, y, label];
}
