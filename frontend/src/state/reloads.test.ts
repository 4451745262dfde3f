import { describe, expect, it } from "vitest";
import { reloads } from "./reloads";

/** A load whose calls the test answers by hand with the seq of the state "loaded", or null for a failure. */
function manualLoad() {
  const answers: ((seq: number | null) => void)[] = [];
  const load = () =>
    new Promise<number | null>((resolve) => {
      answers.push(resolve);
    });
  const answer = async (seq: number | null) => {
    answers.shift()?.(seq);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { load, answers, answer };
}

describe("reloads", () => {
  it("loads on a forced reload and on an event before anything was loaded", async () => {
    const { load, answers, answer } = manualLoad();
    const { reload, reloadFor } = reloads(load);
    void reload();
    expect(answers).toHaveLength(1);
    await answer(3);
    void reloadFor(4);
    expect(answers).toHaveLength(1);
  });

  it("skips a load for an event the state on screen already includes", async () => {
    const { load, answers, answer } = manualLoad();
    const { reload, reloadFor } = reloads(load);
    void reload();
    await answer(5);
    await reloadFor(5);
    await reloadFor(2);
    expect(answers).toHaveLength(0);
  });

  it("decides when the pending load starts, so events the running load covers cost nothing", async () => {
    const { load, answers, answer } = manualLoad();
    const { reload, reloadFor } = reloads(load);
    void reload();
    const pending = reloadFor(7); // heard while the first load runs
    await answer(7); // ...which turns out to include it
    await pending;
    expect(answers).toHaveLength(0);
  });

  it("loads for an event newer than the state on screen", async () => {
    const { load, answers, answer } = manualLoad();
    const { reload, reloadFor } = reloads(load);
    void reload();
    await answer(5);
    void reloadFor(6);
    expect(answers).toHaveLength(1);
  });

  it("always loads on a forced reload, even when no newer event was heard", async () => {
    const { load, answers, answer } = manualLoad();
    const { reload } = reloads(load);
    void reload();
    await answer(5);
    void reload();
    expect(answers).toHaveLength(1);
  });

  it("loads again after a failure, whatever the next request asks for", async () => {
    const { load, answers, answer } = manualLoad();
    const { reload, reloadFor } = reloads(load);
    void reload();
    await answer(5);
    void reload();
    await answer(null);
    void reloadFor(1);
    expect(answers).toHaveLength(1);
  });
});
