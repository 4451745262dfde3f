/** The list of gates the engine offers, loaded once per page. */
import { useEffect, useState } from "react";
import { answer, bearer, rest } from "../api/rest";
import type { ApiError } from "../api/errors";
import type { GateInfo } from "../api/types";
import { asApiError } from "./asApiError";

/** The gates offered by the server (empty until loaded) and why loading them failed, if it did. */
export interface Gates {
  gates: GateInfo[];
  error: ApiError | null;
}

/** Loads GET /api/gates once, sending the workspace token along. */
export function useGates(token: string): Gates {
  const [result, setResult] = useState<Gates>({ gates: [], error: null });
  useEffect(() => {
    let live = true;
    answer(rest.GET("/api/gates", { headers: bearer(token) })).then(
      (gates) => live && setResult({ gates, error: null }),
      (error: unknown) => live && setResult({ gates: [], error: asApiError(error) }),
    );
    return () => {
      live = false;
    };
  }, [token]);
  return result;
}
