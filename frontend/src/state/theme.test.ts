import { describe, expect, it } from "vitest";
import { createThemeStore, loadThemeChoice, resolveTheme, type DarkPreference, type Theme } from "./theme";

/** An in-memory localStorage. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

/** A system preference the test can flip. */
function systemPreference(dark: boolean): DarkPreference & { flip(dark: boolean): void } {
  const listeners: (() => void)[] = [];
  const preference = {
    matches: dark,
    addEventListener: (_type: "change", listener: () => void) => void listeners.push(listener),
    flip(next: boolean) {
      preference.matches = next;
      listeners.forEach((listener) => listener());
    },
  };
  return preference;
}

describe("loadThemeChoice", () => {
  it("follows the system when nothing (or nonsense) is remembered", () => {
    expect(loadThemeChoice(memoryStorage())).toBe("system");
    expect(loadThemeChoice(memoryStorage({ "wengert.theme": "purple" }))).toBe("system");
  });

  it("follows the system when storage cannot be read", () => {
    const blocked = {
      getItem: (): string | null => {
        throw new Error("blocked");
      },
    };
    expect(loadThemeChoice(blocked)).toBe("system");
  });
});

describe("resolveTheme", () => {
  it("draws light or dark as chosen, and the system's preference for system", () => {
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
  });
});

describe("createThemeStore", () => {
  it("remembers a choice for the next page load", () => {
    const storage = memoryStorage();
    createThemeStore(storage, systemPreference(false)).choose("dark");

    const reloaded = createThemeStore(storage, systemPreference(false));
    expect(reloaded.get()).toEqual({ choice: "dark", theme: "dark" });
  });

  it("tells the page the theme at once and on every change", () => {
    const drawn: Theme[] = [];
    const store = createThemeStore(memoryStorage(), systemPreference(false), (theme) => drawn.push(theme));
    store.choose("dark");
    store.choose("light");
    expect(drawn).toEqual(["light", "dark", "light"]);
  });

  it("follows the system's preference while the choice is system, and only then", () => {
    const preference = systemPreference(false);
    const store = createThemeStore(memoryStorage(), preference);
    let heard = 0;
    store.subscribe(() => heard++);

    preference.flip(true);
    expect(store.get()).toEqual({ choice: "system", theme: "dark" });
    expect(heard).toBe(1);

    store.choose("light");
    preference.flip(false);
    preference.flip(true);
    expect(store.get()).toEqual({ choice: "light", theme: "light" });
    expect(heard).toBe(2);
  });
});
