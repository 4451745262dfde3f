/** The frame every sidebar panel shares: a section under a heading. */
import type { ReactNode } from "react";
import "./panels.css";

/**
 * A section headed by `title`. The section is deliberately left unnamed: a named region would
 * share words with the controls inside ("Gate", "Value") and make label lookups ambiguous.
 */
export function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel">
      <h2 className="panel__title">{title}</h2>
      {children}
    </section>
  );
}
