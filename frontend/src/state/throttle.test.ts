import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { throttle } from "./throttle";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("throttle", () => {
  it("runs the first trigger at once", () => {
    const task = vi.fn();
    throttle(task, 250).trigger();
    expect(task).toHaveBeenCalledTimes(1);
  });

  it("folds a burst of triggers into one trailing run per interval", () => {
    const task = vi.fn();
    const throttled = throttle(task, 250);
    for (let i = 0; i < 100; i++) throttled.trigger();
    expect(task).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(249);
    expect(task).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it("runs at most four times a second however many events arrive", () => {
    const task = vi.fn();
    const throttled = throttle(task, 250);
    for (let ms = 0; ms < 1000; ms += 10) {
      throttled.trigger();
      vi.advanceTimersByTime(10);
    }
    expect(task.mock.calls.length).toBeLessThanOrEqual(5);
    expect(task.mock.calls.length).toBeGreaterThanOrEqual(4);
  });

  it("runs nothing after cancel", () => {
    const task = vi.fn();
    const throttled = throttle(task, 250);
    throttled.trigger();
    throttled.trigger();
    throttled.cancel();
    vi.advanceTimersByTime(1000);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
