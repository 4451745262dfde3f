"""Frontend benchmark: live-update latency, load time of a large graph, and zoom smoothness.

Run as ``.venv/bin/python e2e/bench_frontend.py`` (pytest does not collect it). It starts a real
server on a free port with a temporary data dir and drives headless system Chromium.

Method. Every time is read from one clock, the page's ``performance.now()`` (milliseconds since
navigation start), so no offset between Python's clock and the browser's has to be guessed:

- Live latency: the page itself sends ``POST /variables`` with ``fetch``, exactly as a script
  would (the app does not know about the request; it only hears the SSE event, applies it to
  its state, lays the graph out and renders). Just before sending, a MutationObserver starts
  watching for the card (role group, name "variable {name}"); the sample is the time from
  sending to the card being in the DOM and visible, plus one animation frame (when it is drawn).
  An init script also stamps the SSE event's arrival (a wrapped EventSource), any load of the
  whole state (Resource Timing: the first, and any an event could not be applied without) and
  each ELK layout (a wrapped Worker: message posted, answer received),
  so the latency is split into stages.
- Load: a workspace holding a chain of N gates (``y1 = x * 1.01``, ``y2 = y1 + 0.5``, … run via
  ``POST /eval``) is opened in a fresh page; the sample is the time from navigation start to the
  first card being in the DOM and visible, plus one frame. The page draws the whole graph in one
  commit, at the quick layout's positions (ELK's replace them when its layout arrives), so the
  first card marks the graph drawn; a large graph puts only the cards in view in the DOM (the
  table says how many). Then five gates are applied to the chain's end from the page, timed like
  the live latency: a change on a large workspace.
- Zoom: the mouse wheel zooms in and out over the canvas of that workspace for about a second
  while requestAnimationFrame records frame-to-frame times; p50 and p95 are reported.

Headless Chromium runs with --disable-gpu (software raster), so frame times are pessimistic.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from e2e.api_client import ApiClient
from e2e.conftest import CHROMIUM_ARGS, system_chromium
from e2e.server import ServerProcess

# Installed before the app's scripts: stamps SSE events, ELK layouts and cards as they appear.
INSTRUMENT = """
(() => {
  const bench = (window.__bench = { events: [], layouts: [], frames: null });
  performance.setResourceTimingBufferSize(100000);

  const NativeEventSource = window.EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(...args) {
      super(...args);
      for (const type of ["variable_created", "node_recorded"])
        this.addEventListener(type, () => bench.events.push(performance.now()));
    }
  };

  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (answer) => {
        const layout = bench.layouts.findLast((l) => l.id === answer.data?.id && !l.answered);
        if (layout) layout.answered = performance.now();
      });
    }
    postMessage(message, ...rest) {
      if (message?.cmd === "layout") {
        const nodes = message.graph.children.length;
        bench.layouts.push({ id: message.id, posted: performance.now(), nodes });
      }
      super.postMessage(message, ...rest);
    }
  };

  // Resolves once an element matching the selector is in the DOM and visible, with the time
  // then (inDom), at the next animation frame (drawn) and the number of cards then. Watching
  // childList only keeps the observer cheap on a page of 18,000 elements.
  bench.whenDrawn = (selector) => new Promise((resolve) => {
    const whenVisible = (card) => {
      if (getComputedStyle(card).visibility === "hidden")
        return requestAnimationFrame(() => whenVisible(card));
      const inDom = performance.now();
      const cards = document.querySelectorAll('[aria-label^="variable "]').length;
      requestAnimationFrame(() => resolve({ inDom, drawn: performance.now(), cards }));
    };
    const check = () => {
      const card = document.querySelector(selector);
      if (card) {
        observer.disconnect();
        whenVisible(card);
      }
      return card;
    };
    const observer = new MutationObserver(check);
    if (!check()) observer.observe(document, { childList: true, subtree: true });
  });

  bench.recordFrames = () => {
    const deltas = (bench.frames = []);
    let last = performance.now();
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      if (bench.frames === deltas) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
})();
"""

# Sends one mutation from the page and waits for its card; all times on the page's clock.
MUTATE_AND_WAIT = """
async ([path, token, body, selector]) => {
  const drawn = window.__bench.whenDrawn(selector);
  const sent = performance.now();
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const answered = performance.now();
  if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("no card")), 10000));
  return { sent, answered, ...(await Promise.race([drawn, timeout])) };
}
"""

# Every stamp the instrumentation collected, with the state refetches from Resource Timing.
COLLECT = """
(stateUrl) => ({
  events: window.__bench.events,
  layouts: window.__bench.layouts,
  fetches: performance.getEntriesByType("resource")
    .filter((e) => e.name.endsWith(stateUrl))
    .map((e) => ({ start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize })),
})
"""


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) of values, interpolated."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def first_after(times: list[float], moment: float) -> float | None:
    """The earliest of times at or after moment; None when there is none."""
    return min((t for t in times if t >= moment), default=None)


def card(name: str) -> str:
    """CSS selector of a variable's card: role group, accessible name "variable {name}"."""
    return f'[role="group"][aria-label="variable {name}"]'


# The graph is drawn in one commit (at quick positions until ELK's arrive): the first card to
# appear marks it drawn, even when the canvas leaves off-screen cards out of the DOM.
ANY_CARD = '[role="group"][aria-label^="variable "]'


def open_workspace(browser: Browser, api: ApiClient, ready: str | None = None) -> Page:
    """A fresh instrumented page on the workspace; with ``ready``, stamps when it is drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(INSTRUMENT)
    if ready:
        page.add_init_script(f"window.__bench.loaded = window.__bench.whenDrawn({ready!r});")
    page.goto(f"{api.url}/w/{api.id}#{api.token}")
    expect(page.locator("[data-ready='true']")).to_be_visible()
    return page


def stages(sample: dict, stamps: dict, start: float) -> dict[str, float]:
    """When each stage of one update finished, in ms after ``start`` (the send or navigation)."""
    fetch = next((f for f in stamps["fetches"] if f["start"] >= start), None)
    # This change's layout follows the refetch (a warm-up layout may have been posted before).
    after = fetch["end"] if fetch else start
    layout = next((lay for lay in stamps["layouts"] if lay["posted"] >= after), None)
    found = {
        "POST answered": sample.get("answered"),
        "SSE event received": first_after(stamps["events"], start),
        "state refetched": fetch and fetch["end"],
        "ELK layout posted": layout and layout["posted"],
        "ELK layout answered": layout and layout.get("answered"),
        "card in DOM": sample["inDom"],
        "card drawn (next frame)": sample["drawn"],
    }
    return {name: t - start for name, t in found.items() if t is not None}


def measure_live(browser: Browser, url: str, count: int) -> tuple[list[dict], dict]:
    """``count`` variables created from the page; each sample's stages after its send."""
    api = ApiClient.create(url)
    page = open_workspace(browser, api)
    expect(page.get_by_role("status").filter(has_text="Live updates")).to_have_text(
        "Live updates: live"
    )
    path = f"/api/workspaces/{api.id}/variables"
    samples = []
    for i in range(count):
        body = {"name": f"v{i}", "value": float(i), "requires_grad": True}
        samples.append(page.evaluate(MUTATE_AND_WAIT, [path, api.token, body, card(f"v{i}")]))
    stamps = page.evaluate(COLLECT, f"/api/workspaces/{api.id}")
    page.close()
    return [stages(s, stamps, s["sent"]) for s in samples], stamps


def measure_load(browser: Browser, api: ApiClient) -> tuple[dict, dict, Page]:
    """Opens the workspace in a fresh page: its stages after navigation start, stamps, page."""
    page = open_workspace(browser, api, ready=ANY_CARD)
    sample = page.evaluate("window.__bench.loaded")
    # A first drawing may precede the final layout; wait for it so the stamps are complete.
    page.wait_for_function("() => window.__bench.layouts.at(-1)?.answered")
    stamps = page.evaluate(COLLECT, f"/api/workspaces/{api.id}")
    return stages(sample, stamps, 0.0), stamps | {"cards": sample["cards"]}, page


def measure_change(page: Page, api: ApiClient, last: str, count: int = 5) -> list[dict]:
    """``count`` gates applied to ``last`` from the open page; each sample's stages."""
    path = f"/api/workspaces/{api.id}/eval"
    samples = []
    for k in range(count):
        body = {"source": f"z{k} = {last} * 2"}
        samples.append(page.evaluate(MUTATE_AND_WAIT, [path, api.token, body, card(f"z{k}")]))
    stamps = page.evaluate(COLLECT, f"/api/workspaces/{api.id}")
    return [stages(s, stamps, s["sent"]) for s in samples]


def measure_zoom(page: Page, seconds: float = 1.0) -> list[float]:
    """Frame-to-frame times (ms) while the wheel zooms in and out over the canvas."""
    page.wait_for_timeout(500)  # the view's re-framing animation after a layout (200 ms)
    box = page.get_by_label("Computation graph").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.evaluate("window.__bench.recordFrames()")
    deadline = time.monotonic() + seconds
    step = 0
    while time.monotonic() < deadline:
        page.mouse.wheel(0, -100 if (step // 10) % 2 == 0 else 100)  # ten in, ten out, …
        step += 1
    frames = page.evaluate("window.__bench.frames")
    page.evaluate("window.__bench.frames = null")
    return frames[1:]  # the first delta starts before the wheel does


def stage_table(title: str, samples: list[dict[str, float]]) -> str:
    """Markdown: p50 and p95 of each stage's finishing time over the samples."""
    rows = [f"| {title} | p50 | p95 |", "|---|---:|---:|"]
    for name in samples[0]:
        values = [s[name] for s in samples if name in s]
        rows.append(
            f"| {name} | {percentile(values, 50):.0f} ms | {percentile(values, 95):.0f} ms |"
        )
    return "\n".join(rows)


def report(
    live: list[dict], load: dict, stamps: dict, frames: list[float], change: list[dict], nodes: int
) -> str:
    """The summary table, then where the time goes, as markdown."""
    drawn = [s["card drawn (next frame)"] for s in live]
    loaded = load["card drawn (next frame)"]
    changed = percentile([s["card drawn (next frame)"] for s in change], 50)
    # The layout of the whole graph: the first of the largest (a warm-up may come before it).
    layout = max(stamps["layouts"], key=lambda lay: lay["nodes"], default={})
    elk = layout.get("answered", 0) - layout.get("posted", 0)
    state_kib = max((f["bytes"] for f in stamps["fetches"]), default=0) / 1024
    rows = [
        "| measure | value | target |",
        "|---|---:|---|",
        f"| mutation → page, p50 ({len(live)} mutations) | {percentile(drawn, 50):.0f} ms | |",
        f"| mutation → page, p95 | {percentile(drawn, 95):.0f} ms | ≤ 100 ms |",
        f"| {nodes}-node workspace: load → drawn | {loaded:.0f} ms | < 1 s |",
        f"| … ELK layout ({layout.get('nodes', 0)} nodes; then replaces the quick one) "
        f"| {elk:.0f} ms | |",
        f"| … state fetched ×{len(stamps['fetches'])}, each | {state_kib:.0f} KiB | |",
        f"| … variable cards in the DOM when drawn | {stamps['cards']} | |",
        f"| … then a change (new gate) → page, p50 of {len(change)} | {changed:.0f} ms | |",
        f"| zoom frame time p50 ({len(frames)} frames) | {percentile(frames, 50):.0f} ms | |",
        f"| zoom frame time p95 | {percentile(frames, 95):.0f} ms | smooth (≤ 33 ms) |",
    ]
    live_title = "live update: ms after the POST was sent"
    load_title = "large workspace: ms after navigation start"
    change_title = "change on the large workspace: ms after the POST"
    tables = [stage_table(live_title, live), stage_table(load_title, [load])]
    return "\n\n".join(["\n".join(rows), *tables, stage_table(change_title, change)])


def main() -> None:
    """Start a server and a browser, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=120)
    parser.add_argument("--nodes", type=int, default=500, help="gates in the large workspace")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server = ServerProcess(Path(tmp) / "data", Path(tmp) / "server.log").start()
        browser = playwright.chromium.launch(
            executable_path=system_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            live, _ = measure_live(browser, server.url, args.mutations)
            api = ApiClient.create(server.url)
            last = api.build_chain(args.nodes)
            load, stamps, page = measure_load(browser, api)
            frames = measure_zoom(page)
            change = measure_change(page, api, last)
        finally:
            browser.close()
            server.stop()
    print(report(live, load, stamps, frames, change, args.nodes))


if __name__ == "__main__":
    main()
