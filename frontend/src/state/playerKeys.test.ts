import { describe, expect, it } from "vitest";
import { nextSpeed, playerCommand } from "./playerKeys";

describe("playerCommand", () => {
  it("maps Space, the arrows and the brackets to the player's commands", () => {
    expect([" ", "ArrowRight", "ArrowLeft", "[", "]"].map((key) => playerCommand(key, null))).toEqual([
      "toggle",
      "step",
      "back",
      "slower",
      "faster",
    ]);
    expect(playerCommand("a", null)).toBeNull();
  });

  it("leaves keys typed into a text field alone, but not those on a checkbox or a button", () => {
    expect(playerCommand("ArrowLeft", { tagName: "INPUT", type: "text" })).toBeNull();
    expect(playerCommand(" ", { tagName: "TEXTAREA" })).toBeNull();
    expect(playerCommand("ArrowRight", { tagName: "SELECT" })).toBeNull();
    expect(playerCommand("]", { tagName: "DIV", isContentEditable: true })).toBeNull();
    expect(playerCommand(" ", { tagName: "INPUT", type: "checkbox" })).toBe("toggle");
    expect(playerCommand("ArrowRight", { tagName: "BUTTON" })).toBe("step");
  });
});

describe("nextSpeed", () => {
  it("moves one offered speed up or down and stops at the ends", () => {
    expect(nextSpeed(2, 1)).toBe(4);
    expect(nextSpeed(2, -1)).toBe(1);
    expect(nextSpeed(1, -1)).toBe(1);
    expect(nextSpeed(16, 1)).toBe(16);
  });
});
