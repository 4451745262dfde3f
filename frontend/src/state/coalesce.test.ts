import { describe, expect, it } from "vitest";
import { coalesce } from "./coalesce";

/** A task whose runs the test finishes by hand. */
function manualTask() {
  const finishers: (() => void)[] = [];
  const task = () =>
    new Promise<void>((resolve) => {
      finishers.push(resolve);
    });
  const finish = async () => {
    finishers.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { task, finishers, finish };
}

describe("coalesce", () => {
  it("runs at once when idle", () => {
    const { task, finishers } = manualTask();
    void coalesce(task)();
    expect(finishers).toHaveLength(1);
  });

  it("keeps one run in flight and folds a burst into a single pending run", async () => {
    const { task, finishers, finish } = manualTask();
    const trigger = coalesce(task);
    const first = trigger();
    const burst = [trigger(), trigger(), trigger()];
    expect(finishers).toHaveLength(1);
    expect(burst[0]).toBe(burst[2]);
    await finish();
    await first;
    expect(finishers).toHaveLength(1); // the pending run has started
    await finish();
    await Promise.all(burst);
    expect(finishers).toHaveLength(0);
  });

  it("starts afresh after a failed run", async () => {
    let runs = 0;
    const trigger = coalesce(async () => {
      runs++;
      throw new Error("boom");
    });
    await trigger();
    await trigger();
    expect(runs).toBe(2);
  });
});
