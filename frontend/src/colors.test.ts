import { describe, expect, it } from "vitest";
import { colorScale, divergingColor, nonFiniteColor, scaleGradient, sequentialColor } from "./colors";
import css from "./theme.css?raw";

/** The value of a CSS variable in theme.css's rules for `selector`, as "rgb(r, g, b)". */
function themeColor(selector: string, variable: string): string {
  const block = css.slice(css.indexOf(`${selector} {`));
  const hex = new RegExp(`${variable}:\\s*#([0-9a-f]{6});`, "i").exec(block)?.[1];
  if (hex === undefined) throw new Error(`${variable} not found under ${selector}`);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe("divergingColor", () => {
  it("is the theme's surface at zero, in light and in dark", () => {
    expect(divergingColor(0, 2, "light")).toBe(themeColor(":root", "--surface"));
    expect(divergingColor(0, 2, "dark")).toBe(themeColor(':root[data-theme="dark"]', "--surface"));
  });

  it("is blue at -limit and red at +limit, clamped beyond", () => {
    expect(divergingColor(-2, 2)).toBe("rgb(33, 102, 172)");
    expect(divergingColor(5, 2)).toBe("rgb(178, 24, 43)");
    expect(divergingColor(-2, 2, "dark")).toBe("rgb(96, 165, 250)");
    expect(divergingColor(2, 2, "dark")).toBe("rgb(248, 113, 113)");
  });

  it("falls back to the neutral middle when there is no scale", () => {
    expect(divergingColor(1, 0, "dark")).toBe(divergingColor(0, 1, "dark"));
  });
});

describe("sequentialColor", () => {
  it("runs from dark at min to light at max", () => {
    expect(sequentialColor(0, 0, 1)).toBe("rgb(68, 1, 84)");
    expect(sequentialColor(1, 0, 1)).toBe("rgb(253, 231, 37)");
    expect(sequentialColor(0.5, 0, 1)).toBe("rgb(33, 145, 140)");
  });
});

describe("colorScale", () => {
  it("spans a diverging scale symmetrically around zero, so zero stays neutral", () => {
    const scale = colorScale("diverging", -1, 3, "dark");
    expect([scale.low, scale.high]).toEqual([-3, 3]);
    expect(scale.color(0)).toBe(themeColor(':root[data-theme="dark"]', "--surface"));
  });

  it("spans a sequential scale from min to max", () => {
    const scale = colorScale("sequential", 2, 4, "light");
    expect([scale.low, scale.high]).toEqual([2, 4]);
    expect(scale.color(4)).toBe("rgb(253, 231, 37)");
  });

  it("draws NaN and infinities in the theme's warning colour, on no scale", () => {
    for (const theme of ["light", "dark"] as const) {
      const warn = themeColor(theme === "light" ? ":root" : ':root[data-theme="dark"]', "--warn");
      expect(nonFiniteColor(theme).fill).toBe(warn);
      for (const kind of ["diverging", "sequential"] as const) {
        const scale = colorScale(kind, -1, 1, theme);
        expect([Number.NaN, Infinity, -Infinity].map(scale.color)).toEqual([warn, warn, warn]);
        expect([-1, 0, 1].map(scale.color)).not.toContain(warn);
      }
    }
  });

  it("gives the colour bar's gradient from low to high", () => {
    const scale = colorScale("diverging", -1, 1, "light");
    expect(scaleGradient(scale)).toMatch(/^linear-gradient\(to right, rgb\(33, 102, 172\), .*rgb\(178, 24, 43\)\)$/);
  });
});
