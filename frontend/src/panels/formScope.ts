/**
 * Forms that share a page, so an error from one never stays on screen once another is used:
 * each form says when it is used, and hears when another one is.
 */
import { createContext, useCallback, useContext, useEffect, useRef } from "react";

/** The forms of one scope; without a provider, every form of the page shares one. */
const FormScopeContext = createContext<EventTarget>(new EventTarget());

/** Wraps forms that should clear each other's errors separately from the rest of the page. */
export const FormScope = FormScopeContext.Provider;

/**
 * Joins the scope: `onOtherUsed` runs whenever another form of the scope is used; the function
 * returned announces that this one is.
 */
export function useFormScope(onOtherUsed: () => void): () => void {
  const scope = useContext(FormScopeContext);
  const self = useRef({}).current;
  const callback = useRef(onOtherUsed);
  useEffect(() => {
    callback.current = onOtherUsed;
  });
  useEffect(() => {
    const listener = (event: Event) => {
      if ((event as CustomEvent<object>).detail !== self) callback.current();
    };
    scope.addEventListener("used", listener);
    return () => scope.removeEventListener("used", listener);
  }, [scope, self]);
  return useCallback(() => void scope.dispatchEvent(new CustomEvent("used", { detail: self })), [scope, self]);
}
