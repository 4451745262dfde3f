import { describe, expect, it } from "vitest";
import { ApiError, errorFromBody, networkError } from "./errors";

describe("errorFromBody", () => {
  it("reads the error envelope", () => {
    const error = errorFromBody(409, { error: { code: "name_taken", message: "x already exists", detail: { name: "x" } } });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "name_taken", message: "x already exists", detail: { name: "x" } });
  });

  it("reads FastAPI validation issues as one sentence", () => {
    const body = { detail: [{ loc: ["body", "value"], msg: "Input should be a valid number", type: "x" }] };
    expect(errorFromBody(422, body)).toMatchObject({
      code: "invalid_request",
      message: "value: Input should be a valid number",
    });
  });

  it("reads a plain string detail", () => {
    expect(errorFromBody(404, { detail: "Not Found" }).message).toBe("Not Found");
  });

  it("falls back to a plain sentence for the status when the body says nothing", () => {
    expect(errorFromBody(401, undefined).message).toMatch(/does not give access/);
    expect(errorFromBody(502, "<html>").message).toMatch(/error 502/);
    expect(errorFromBody(418, {}).code).toBe("http_error");
  });
});

describe("networkError", () => {
  it("has status 0 and tells the person to check the server", () => {
    expect(networkError()).toMatchObject({ status: 0, code: "network" });
    expect(networkError().message).toMatch(/Could not reach/);
  });
});
