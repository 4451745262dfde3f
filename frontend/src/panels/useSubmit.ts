/** The pending and error state every form shares. */
import { useCallback, useState } from "react";
import { asApiError } from "../state/asApiError";
import { errorsByField, withoutField, type FormErrors } from "./fieldErrors";
import { useFormScope } from "./formScope";

/** A form's submission state and the two ways it ends in an error. */
export interface Submission {
  pending: boolean;
  /** The sentence to show under the form: an error no field of it explains; null when none. */
  error: string | null;
  /** What is wrong with the value of `field` ("output", "inputs.1"), to show beside it. */
  fieldError(field: string): string | undefined;
  /** Forgets the error of `field`: the user is editing it. */
  clearField(field: string): void;
  /** Forgets every error, as when the form changes shape. */
  clearAll(): void;
  /**
   * Runs an action, recording its error beside the field it names when that is one of
   * `fields`; resolves true when it succeeded.
   */
  run(action: () => Promise<unknown>, fields?: ReadonlySet<string>): Promise<boolean>;
  /** Shows a problem found before anything was sent, beside `field` when given. */
  fail(message: string, field?: string): void;
}

const NONE: FormErrors = {};

/**
 * Tracks one form's submission; what the user typed lives in the form and is never cleared here.
 * Using the form clears the errors of every other form on the page (see formScope.ts).
 */
export function useSubmit(): Submission {
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const clearAll = useCallback(() => setErrors(NONE), []);
  const used = useFormScope(clearAll);
  const run = useCallback(
    async (action: () => Promise<unknown>, fields: ReadonlySet<string> = new Set()) => {
      used();
      setPending(true);
      setErrors(NONE);
      try {
        await action();
        return true;
      } catch (caught) {
        setErrors(errorsByField(asApiError(caught), fields));
        return false;
      } finally {
        setPending(false);
      }
    },
    [used],
  );
  const fail = useCallback(
    (message: string, field = "") => {
      used();
      setErrors({ [field]: message });
    },
    [used],
  );
  const clearField = useCallback((field: string) => setErrors((old) => withoutField(old, field)), []);
  return {
    pending,
    error: errors[""] ?? null,
    fieldError: (field) => errors[field],
    clearField,
    clearAll,
    run,
    fail,
  };
}
