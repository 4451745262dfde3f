import { describe, expect, it } from "vitest";
import { BLANK_FORK, forkRequest, originOf } from "./forkForm";

describe("forkRequest", () => {
  it("sends only the step when every field is blank", () => {
    expect(forkRequest(40, null, BLANK_FORK)).toEqual({ request: { step: 40 }, errors: null });
  });

  it("sends the run and each setting given", () => {
    expect(forkRequest(0, 2, { lr: "0.1", l2: "0", batchSize: " 8 " })).toEqual({
      request: { step: 0, run: 2, optimizer: { lr: 0.1 }, l2: 0, batch_size: 8 },
      errors: null,
    });
  });

  it("names each field that is not a fitting number", () => {
    const { errors } = forkRequest(3, null, { lr: "-1", l2: "abc", batchSize: "2.5" });
    expect(Object.keys(errors ?? {})).toEqual(["lr", "l2", "batchSize"]);
    expect(errors?.lr).toMatch(/learning rate above 0/);
  });
});

describe("originOf", () => {
  const runs = [
    { id: 2, parent: 1 },
    { id: 3, parent: null },
    { id: 4, parent: 3 },
  ];

  it("takes the chosen run while it is kept", () => {
    expect(originOf(4, runs)).toBe(4);
  });

  it("takes the first run of the setup otherwise, which keeps step 0", () => {
    expect(originOf(null, runs)).toBe(3);
    expect(originOf(1, runs)).toBe(3);
    expect(originOf(null, [{ id: 2, parent: 1 }])).toBe(2);
    expect(originOf(null, [])).toBeNull();
  });
});
