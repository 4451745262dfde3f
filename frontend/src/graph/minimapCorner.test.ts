import { describe, expect, it } from "vitest";
import { freeCorner, MINIMAP_SIZE } from "./minimapCorner";

const canvas = { width: 1000, height: 600 };
const atOrigin = { x: 0, y: 0, zoom: 1 };
const card = (x: number, y: number) => ({ x, y, width: 184, height: 84 });

describe("freeCorner", () => {
  it("keeps the minimap bottom right while no card lies there", () => {
    expect(freeCorner([card(300, 250)], atOrigin, canvas)).toBe("bottom-right");
  });

  it("moves it to the next free corner when a card lies under its box", () => {
    expect(freeCorner([card(800, 500)], atOrigin, canvas)).toBe("top-right");
    expect(freeCorner([card(800, 500), card(800, 10)], atOrigin, canvas)).toBe("top-left");
  });

  it("hides it when every corner holds a card", () => {
    expect(freeCorner([card(800, 500), card(800, 10), card(10, 10)], atOrigin, canvas)).toBeNull();
  });

  it("places the cards by the view: panned and zoomed", () => {
    // At (100, 100) in the plane, seen at zoom 2 from (-100, -100): on screen at (100, 100) to (468, 268).
    const view = { x: -100, y: -100, zoom: 2 };
    expect(freeCorner([card(100, 100)], view, canvas)).toBe("bottom-right");
    // Panned so the card's screen box reaches the bottom-right corner.
    expect(freeCorner([card(100, 100)], { ...view, x: 500, y: 300 }, canvas)).toBe("top-right");
  });

  it("gives a phone's narrow canvas no minimap", () => {
    expect(freeCorner([], atOrigin, { width: 390, height: 600 })).toBeNull();
    expect(freeCorner([], atOrigin, { width: 4 * MINIMAP_SIZE.width, height: 600 })).toBe("bottom-right");
  });
});
