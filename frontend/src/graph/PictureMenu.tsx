/** The picture of the graph from the canvas's controls: download SVG, PNG or DOT, or copy it as an image. */
import { ControlButton } from "@xyflow/react";
import { useEffect, useState } from "react";
import { downloadBlob } from "../download";
import { browserClipboard, copyPicture, fetchPicture, type PictureFormat, type PictureOf } from "./picture";

const DOWNLOADS: readonly { format: PictureFormat; label: string }[] = [
  { format: "svg", label: "Download SVG" },
  { format: "png", label: "Download PNG" },
  { format: "dot", label: "Download DOT" },
];

interface PictureMenuProps {
  of: PictureOf;
  /** Set when some of the drawing is folded in a way the server cannot draw (runs of the history). */
  unfoldedNote: string | null;
}

/**
 * A "Picture" button in the controls row that opens a small menu above it (the button or Escape
 * closes it): the graph as drawn (its folding and theme) from the server's picture route,
 * downloaded or copied to the clipboard as PNG. What happened, or why not, shows in the menu.
 */
export function PictureMenu({ of, unfoldedNote }: PictureMenuProps) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (!open) return;
    const closeOnEscape = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", closeOnEscape);
    return () => window.removeEventListener("keydown", closeOnEscape);
  }, [open]);

  async function run(action: () => Promise<string>) {
    setMessage("Drawing the picture…");
    try {
      setMessage(await action());
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  }
  const download = (format: PictureFormat) =>
    run(async () => {
      downloadBlob(`wengert-${of.id}.${format}`, await fetchPicture(of, format));
      return `Downloaded wengert-${of.id}.${format}.`;
    });
  const copy = () =>
    run(async () => {
      await copyPicture(of, browserClipboard());
      return "Copied the picture as PNG.";
    });

  return (
    <>
      <ControlButton onClick={() => setOpen(!open)} title="Picture of the graph" aria-label="Picture of the graph" aria-expanded={open}>
        <PictureIcon />
      </ControlButton>
      {open ? (
        <div className="picture-menu" role="group" aria-label="Picture of the graph as drawn">
          {DOWNLOADS.map(({ format, label }) => (
            <button key={format} type="button" onClick={() => void download(format)}>
              {label}
            </button>
          ))}
          <button type="button" onClick={() => void copy()}>
            Copy as image
          </button>
          {unfoldedNote === null ? null : <p className="picture-menu__note">{unfoldedNote}</p>}
          <p className="picture-menu__status" role="status">
            {message}
          </p>
        </div>
      ) : null}
    </>
  );
}

/** A framed landscape: a picture. */
function PictureIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <rect x="1.5" y="2.5" width="13" height="11" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M3 12l3.5-4 2.5 3 2-2 2 3z" fill="currentColor" />
    </svg>
  );
}
