import { describe, expect, it } from "vitest";
import { allowedActions } from "./actions";

describe("allowedActions", () => {
  it("allows what the server allows in each state", () => {
    expect(allowedActions("idle")).toEqual({ start: true, pause: false, step: true, reset: true });
    expect(allowedActions("running")).toEqual({ start: false, pause: true, step: false, reset: true });
    expect(allowedActions("paused")).toEqual({ start: true, pause: false, step: true, reset: true });
    expect(allowedActions("done")).toEqual({ start: true, pause: false, step: false, reset: true });
    expect(allowedActions("unconfigured")).toEqual({ start: true, pause: false, step: true, reset: false });
  });
});
