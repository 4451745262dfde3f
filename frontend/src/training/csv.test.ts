import { describe, expect, it } from "vitest";
import { parsePointsCsv } from "./csv";

describe("parsePointsCsv", () => {
  it("reads x,y,label lines after a header", () => {
    expect(parsePointsCsv("x,y,label\n0.5,-1,0\n2, 3 ,5\n")).toEqual({
      points: [
        [0.5, -1, 0],
        [2, 3, 5],
      ],
      problems: [],
    });
  });

  it("reads lines without a header, skipping blank ones and Windows line ends", () => {
    expect(parsePointsCsv("\r\n1,2,1\r\n\r\n-3e-1,4,2").points).toEqual([
      [1, 2, 1],
      [-0.3, 4, 2],
    ]);
  });

  it("lists every bad line by its number and keeps the good ones", () => {
    const { points, problems } = parsePointsCsv("x,y,label\n1,2\n1,2,6\n1,2,1.5\nNaN,1,0\n1,,0\n1,1,1");
    expect(points).toEqual([[1, 1, 1]]);
    expect(problems).toEqual([
      { line: 2, message: "expected 3 fields (x, y, label), found 2" },
      { line: 3, message: 'the label must be a whole number 0 to 5: "6"' },
      { line: 4, message: 'the label must be a whole number 0 to 5: "1.5"' },
      { line: 5, message: 'x is not a finite number: "NaN"' },
      { line: 6, message: 'y is not a finite number: ""' },
    ]);
  });

  it("takes only the first line as a header", () => {
    expect(parsePointsCsv("a,b,c\nx,y,label").problems).toEqual([{ line: 2, message: 'x is not a finite number: "x"' }]);
  });
});
