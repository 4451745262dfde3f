/** The pending and error state every form shares. */
import { useCallback, useState } from "react";
import { asApiError } from "../state/asApiError";

/** A form's submission state and the two ways it ends in an error. */
export interface Submission {
  pending: boolean;
  /** The sentence to show next to the form; null when the last attempt went well. */
  error: string | null;
  /** Runs an action, recording its error; resolves true when it succeeded. */
  run(action: () => Promise<unknown>): Promise<boolean>;
  /** Shows a problem found before anything was sent. */
  fail(message: string): void;
}

/** Tracks one form's submission; what the user typed lives in the form and is never cleared here. */
export function useSubmit(): Submission {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setPending(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(asApiError(caught).message);
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, run, fail: setError };
}
