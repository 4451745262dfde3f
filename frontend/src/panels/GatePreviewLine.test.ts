import { describe, expect, it } from "vitest";
import { describePreview } from "./GatePreviewLine";

describe("describePreview", () => {
  it("gives the output's shape, dtype and the memory needed", () => {
    const preview = { gate: "matmul", outputs: [{ shape: [64, 256], dtype: "float64" }], bytes: 131_328 };
    expect(describePreview(preview)).toBe("→ 64×256 float64 · 131 kB");
  });

  it("names a scalar as such", () => {
    const preview = { gate: "sum", outputs: [{ shape: [], dtype: "float32" }], bytes: 260 };
    expect(describePreview(preview)).toBe("→ scalar float32 · 260 B");
  });

  it("lists a few outputs and counts many", () => {
    const piece = { shape: [2], dtype: "float64" };
    expect(describePreview({ gate: "split", outputs: [piece, piece], bytes: 512 })).toBe(
      "→ 2 float64, 2 float64 · 512 B",
    );
    expect(describePreview({ gate: "unstack", outputs: Array(100).fill(piece), bytes: 25_600 })).toBe(
      "→ 100 outputs like 2 float64 · 25.6 kB",
    );
  });
});
