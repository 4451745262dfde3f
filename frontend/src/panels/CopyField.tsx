/** A read-only link with a button that copies it. */
import { useId, useState } from "react";

/** Shows `value` in a labelled read-only input beside a "Copy {label}" button. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // No clipboard access (insecure context or denied): select the text for a manual copy.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  }

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field">
        <input id={id} type="text" readOnly value={value} onFocus={(event) => event.target.select()} />
        <button type="button" className="button--quiet" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
