import { describe, expect, it } from "vitest";
import { describeDamage } from "./damage";

describe("describeDamage", () => {
  it("names the change that failed, its kind, why, and how many are missing", () => {
    const text = describeDamage({ at: 4, kind: "create_variable", reason: "name_taken: a exists", lost_operations: 3 });
    expect(text).toBe(
      "This workspace could not be loaded whole: change 4 (create_variable) is unreadable " +
        "(name_taken: a exists), so 3 changes from there on are missing.",
    );
  });

  it("speaks of the saved state when the snapshot is what was lost, and of one change in the singular", () => {
    const text = describeDamage({ at: 1, kind: "snapshot", reason: "no snapshot can be read", lost_operations: 1 });
    expect(text).toContain("its saved state is unreadable");
    expect(text).toContain("so 1 change from there on are missing");
  });
});
