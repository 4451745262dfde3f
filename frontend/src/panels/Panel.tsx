/** The frame every sidebar panel shares: a section under a heading. */
import type { ReactNode } from "react";
import "./panels.css";

/**
 * A section headed by `title`, with `action` (a button that acts on the whole panel) beside it. The section is deliberately left unnamed: a named region would
 * share words with the controls inside ("Gate", "Value") and make label lookups ambiguous.
 */
export function Panel({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel">
      <div className="panel__head">
        <h2 className="panel__title">{title}</h2>
        {action}
      </div>
      {children}
    </section>
  );
}
