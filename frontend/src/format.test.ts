import { describe, expect, it } from "vitest";
import { formatBytes, formatGrad, formatRange, formatScalar, formatShape, formatValue, splitNonFinite } from "./format";

describe("formatScalar", () => {
  it("writes whole numbers without a decimal point", () => {
    expect(formatScalar(4)).toBe("4");
    expect(formatScalar(-12)).toBe("-12");
    expect(formatScalar(0)).toBe("0");
  });

  it("keeps four significant digits and trims trailing zeros", () => {
    expect(formatScalar(0.333333333)).toBe("0.3333");
    expect(formatScalar(2 / 3)).toBe("0.6667");
    expect(formatScalar(0.5)).toBe("0.5");
    expect(formatScalar(1.25)).toBe("1.25");
    expect(formatScalar(-0.1 - 0.2)).toBe("-0.3");
  });

  it("keeps every integer digit of large numbers", () => {
    expect(formatScalar(12345.678)).toBe("12346");
    expect(formatScalar(1234.5678)).toBe("1235");
  });

  it("switches to exponent notation for very small and very large magnitudes", () => {
    expect(formatScalar(0.000015)).toBe("1.5e-5");
    expect(formatScalar(1e20)).toBe("1e20");
  });

  it("names values that are not finite", () => {
    expect(formatScalar(Number.NaN)).toBe("NaN");
    expect(formatScalar(Number.POSITIVE_INFINITY)).toBe("∞");
    expect(formatScalar(Number.NEGATIVE_INFINITY)).toBe("−∞");
  });
});

describe("formatValue", () => {
  it("writes scalars like formatScalar", () => {
    expect(formatValue(1 / 3)).toBe("0.3333");
  });

  it("writes nested lists compactly", () => {
    expect(formatValue([[1, 2], [3, 4.5]])).toBe("[[1, 2], [3, 4.5]]");
  });

  it("elides the middle of long dimensions", () => {
    expect(formatValue([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe("[1, 2, 3, …, 9]");
  });
});

describe("formatGrad", () => {
  it("shows a dash when there is no gradient", () => {
    expect(formatGrad(null)).toBe("—");
  });

  it("formats a gradient like a value", () => {
    expect(formatGrad(3)).toBe("3");
  });
});

describe("formatShape", () => {
  it("calls an empty shape a scalar and joins dimensions with ×", () => {
    expect(formatShape([])).toBe("scalar");
    expect(formatShape([2, 3])).toBe("2×3");
  });
});

describe("formatBytes", () => {
  it("writes bytes, kilobytes and megabytes with up to three digits", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1500)).toBe("1.5 kB");
    expect(formatBytes(12_345)).toBe("12.3 kB");
    expect(formatBytes(2_250_000)).toBe("2.25 MB");
    expect(formatBytes(512_000_000)).toBe("512 MB");
  });
});

describe("formatScalar with more digits", () => {
  it("keeps as many significant digits as asked", () => {
    expect(formatScalar(138.83381924, 7)).toBe("138.8338");
    expect(formatScalar(1.5e-7, 7)).toBe("1.5e-7");
  });
});

describe("formatRange", () => {
  it("writes the range of a tensor whose values are loading", () => {
    expect(formatRange(0, 99.5)).toBe("[0 … 99.5]");
    expect(formatRange(-Infinity, NaN)).toBe("[−∞ … NaN]");
    expect(formatRange(null, null)).toBe("[]");
  });
});

describe("splitNonFinite", () => {
  it("marks NaN, ∞ and −∞ in formatted text, and nothing else", () => {
    expect(splitNonFinite("[1, NaN, −∞]")).toEqual([
      { text: "[1, ", nonFinite: false },
      { text: "NaN", nonFinite: true },
      { text: ", ", nonFinite: false },
      { text: "−∞", nonFinite: true },
      { text: "]", nonFinite: false },
    ]);
    expect(splitNonFinite("∞")).toEqual([{ text: "∞", nonFinite: true }]);
    expect(splitNonFinite("-1.5e-7")).toEqual([{ text: "-1.5e-7", nonFinite: false }]);
  });
});
