/**
 * Which field of a form an error belongs to. The server names it in the error's detail: a 422
 * for a malformed request lists `{field, problem}` pairs (the dotted path of each field at
 * fault), and an error caused by one field's value (a taken name, an unknown input, a bad
 * parameter) carries `{field: "output" | "inputs.1" | "params.axis" | ...}`.
 */
import type { ApiError } from "../api/errors";
import type { FieldProblem } from "../api/types";

/** A form's problems by the request field they belong to; "" holds those of the whole form. */
export type FormErrors = Record<string, string>;

/**
 * Places an API error beside the fields the form shows: each problem under the field it names,
 * or the nearest enclosing one; the error goes under "" (the whole form) when it names no
 * field shown.
 */
export function errorsByField(error: ApiError, shown: ReadonlySet<string>): FormErrors {
  const named = namedField(error.detail);
  const problems = named !== null ? [{ field: named, problem: error.message }] : error.status === 422 ? fieldProblems(error.detail) : [];
  const placed = placeErrors(problems, shown);
  return Object.keys(placed).length > 0 && !(named !== null && "" in placed) ? placed : { "": error.message };
}

/**
 * Puts each problem next to a field the form shows: the field itself, or the nearest enclosing
 * one ("model.hidden.3.x" -> "model.hidden.3" -> ...). Problems with no such field go under ""
 * (the whole form), prefixed with the field they name.
 */
export function placeErrors(problems: readonly FieldProblem[], shown: ReadonlySet<string>): FormErrors {
  const errors: FormErrors = {};
  for (const { field, problem } of problems) {
    const parts = field.split(".");
    while (parts.length > 0 && !shown.has(parts.join("."))) parts.pop();
    const key = parts.join(".");
    const text = key === "" && field !== "body" && field !== "" ? `${field}: ${problem}` : problem;
    errors[key] = errors[key] === undefined ? text : `${errors[key]} ${text}`;
  }
  return errors;
}

/** The {field, problem} list a 422 carries in its detail; anything else gives none. */
export function fieldProblems(detail: unknown): FieldProblem[] {
  if (!Array.isArray(detail)) return [];
  return detail.filter(
    (item): item is FieldProblem =>
      typeof item === "object" &&
      item !== null &&
      typeof (item as Record<string, unknown>).field === "string" &&
      typeof (item as Record<string, unknown>).problem === "string",
  );
}

/** The one field an error's detail names (`{"field": "output", ...}`), else null. */
function namedField(detail: unknown): string | null {
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return null;
  const field = (detail as Record<string, unknown>).field;
  return typeof field === "string" && field !== "" ? field : null;
}

/** The errors without the one of `field`: what is left once the user edits that field. */
export function withoutField(errors: FormErrors, field: string): FormErrors {
  if (!(field in errors)) return errors;
  const { [field]: _dropped, ...rest } = errors;
  return rest;
}
