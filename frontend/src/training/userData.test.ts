import { describe, expect, it } from "vitest";
import type { UserPoint } from "./csv";
import { describePoints, nearestPoint, withoutPoint } from "./userData";

const POINTS: UserPoint[] = [
  [0, 0, 0],
  [1, 0, 1],
  [1, 1, 1],
];

describe("editing the user's points", () => {
  it("finds the nearest point within reach only", () => {
    expect(nearestPoint(POINTS, 0.9, 0.2, 0.5)).toBe(1);
    expect(nearestPoint(POINTS, 3, 3, 0.5)).toBe(-1);
  });

  it("removes one point by index", () => {
    expect(withoutPoint(POINTS, 1)).toEqual([POINTS[0], POINTS[2]]);
  });

  it("counts the points of each class", () => {
    expect(describePoints(POINTS)).toBe("3 points: 1 of class 0, 2 of class 1");
    expect(describePoints([])).toBe("No points yet");
  });
});
