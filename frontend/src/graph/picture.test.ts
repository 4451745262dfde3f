import { describe, expect, it } from "vitest";
import { copyPicture, pictureQuery } from "./picture";

const of = { id: "w1", token: "t", theme: "dark" as const, fold: ["encoder", "fc"] };

describe("pictureQuery", () => {
  it("asks for the graph as drawn: its theme, values and grads, and the folded modules", () => {
    expect(pictureQuery(of, "svg")).toEqual({ format: "svg", theme: "dark", include: "values,grads", fold: ["encoder", "fc"] });
  });

  it("asks for a PNG at twice the page's size", () => {
    expect(pictureQuery(of, "png").scale).toBe(2);
  });
});

describe("copyPicture", () => {
  it("says what to do where the browser has no image clipboard", async () => {
    await expect(copyPicture(of, null)).rejects.toThrow("use Download PNG instead");
  });
});
