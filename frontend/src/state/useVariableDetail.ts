/** One variable in full (with the nodes that consume it), reloaded whenever the workspace changes. */
import { useEffect, useState } from "react";
import * as api from "../api/client";
import type { WorkspaceAccess } from "../api/client";
import type { ApiError } from "../api/errors";
import type { VariableDetail } from "../api/types";
import { asApiError } from "./asApiError";
import type { LiveState } from "./liveState";

/** The detail of `name` and why loading it failed, if it did; `state` changing triggers a reload. */
export function useVariableDetail(
  access: WorkspaceAccess,
  name: string,
  state: LiveState,
): { detail: VariableDetail | null; error: ApiError | null } {
  const [result, setResult] = useState<{ detail: VariableDetail | null; error: ApiError | null }>({
    detail: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    api.getVariable(access, name).then(
      (detail) => live && setResult({ detail, error: null }),
      (error: unknown) => live && setResult({ detail: null, error: asApiError(error) }),
    );
    return () => {
      live = false;
    };
  }, [access, name, state]);
  return result.detail?.name === name || result.error !== null ? result : { detail: null, error: null };
}
