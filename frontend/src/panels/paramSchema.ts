/**
 * A gate's parameters, read from the JSON Schema GET /api/gates publishes, as form fields; and
 * what a person typed, read back as parameter values. Pure, so it can be tested.
 */

/** How a parameter is entered. "integers" takes "2" or "2, 3"; "json" anything else, as JSON. */
export type ParamKind = "integer" | "number" | "boolean" | "integers" | "enum" | "json";

/** One parameter as a form field. */
export interface ParamField {
  name: string;
  kind: ParamKind;
  required: boolean;
  /** Whether null is allowed (an empty field then sends nothing and the default applies). */
  nullable: boolean;
  description: string;
  default: unknown;
  /** The choices of an enum. */
  options: unknown[];
}

/** What a field's text means: a value to send, nothing to send, or what is wrong. */
export type ParsedParam = { ok: true; value: unknown } | { ok: true; value?: undefined; omit: true } | { ok: false; message: string };

type Schema = Record<string, unknown>;

/** The fields of a gate's params schema, in the schema's order. */
export function paramFields(schema: Schema): ParamField[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const types = typeList(property.type);
    return {
      name,
      kind: kindOf(property, types),
      required: required.has(name),
      nullable: types.includes("null"),
      description: typeof property.description === "string" ? property.description : "",
      default: property.default,
      options: Array.isArray(property.enum) ? property.enum : [],
    };
  });
}

function typeList(type: unknown): string[] {
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

function kindOf(property: Schema, types: string[]): ParamKind {
  if (Array.isArray(property.enum)) return "enum";
  const kinds = types.filter((t) => t !== "null");
  const items = property.items as Schema | undefined;
  const integerItems = items !== undefined && typeList(items.type).includes("integer");
  if (kinds.includes("array")) return integerItems && kinds.every((k) => k === "array" || k === "integer") ? "integers" : "json";
  if (kinds.length === 1 && (kinds[0] === "integer" || kinds[0] === "number" || kinds[0] === "boolean")) return kinds[0];
  return "json";
}

/** The text a field starts with: its default written the way it is typed, or empty. */
export function initialText(field: ParamField): string {
  if (field.default === undefined || field.default === null) return "";
  if (Array.isArray(field.default) && field.kind === "integers") return field.default.join(", ");
  return typeof field.default === "string" && field.kind === "enum" ? field.default : JSON.stringify(field.default);
}

/** Reads a field's text: empty omits an optional parameter; a required one must be given. */
export function parseParam(field: ParamField, text: string): ParsedParam {
  const trimmed = text.trim();
  if (trimmed === "") {
    return field.required ? { ok: false, message: `${field.name} is required.` } : { ok: true, omit: true };
  }
  switch (field.kind) {
    case "integer":
    case "number": {
      const value = Number(trimmed);
      if (!Number.isFinite(value)) return { ok: false, message: `${field.name} must be a number.` };
      if (field.kind === "integer" && !Number.isInteger(value)) return { ok: false, message: `${field.name} must be a whole number.` };
      return { ok: true, value };
    }
    case "integers":
      return parseIntegers(field.name, trimmed);
    case "boolean":
      return trimmed === "true" || trimmed === "false" ? { ok: true, value: trimmed === "true" } : { ok: false, message: `${field.name} must be true or false.` };
    case "enum":
      return { ok: true, value: field.options.find((option) => String(option) === trimmed) ?? trimmed };
    case "json":
      try {
        return { ok: true, value: JSON.parse(trimmed) as unknown };
      } catch {
        return { ok: false, message: `${field.name} must be JSON, such as [0, {"start": 1}].` };
      }
  }
}

/** "3" -> 3, "2, 3" or "[2, 3]" -> [2, 3]. */
function parseIntegers(name: string, text: string): ParsedParam {
  const bracketed = text.startsWith("[");
  const parts = text.replace(/^\[|\]$/g, "").split(",").map((part) => part.trim());
  const values = parts.map(Number);
  if (parts.some((part) => part === "") || !values.every(Number.isInteger)) {
    return { ok: false, message: `${name} takes a whole number or a list such as 2, 3.` };
  }
  return { ok: true, value: values.length === 1 && !bracketed ? values[0] : values };
}

/** Reads a gate input: a variable's name as itself, a number as a number, or what is wrong. */
export function parseInput(text: string, names: readonly string[]): { ok: true; value: string | number } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (names.includes(trimmed)) return { ok: true, value: trimmed };
  const value = Number(trimmed);
  if (trimmed !== "" && Number.isFinite(value)) return { ok: true, value };
  return { ok: false, message: trimmed === "" ? "Every input needs a variable or a number." : `No variable is named "${trimmed}".` };
}
