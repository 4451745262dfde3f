import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "./config";
import { resetsRun, settingsChange } from "./settings";

describe("training settings", () => {
  it("send only the settings that differ from the run's", () => {
    const draft = { ...DEFAULT_CONFIG, l1: 0.01, epochs: 40, optimizer: { ...DEFAULT_CONFIG.optimizer, lr: 0.3 } };
    expect(settingsChange(draft, DEFAULT_CONFIG)).toEqual({ l1: 0.01, epochs: 40, optimizer: { lr: 0.3 } });
    expect(settingsChange(DEFAULT_CONFIG, DEFAULT_CONFIG)).toBeNull();
  });

  it("send a cleared stop as null (no stop), but never a number still being typed", () => {
    const run = { ...DEFAULT_CONFIG, epochs: 20 };
    expect(settingsChange({ ...run, epochs: null, l2: NaN }, run)).toEqual({ epochs: null });
  });

  it("know that new data, a new network or a new loss starts the run over, and settings do not", () => {
    expect(resetsRun({ ...DEFAULT_CONFIG, dataset: { ...DEFAULT_CONFIG.dataset, noise: 0.3 } }, DEFAULT_CONFIG)).toBe(true);
    expect(resetsRun({ ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: [4] } }, DEFAULT_CONFIG)).toBe(true);
    expect(resetsRun({ ...DEFAULT_CONFIG, loss: "mse" }, DEFAULT_CONFIG)).toBe(true);
    expect(resetsRun({ ...DEFAULT_CONFIG, batch_size: 8, l1: 0.1 }, DEFAULT_CONFIG)).toBe(false);
  });
});
