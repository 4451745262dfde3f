import { describe, expect, it } from "vitest";
import type { TrainingHistoryEntry } from "../api/types";
import type { LayerHealth } from "../api/types";
import { accuracySeries, deadFractionSeries, gradNormSeries, layerGradientSeries, lossCaption, lossSeries, trend } from "./series";

function entry(epoch: number, extra: Partial<TrainingHistoryEntry> = {}): TrainingHistoryEntry {
  return {
    epoch,
    step: epoch * 10,
    train_loss: 1 / epoch,
    test_loss: 2 / epoch,
    train_accuracy: 0.5,
    test_accuracy: 0.4,
    train_mse: null,
    test_mse: null,
    grad_norms: {},
    layers: [],
    ...extra,
  };
}

describe("lossSeries and accuracySeries", () => {
  it("put epochs along x and one column per split", () => {
    expect(lossSeries([entry(1), entry(2)])).toEqual({
      names: ["train loss", "test loss"],
      data: [[1, 2], [1, 0.5], [2, 1]],
    });
    expect(accuracySeries([entry(1)]).data).toEqual([[1], [0.5], [0.4]]);
  });

  it("are empty for an empty history", () => {
    expect(lossSeries([]).data).toEqual([[], [], []]);
  });
});

describe("gradNormSeries", () => {
  it("has one series per weight matrix in layer order, null where an epoch lacks one", () => {
    const history = [entry(1, { grad_norms: { W10: 1, W2: 2 } }), entry(2, { grad_norms: { W2: 3, W1: 4 } })];
    expect(gradNormSeries(history)).toEqual({
      names: ["W1", "W2", "W10"],
      data: [[1, 2], [null, 4], [2, 3], [1, null]],
    });
  });
});

function layer(number: number, dead: number | null, weightGrad: number): LayerHealth {
  return {
    layer: number,
    units: 4,
    dead_units: dead,
    dead_fraction: dead === null ? null : dead / 4,
    weight_grad_norm: weightGrad,
    bias_grad_norm: weightGrad / 10,
    weight_norm: 1,
    epochs_without_learning: 0,
    stopped_learning: null,
  };
}

describe("deadFractionSeries and layerGradientSeries", () => {
  it("have one dead-fraction series per hidden layer, in layer order, null where a layer is missing", () => {
    const history = [entry(1, { layers: [layer(2, 4, 0)] }), entry(2, { layers: [layer(1, 1, 3), layer(2, null, 0)] })];
    expect(deadFractionSeries(history)).toEqual({
      names: ["layer 1", "layer 2"],
      data: [[1, 2], [null, 0.25], [1, null]],
    });
  });

  it("have a weight and a bias gradient series per hidden layer", () => {
    const series = layerGradientSeries([entry(1, { layers: [layer(1, 0, 2)] })]);
    expect(series).toEqual({ names: ["layer 1 ∇W", "layer 1 ∇b"], data: [[1], [2], [0.2]] });
  });
});

describe("trend and the loss caption", () => {
  it("give the first and latest value", () => {
    expect(trend([entry(1), entry(4)], "test_loss")).toEqual({ first: 2, last: 0.5 });
    expect(trend([], "test_loss")).toBeNull();
  });

  it("say how the losses went", () => {
    expect(lossCaption([])).toBe("Loss: no epoch finished yet");
    expect(lossCaption([entry(1), entry(4)])).toMatch(/^Loss over 2 epochs: train 1(\.0+)? → 0\.25\d*, test 2(\.0+)? → 0\.5\d*$/);
  });
});
