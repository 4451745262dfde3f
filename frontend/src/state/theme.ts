/**
 * The colour theme: the user's choice (light, dark, or the system's), remembered in localStorage,
 * and the theme it resolves to, written on <html data-theme> where theme.css picks its colours.
 */
import { useSyncExternalStore } from "react";

/** What the user picked. */
export type ThemeChoice = "light" | "dark" | "system";
/** What is drawn: a "system" choice resolves to the one the system prefers. */
export type Theme = "light" | "dark";

export const THEME_CHOICES: readonly ThemeChoice[] = ["light", "dark", "system"];
const KEY = "wengert.theme";

/** The part of `matchMedia("(prefers-color-scheme: dark)")` the store listens to. */
export interface DarkPreference {
  matches: boolean;
  addEventListener(type: "change", listener: () => void): void;
}

/** The choice and the theme it resolves to, as one snapshot. */
export interface ThemeState {
  choice: ThemeChoice;
  theme: Theme;
}

/** Holds the choice, remembers it, follows the system's preference and tells subscribers. */
export interface ThemeStore {
  get(): ThemeState;
  choose(choice: ThemeChoice): void;
  subscribe(listener: () => void): () => void;
}

/** The remembered choice, "system" when none (or storage is unreadable). */
export function loadThemeChoice(storage: Pick<Storage, "getItem">): ThemeChoice {
  let saved: string | null = null;
  try {
    saved = storage.getItem(KEY);
  } catch {
    // Private mode or a blocked storage: follow the system.
  }
  return THEME_CHOICES.find((choice) => choice === saved) ?? "system";
}

/** The theme a choice draws when the system prefers dark (or not). */
export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): Theme {
  if (choice === "system") return prefersDark ? "dark" : "light";
  return choice;
}

/** A store over `storage` and the system's `preference`; `onTheme` hears every theme drawn, the first at once. */
export function createThemeStore(
  storage: Pick<Storage, "getItem" | "setItem">,
  preference: DarkPreference,
  onTheme: (theme: Theme) => void = () => {},
): ThemeStore {
  const listeners = new Set<() => void>();
  let state = snapshot(loadThemeChoice(storage));
  onTheme(state.theme);

  function snapshot(choice: ThemeChoice): ThemeState {
    return { choice, theme: resolveTheme(choice, preference.matches) };
  }

  function update(choice: ThemeChoice) {
    const next = snapshot(choice);
    if (next.choice === state.choice && next.theme === state.theme) return;
    state = next;
    onTheme(state.theme);
    listeners.forEach((listener) => listener());
  }

  preference.addEventListener("change", () => update(state.choice));
  return {
    get: () => state,
    choose(choice) {
      try {
        storage.setItem(KEY, choice);
      } catch {
        // Not remembering is acceptable: the choice still holds until the page is left.
      }
      update(choice);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

let shared: ThemeStore | null = null;

/** The page's store, made on first use, which keeps <html data-theme> up to date. */
export function themeStore(): ThemeStore {
  shared ??= createThemeStore(localStorage, window.matchMedia("(prefers-color-scheme: dark)"), (theme) => {
    document.documentElement.dataset.theme = theme;
  });
  return shared;
}

/** The theme choice and the theme drawn; re-renders when either changes. */
export function useTheme(): ThemeState {
  const store = themeStore();
  return useSyncExternalStore(store.subscribe, store.get);
}
