import { describe, expect, it } from "vitest";
import { SERVER_DEFAULT_CONFIG as DEFAULT_CONFIG } from "../testing/trainingConfig";
import { setupOf, withSetup } from "./setupLink";

describe("setup links", () => {
  it("carry the config in the query, keeping the view and the token", () => {
    const config = { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hidden: [3, 2] } };
    const link = new URL(withSetup("http://host/w/abc?view=training#tok", config));
    expect(link.pathname).toBe("/w/abc");
    expect(link.searchParams.get("view")).toBe("training");
    expect(link.hash).toBe("#tok");
    expect(link.searchParams.get("setup")).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(setupOf(link.search)).toEqual(config);
  });

  it("reads no setup from a query without one or with a damaged one", () => {
    expect(setupOf("?view=training")).toBeNull();
    expect(setupOf("?setup=%%%")).toBeNull();
    expect(setupOf(`?setup=${btoa(JSON.stringify({ dataset: {} }))}`)).toBeNull();
  });
});
