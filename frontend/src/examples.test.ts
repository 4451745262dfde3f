import { afterEach, describe, expect, it, vi } from "vitest";
import { buildExample, EXAMPLES } from "./examples";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("EXAMPLES", () => {
  it("each has a title, distinct variable names and a program", () => {
    for (const example of EXAMPLES) {
      const names = example.variables.map((v) => v.name);
      expect(new Set(names).size).toBe(names.length);
      expect(example.program.trim()).not.toBe("");
      expect(example.title).not.toBe("");
    }
  });

  it("gives every variable exactly one of a value and an init", () => {
    for (const variable of EXAMPLES.flatMap((e) => e.variables)) {
      expect((variable.value === undefined) !== (variable.init === undefined)).toBe(true);
    }
  });
});

describe("buildExample", () => {
  it("creates a workspace, adds the variables in order, then runs the program", async () => {
    const created = { id: "w", token: "t", viewer_token: "v", url: "/w/w#t", viewer_url: "/w/w#v" };
    const calls: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const path = new URL(request.url).pathname;
        calls.push(`${request.method} ${path}`);
        return new Response(JSON.stringify(path === "/api/workspaces" ? created : {}), { status: 200 });
      }),
    );
    const example = EXAMPLES[0];
    if (example === undefined) throw new Error("no examples");
    await expect(buildExample(example)).resolves.toEqual(created);
    expect(calls).toEqual([
      "POST /api/workspaces",
      "POST /api/workspaces/w/variables",
      "POST /api/workspaces/w/variables",
      "POST /api/workspaces/w/eval",
    ]);
  });
});
