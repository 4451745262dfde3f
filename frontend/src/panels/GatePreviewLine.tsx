/** Under the gate form: what the gate would produce, asked of the server before it is applied. */
import { useEffect, useRef, useState } from "react";
import type { GateApplication, GatePreview } from "../api/types";
import { formatBytes, formatShape } from "../format";
import { asApiError } from "../state/asApiError";

/** How long the form must stay unchanged before the server is asked. */
const WAIT_MS = 250;
/** Outputs listed one by one; beyond, a count (split into many pieces). */
const LISTED_OUTPUTS = 3;

type Shown = { ok: boolean; text: string } | null;

interface GatePreviewLineProps {
  application: GateApplication;
  preview: (application: GateApplication) => Promise<GatePreview>;
}

/** "→ 64×256 float64 · 131 kB", or why the gate would be refused, updated as the form changes. */
export function GatePreviewLine({ application, preview }: GatePreviewLineProps) {
  const asked = JSON.stringify(application);
  const ask = useRef(preview);
  ask.current = preview;
  const [shown, setShown] = useState<Shown>(null);

  useEffect(() => {
    let current = true;
    const timer = window.setTimeout(() => {
      ask.current(JSON.parse(asked) as GateApplication).then(
        (answer) => current && setShown({ ok: true, text: describePreview(answer) }),
        (error: unknown) => current && setShown({ ok: false, text: asApiError(error).message }),
      );
    }, WAIT_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [asked]);

  if (shown === null) return null;
  return (
    <p role="status" aria-label="Result preview" className={shown.ok ? "form-preview" : "form-preview form-preview--refused"}>
      {shown.text}
    </p>
  );
}

/** The outputs' shapes and dtypes and the memory the gate needs, in one line. */
export function describePreview(preview: GatePreview): string {
  const specs = preview.outputs.map((out) => `${formatShape(out.shape)} ${out.dtype}`);
  const first = specs[0] ?? "nothing";
  const outputs = specs.length > LISTED_OUTPUTS ? `${specs.length} outputs like ${first}` : specs.join(", ") || first;
  return `→ ${outputs} · ${formatBytes(preview.bytes)}`;
}
