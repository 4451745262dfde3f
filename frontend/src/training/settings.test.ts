import { describe, expect, it } from "vitest";
import { SERVER_DEFAULT_CONFIG } from "../testing/trainingConfig";
import { resetsRun, settingsChange } from "./settings";

describe("training settings", () => {
  it("send only the settings that differ from the run's", () => {
    const draft = { ...SERVER_DEFAULT_CONFIG, l1: 0.01, epochs: 40, optimizer: { ...SERVER_DEFAULT_CONFIG.optimizer, lr: 0.3 } };
    expect(settingsChange(draft, SERVER_DEFAULT_CONFIG)).toEqual({ l1: 0.01, epochs: 40, optimizer: { lr: 0.3 } });
    expect(settingsChange(SERVER_DEFAULT_CONFIG, SERVER_DEFAULT_CONFIG)).toBeNull();
  });

  it("send a cleared stop as null (no stop), but never a number still being typed", () => {
    const run = { ...SERVER_DEFAULT_CONFIG, epochs: 20 };
    expect(settingsChange({ ...run, epochs: null, l2: NaN }, run)).toEqual({ epochs: null });
  });

  it("know that new data, a new network or a new loss starts the run over, and settings do not", () => {
    expect(resetsRun({ ...SERVER_DEFAULT_CONFIG, dataset: { ...SERVER_DEFAULT_CONFIG.dataset, noise: 0.3 } }, SERVER_DEFAULT_CONFIG)).toBe(true);
    expect(resetsRun({ ...SERVER_DEFAULT_CONFIG, model: { ...SERVER_DEFAULT_CONFIG.model, hidden: [4] } }, SERVER_DEFAULT_CONFIG)).toBe(true);
    expect(resetsRun({ ...SERVER_DEFAULT_CONFIG, loss: "mse" }, SERVER_DEFAULT_CONFIG)).toBe(true);
    expect(resetsRun({ ...SERVER_DEFAULT_CONFIG, batch_size: 8, l1: 0.1 }, SERVER_DEFAULT_CONFIG)).toBe(false);
  });
});
