/** The app's two places, read from the address bar, and moving between them without a reload. */
import { useSyncExternalStore } from "react";

/** A workspace's two views: its computation graph, or the training playground ("?view=training"). */
export type WorkspaceView = "graph" | "training";

/** Where the address bar points: the start page or one workspace (token from the "#..." part). */
export type Route = { page: "start" } | { page: "workspace"; id: string; token: string; view: WorkspaceView };

/**
 * Reads a route from a path, hash and query: "/w/abc" with "#tok" is workspace abc opened with
 * token tok, showing its graph unless the query says "?view=training".
 */
export function parseRoute(pathname: string, hash: string, search = ""): Route {
  const match = /^\/w\/([^/]+)\/?$/.exec(pathname);
  if (match?.[1] === undefined) return { page: "start" };
  const view = new URLSearchParams(search).get("view") === "training" ? "training" : "graph";
  return { page: "workspace", id: decodeURIComponent(match[1]), token: decodeURIComponent(hash.replace(/^#/, "")), view };
}

/** The link to one view of a workspace; the token stays in the hash, which is never sent to a server. */
export function workspaceUrl(id: string, token: string, view: WorkspaceView): string {
  const query = view === "training" ? "?view=training" : "";
  return `/w/${encodeURIComponent(id)}${query}#${encodeURIComponent(token)}`;
}

/** Goes to a URL inside the app (e.g. "/w/abc#tok") and re-renders whatever reads the route. */
export function navigate(url: string): void {
  window.history.pushState(null, "", url);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

/** The current route, updated on navigate(), back/forward and hash changes. */
export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, () => window.location.href);
  const url = new URL(href);
  return parseRoute(url.pathname, url.hash, url.search);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener("hashchange", onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener("hashchange", onChange);
  };
}
