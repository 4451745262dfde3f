/** A training config for unit tests: the one GET …/training answers before a run is set up. */
import type { TrainingConfig } from "../api/types";

/** The server's default config (backend/training/schemas.py), full speed. */
export const SERVER_DEFAULT_CONFIG: TrainingConfig = {
  dataset: { kind: "moons", n: 400, noise: 0.1, seed: 0, test_fraction: 0.25, classes: 2 },
  model: { hidden: [16, 16], activation: "relu", features: ["x", "y"], seed: 0 },
  loss: "softmax_cross_entropy",
  optimizer: { kind: "adam", lr: 0.01, momentum: 0.9, beta1: 0.9, beta2: 0.999 },
  batch_size: 32,
  epochs: null,
  l2: 0,
  l1: 0,
  max_steps_per_second: null,
};
