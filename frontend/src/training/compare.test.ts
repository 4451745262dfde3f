import { describe, expect, it } from "vitest";
import type { TrainingHistoryEntry } from "../api/types";
import { defaultPair, describeRun, epochAt, forkEpochs, overlaySeries } from "./compare";

function entry(epoch: number, step: number, train_loss: number): TrainingHistoryEntry {
  return { epoch, step, train_loss, test_loss: null, train_accuracy: null, test_accuracy: null, train_mse: null, test_mse: null, grad_norms: {}, layers: [] };
}

const original = { id: 1, parent: null, fork_step: null, history: [entry(1, 10, 0.6), entry(2, 20, 0.5), entry(3, 30, 0.4)] };
const fork = { id: 2, parent: 1, fork_step: 20, history: [entry(1, 10, 0.6), entry(2, 20, 0.5), entry(3, 30, 0.2), entry(4, 40, 0.1)] };

describe("overlaySeries", () => {
  it("puts each run's curve over the union of their epochs, null where a run has none", () => {
    const series = overlaySeries([original, fork], [["train loss", "train_loss"]]);
    expect(series.names).toEqual(["run 1 train loss", "run 2 train loss"]);
    expect(series.data).toEqual([
      [1, 2, 3, 4],
      [0.6, 0.5, 0.4, null],
      [0.6, 0.5, 0.2, 0.1],
    ]);
  });

  it("takes a later entry of the same epoch", () => {
    const stepped = { ...original, history: [entry(0, 1, 0.9), entry(0, 2, 0.8)] };
    expect(overlaySeries([stepped], [["train loss", "train_loss"]]).data).toEqual([[0], [0.8]]);
  });
});

describe("forkEpochs", () => {
  it("marks the epoch where one run forked from the other", () => {
    expect(forkEpochs([original, fork])).toEqual([2]);
    expect(forkEpochs([fork, original])).toEqual([2]);
  });

  it("marks nothing between runs that are not parent and child", () => {
    expect(forkEpochs([original, { ...fork, parent: 7 }])).toEqual([]);
  });
});

describe("epochAt", () => {
  it("is the epoch of the last entry at or before the step", () => {
    expect(epochAt(original.history, 25)).toBe(2);
    expect(epochAt(original.history, 5)).toBe(0);
  });
});

describe("describeRun and defaultPair", () => {
  const config = { optimizer: { lr: 0.1 }, l2: 0.001, batch_size: 16 } as never;

  it("says where a run came from and its settings", () => {
    expect(describeRun({ id: 2, parent: 1, fork_step: 40, config, current: true })).toBe("run 2 (current), from run 1 at step 40: lr 0.1, L2 0.001, batch 16");
  });

  it("pairs the current run with its parent, or with the run before it", () => {
    expect(defaultPair([{ id: 1, parent: null, current: false }, { id: 2, parent: 1, current: true }])).toEqual([1, 2]);
    expect(defaultPair([{ id: 1, parent: null, current: false }, { id: 2, parent: null, current: true }])).toEqual([1, 2]);
    expect(defaultPair([{ id: 1, parent: null, current: true }])).toBeNull();
  });
});
