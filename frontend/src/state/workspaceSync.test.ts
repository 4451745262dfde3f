import { describe, expect, it } from "vitest";
import type { WorkspaceEvent } from "../api/events";
import type { WorkspaceState } from "../api/types";
import type { LiveState } from "./liveState";
import { workspaceSync } from "./workspaceSync";

/** A whole state as the server sends it: variables named `names` (scalars 1), as of event `seq`. */
function loaded(seq: number, names: string[] = []): WorkspaceState {
  const variables = names.map((name) => ({
    name,
    shape: [],
    dtype: "float64" as const,
    requires_grad: false,
    value: 1,
    grad: null,
    created_by: null,
  }));
  return { id: "w", variables, tape: [], history: [], no_grad: false, tape_bytes: 0, held_bytes: 0, seq, access: "write", damage: null, anomalies: [] };
}

/** Event `seq` creating scalar variable `name`. */
function created(seq: number, name: string): WorkspaceEvent {
  const preview = { shape: [], values: 1, min: 1, max: 1, mean: 1 };
  const variable = { name, shape: [], dtype: "float64", requires_grad: false, created_by: null, value: preview, grad: null };
  return { seq, type: "variable_created", variable };
}

/** A sync whose loads the test answers by hand, and what it reported. */
function harness() {
  const answers: { resolve: (state: WorkspaceState) => void; reject: (error: Error) => void }[] = [];
  const shown: LiveState[] = [];
  const errors: unknown[] = [];
  const sync = workspaceSync(
    () => new Promise<WorkspaceState>((resolve, reject) => answers.push({ resolve, reject })),
    { state: (state) => shown.push(state), error: (error) => errors.push(error) },
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const answer = async (state: WorkspaceState) => {
    answers.shift()?.resolve(state);
    await settle();
  };
  const fail = async () => {
    answers.shift()?.reject(new Error("offline"));
    await settle();
  };
  const names = () => shown.at(-1)?.variables.map((v) => v.name);
  return { sync, answers, shown, errors, answer, fail, names };
}

describe("workspaceSync", () => {
  it("shows the first load, then applies events without loading again", async () => {
    const { sync, answers, answer, names, shown } = harness();
    void sync.reload();
    await answer(loaded(2, ["a"]));
    sync.hear(created(3, "b"));
    sync.hear(created(4, "c"));
    expect(names()).toEqual(["a", "b", "c"]);
    expect(shown.at(-1)?.seq).toBe(4);
    expect(answers).toHaveLength(0);
  });

  it("ignores events the loaded state already includes", async () => {
    const { sync, answer, shown } = harness();
    void sync.reload();
    await answer(loaded(5, ["a"]));
    sync.hear(created(5, "a"));
    expect(shown).toHaveLength(1);
  });

  it("loads the whole state once when an event was missed", async () => {
    const { sync, answers, answer, names } = harness();
    void sync.reload();
    await answer(loaded(2, ["a"]));
    sync.hear(created(4, "c")); // 3 never arrived
    expect(answers).toHaveLength(1);
    await answer(loaded(4, ["a", "b", "c"]));
    expect(names()).toEqual(["a", "b", "c"]);
  });

  it("applies the events heard during a load that its answer does not include yet", async () => {
    const { sync, answer, names, answers } = harness();
    void sync.reload();
    sync.hear(created(3, "b")); // included in the answer below
    sync.hear(created(4, "c")); // published after the server answered
    await answer(loaded(3, ["a", "b"]));
    expect(names()).toEqual(["a", "b", "c"]);
    expect(answers).toHaveLength(0);
  });

  it("keeps the page live while a load is in flight, then takes the load", async () => {
    const { sync, answer, names } = harness();
    void sync.reload();
    await answer(loaded(2, ["a"]));
    void sync.reload(); // a resync, say
    sync.hear(created(3, "b"));
    expect(names()).toEqual(["a", "b"]);
    await answer(loaded(2, ["a"]));
    expect(names()).toEqual(["a", "b"]);
  });

  it("loads again when an event heard during a load cannot be applied on top of it", async () => {
    const { sync, answers, answer, names } = harness();
    void sync.reload();
    sync.hear(created(9, "z"));
    await answer(loaded(3, ["a"])); // events 4 to 8 were missed
    expect(answers).toHaveLength(1);
    await answer(loaded(9, ["a", "z"]));
    expect(names()).toEqual(["a", "z"]);
  });

  it("folds a burst of unappliable events into one pending load", async () => {
    const { sync, answers, answer } = harness();
    void sync.reload();
    await answer(loaded(1));
    for (let seq = 3; seq < 10; seq++) sync.hear(created(seq, `v${seq}`));
    expect(answers).toHaveLength(1);
  });

  it("reports a failed load, and loads again on the next event", async () => {
    const { sync, answers, answer, fail, errors, names } = harness();
    void sync.reload();
    await fail();
    expect(errors.at(-1)).toBeInstanceOf(Error);
    expect(answers).toHaveLength(0); // no retry loop while the server is away
    sync.hear(created(2, "b"));
    expect(answers).toHaveLength(1);
    await answer(loaded(2, ["a", "b"]));
    expect(errors.at(-1)).toBeNull();
    expect(names()).toEqual(["a", "b"]);
  });

  it("adopts a whole state an action answered with, unless it holds newer events", async () => {
    const { sync, answer, names } = harness();
    void sync.reload();
    await answer(loaded(2, ["a"]));
    sync.adopt(loaded(3, ["a", "b"]));
    expect(names()).toEqual(["a", "b"]);
    sync.hear(created(4, "c"));
    sync.adopt(loaded(3, ["a", "b"]));
    expect(names()).toEqual(["a", "b", "c"]);
  });

  it("drops answers that arrive after it stopped", async () => {
    const { sync, answer, shown } = harness();
    void sync.reload();
    sync.stop();
    await answer(loaded(2, ["a"]));
    expect(shown).toHaveLength(0);
  });
});
