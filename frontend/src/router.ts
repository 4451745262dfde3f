/** The app's two places, read from the address bar, and moving between them without a reload. */
import { useSyncExternalStore } from "react";

/** Where the address bar points: the start page or one workspace (token from the "#..." part). */
export type Route = { page: "start" } | { page: "workspace"; id: string; token: string };

/** Reads a route from a path and hash: "/w/abc" with "#tok" is workspace abc opened with token tok. */
export function parseRoute(pathname: string, hash: string): Route {
  const match = /^\/w\/([^/]+)\/?$/.exec(pathname);
  if (match?.[1] === undefined) return { page: "start" };
  return { page: "workspace", id: decodeURIComponent(match[1]), token: decodeURIComponent(hash.replace(/^#/, "")) };
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
  return parseRoute(url.pathname, url.hash);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener("hashchange", onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener("hashchange", onChange);
  };
}
