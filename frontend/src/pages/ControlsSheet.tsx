/** The workspace's controls: a sidebar on a wide window, a sheet that slides up on a phone. */
import { useState, type ReactNode } from "react";

/**
 * The panels that change the workspace. Beside the canvas on a wide window; on a narrow one
 * (pages.css) folded to its "Controls" handle under the canvas, and slid up by it, so the graph
 * keeps the width and most of the height until the user asks for the controls.
 */
export function ControlsSheet({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <aside className={open ? "sidebar sheet sheet--open" : "sidebar sheet"} aria-label="Controls">
      <button
        type="button"
        className="sheet__handle"
        aria-expanded={open}
        aria-controls="controls-sheet-body"
        onClick={() => setOpen(!open)}
      >
        Controls <span aria-hidden="true">{open ? "▾" : "▴"}</span>
      </button>
      <div id="controls-sheet-body" className="sheet__body">
        {children}
      </div>
    </aside>
  );
}
