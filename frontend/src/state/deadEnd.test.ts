import { describe, expect, it } from "vitest";
import { ApiError, networkError } from "../api/errors";
import { DEAD_END_MESSAGES, deadEndOf } from "./deadEnd";

describe("deadEndOf", () => {
  it("reads a refused token as the wrong token", () => {
    expect(deadEndOf(new ApiError(401, "unauthorized", "the token does not match this workspace"))).toBe(
      "wrong_token",
    );
  });

  it("reads a missing workspace as deleted or never there", () => {
    expect(deadEndOf(new ApiError(404, "workspace_not_found", "no workspace with id 'x'"))).toBe("not_found");
  });

  it("keeps trying when the server may come back", () => {
    expect(deadEndOf(networkError())).toBeNull();
    expect(deadEndOf(new ApiError(502, "http_error", "bad gateway"))).toBeNull();
    expect(deadEndOf(new ApiError(409, "workspace_damaged", "could not be loaded whole"))).toBeNull();
    expect(deadEndOf(new ApiError(429, "too_many_requests", "slow down"))).toBeNull();
  });
});

describe("DEAD_END_MESSAGES", () => {
  it("says why in words", () => {
    expect(DEAD_END_MESSAGES.not_found.title).toBe("This workspace was deleted, or the link is wrong");
    expect(DEAD_END_MESSAGES.wrong_token.title).toBe("This link's token does not open this workspace");
    expect(DEAD_END_MESSAGES.deleted.title).toBe("This workspace was deleted");
  });
});
