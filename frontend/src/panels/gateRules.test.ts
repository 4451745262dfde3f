/// <reference types="node" />
// The catalog is read from the engine itself, so this test runs under Node with the repository checked out.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GATE_RULES } from "./gateRules";

/** The repository's root, where `make .venv/.installed-dev` puts the engine's interpreter. */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The gate names GET /api/gates answers, read from the engine's own catalog (the route's source). */
function catalogNames(): string[] {
  const script = "import json, engine; print(json.dumps([gate['name'] for gate in engine.catalog()]))";
  return JSON.parse(execFileSync(`${ROOT}.venv/bin/python`, ["-c", script], { cwd: ROOT, encoding: "utf8" })) as string[];
}

describe("GATE_RULES", () => {
  it("explains every gate of the engine's catalog", () => {
    const names = catalogNames();
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name) => !(name in GATE_RULES))).toEqual([]);
  });

  it("words a rule for every input of every gate", () => {
    for (const [name, rule] of Object.entries(GATE_RULES)) {
      for (const at of [0, 1, 2]) expect(rule.words(at, ["a", "b", "c"]), `${name} input ${at}`).toMatch(/\S/);
    }
  });

  it("writes leaky relu's slope and gelu's derivative for scalars", () => {
    const leaky = GATE_RULES.leaky_relu?.local?.({ at: 0, names: ["a"], values: [-2], params: { slope: 0.2 } });
    expect(leaky).toEqual({ formula: "1 if a > 0, else the slope 0.2", value: 0.2 });
    // GELU'(1) = Φ(1) + φ(1) = 0.8413447 + 0.2419707 = 1.0833155 exactly; 1.0830 by the tanh formula.
    const exact = GATE_RULES.gelu?.local?.({ at: 0, names: ["a"], values: [1], params: { approximate: "none" } });
    expect(exact?.value).toBeCloseTo(1.0833155, 6);
    const tanh = GATE_RULES.gelu?.local?.({ at: 0, names: ["a"], values: [1], params: {} });
    expect(tanh?.value).toBeCloseTo(1.0830, 3);
  });
});
