import { describe, expect, it } from "vitest";
import { latestOnly } from "./layoutQueue";

/** A task whose runs finish when the test says so, recording what it was asked to run. */
function controlledTask() {
  const started: string[] = [];
  const finish: ((output: string) => void)[] = [];
  const fail: ((error: Error) => void)[] = [];
  const task = (input: string) =>
    new Promise<string>((resolve, reject) => {
      started.push(input);
      finish.push(resolve);
      fail.push(reject);
    });
  return { task, started, finish, fail };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("latestOnly", () => {
  it("runs a request at once when nothing is running", async () => {
    const { task, started, finish } = controlledTask();
    const result = latestOnly(task)("a");
    expect(started).toEqual(["a"]);
    finish[0]?.("laid out a");
    await expect(result).resolves.toBe("laid out a");
  });

  it("runs one request at a time and keeps only the latest waiting", async () => {
    const { task, started, finish } = controlledTask();
    const layOut = latestOnly(task);
    const first = layOut("a");
    const dropped = [layOut("b"), layOut("c")];
    const latest = layOut("d");
    expect(started).toEqual(["a"]);
    await expect(Promise.all(dropped)).resolves.toEqual([null, null]);
    finish[0]?.("laid out a");
    await expect(first).resolves.toBe("laid out a");
    await settle();
    expect(started).toEqual(["a", "d"]);
    finish[1]?.("laid out d");
    await expect(latest).resolves.toBe("laid out d");
  });

  it("goes on with the waiting request after a run fails", async () => {
    const { task, started, finish, fail } = controlledTask();
    const layOut = latestOnly(task);
    const failing = layOut("a");
    const next = layOut("b");
    fail[0]?.(new Error("worker died"));
    await expect(failing).rejects.toThrow("worker died");
    await settle();
    expect(started).toEqual(["a", "b"]);
    finish[1]?.("laid out b");
    await expect(next).resolves.toBe("laid out b");
  });

  it("is idle again once the queue drains", async () => {
    const { task, started, finish } = controlledTask();
    const layOut = latestOnly(task);
    const first = layOut("a");
    finish[0]?.("laid out a");
    await first;
    await settle();
    void layOut("b");
    expect(started).toEqual(["a", "b"]);
  });
});
