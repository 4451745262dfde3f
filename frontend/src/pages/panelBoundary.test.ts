import { describe, expect, it } from "vitest";
import { failureMessage } from "./PanelBoundary";

describe("failureMessage", () => {
  it("says which panel failed with the error's own message", () => {
    expect(failureMessage(new TypeError("x.map is not a function"))).toBe("This panel failed: x.map is not a function");
  });

  it("reads a thrown value that is not an Error, and says when there is no reason", () => {
    expect(failureMessage("layout worker died")).toBe("This panel failed: layout worker died");
    expect(failureMessage(new Error(""))).toBe("This panel failed: no reason was given");
  });
});
