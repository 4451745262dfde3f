import { describe, expect, it } from "vitest";
import { SERVER_DEFAULT_CONFIG } from "../testing/trainingConfig";
import {
  configFromForm,
  FEATURES,
  formFromConfig,
  newRunConfig,
  withKind,
  shownFields,
  speedLabel,
  speedOf,
} from "./config";
import { fieldProblems, placeErrors } from "../panels/fieldErrors";

/** The features backend/training/schemas.py declares, in its order. */
const SERVER_DEFAULT_FEATURES = ["x", "y", "x2", "y2", "xy", "sin_x", "sin_y"];

describe("formFromConfig and configFromForm", () => {
  it("read back the config they show", () => {
    expect(configFromForm(formFromConfig(SERVER_DEFAULT_CONFIG))).toEqual({ config: SERVER_DEFAULT_CONFIG, errors: null });
  });

  it("send what was typed, hidden layers and features included", () => {
    const form = {
      ...formFromConfig(SERVER_DEFAULT_CONFIG),
      kind: "spirals" as const,
      n: " 300 ",
      hidden: ["8", "4"],
      features: ["sin_y" as const, "x" as const],
      speed: "full" as const,
    };
    const { config } = configFromForm(form);
    expect(config?.dataset).toMatchObject({ kind: "spirals", n: 300 });
    expect(config?.model.hidden).toEqual([8, 4]);
    expect(config?.model.features).toEqual(["x", "sin_y"]); // in the order the server documents
    expect(config?.max_steps_per_second).toBeNull();
  });

  it("name the field of text that is no number, and of fractions where whole numbers belong", () => {
    const form = { ...formFromConfig(SERVER_DEFAULT_CONFIG), lr: "fast", hidden: ["8", "2.5"], epochs: "ten" };
    const { config, errors } = configFromForm(form);
    expect(errors).toEqual({ "optimizer.lr": "Enter a number.", "model.hidden.1": "Enter a whole number.", epochs: "Enter a number." });
    // Sent as null, which the server refuses, so its 422 can name the other problems too.
    const sent = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    expect(sent).toMatchObject({ epochs: null, optimizer: { lr: null }, model: { hidden: [8, null] } });
  });

  it("read blank epochs as no stop: train until paused", () => {
    const form = { ...formFromConfig({ ...SERVER_DEFAULT_CONFIG, epochs: 20 }), epochs: " " };
    expect(configFromForm(form)).toMatchObject({ config: { epochs: null }, errors: null });
    expect(formFromConfig(SERVER_DEFAULT_CONFIG).epochs).toBe("");
  });

  it("leave ranges to the server", () => {
    const form = { ...formFromConfig(SERVER_DEFAULT_CONFIG), n: "5" };
    expect(configFromForm(form).config?.dataset.n).toBe(5);
  });
});

describe("speeds", () => {
  it("map to steps per second, full speed to no limit", () => {
    expect(speedOf(100)).toBe("medium");
    expect(speedOf(null)).toBe("full");
    expect(speedLabel("slow")).toBe("slow (20 steps/s)");
    expect(speedLabel("full")).toBe("full speed");
  });

  it("show a limit set elsewhere as the nearest offered speed", () => {
    expect(speedOf(30)).toBe("slow");
    expect(speedOf(2000)).toBe("fast");
  });
});

describe("placeErrors", () => {
  const shown = shownFields(formFromConfig(SERVER_DEFAULT_CONFIG));

  it("puts a problem next to the field it names", () => {
    expect(placeErrors([{ field: "dataset.kind", problem: "bad kind" }], shown)).toEqual({ "dataset.kind": "bad kind" });
  });

  it("falls back to the nearest enclosing field the form shows", () => {
    expect(placeErrors([{ field: "model.hidden.0.x", problem: "too big" }], shown)).toEqual({ "model.hidden.0": "too big" });
    expect(placeErrors([{ field: "model", problem: "sizes" }], shown)).toEqual({ model: "sizes" });
  });

  it("keeps problems of unknown fields for the whole form, naming the field", () => {
    expect(placeErrors([{ field: "extra", problem: "not allowed" }], shown)).toEqual({ "": "extra: not allowed" });
  });

  it("joins two problems of one field", () => {
    const problems = [
      { field: "dataset.n", problem: "too small." },
      { field: "dataset.n", problem: "odd." },
    ];
    expect(placeErrors(problems, shown)).toEqual({ "dataset.n": "too small. odd." });
  });
});

describe("fieldProblems", () => {
  it("reads the {field, problem} list of a 422 and ignores anything else", () => {
    expect(fieldProblems([{ field: "l2", problem: "too big" }, { msg: "x" }, 3])).toEqual([{ field: "l2", problem: "too big" }]);
    expect(fieldProblems({ line: 1 })).toEqual([]);
  });
});

describe("withKind", () => {
  it("takes the mse loss for a regression dataset and softmax when leaving it", () => {
    const moons = formFromConfig(SERVER_DEFAULT_CONFIG);
    const plane = withKind(moons, "plane");
    expect(plane.loss).toBe("mse");
    expect(withKind(plane, "blobs").loss).toBe("softmax_cross_entropy");
    expect(withKind({ ...moons, loss: "sigmoid_cross_entropy" }, "xor").loss).toBe("sigmoid_cross_entropy");
  });
});

describe("newRunConfig", () => {
  it("offers the server's defaults at a speed one can watch when they say full speed", () => {
    expect(newRunConfig(SERVER_DEFAULT_CONFIG)).toEqual({ ...SERVER_DEFAULT_CONFIG, max_steps_per_second: 100 });
  });

  it("keeps a speed the server's defaults set", () => {
    const slow = { ...SERVER_DEFAULT_CONFIG, max_steps_per_second: 5 };
    expect(newRunConfig(slow)).toEqual(slow);
  });
});

describe("FEATURES", () => {
  it("labels every feature the server accepts, in its order", () => {
    expect(FEATURES.map(({ feature }) => feature)).toEqual(SERVER_DEFAULT_FEATURES);
    expect(FEATURES.find(({ feature }) => feature === "sin_x")?.label).toBe("sin x");
  });
});
