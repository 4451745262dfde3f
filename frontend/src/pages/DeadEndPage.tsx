/** The page shown instead of a workspace that can never be shown: why, and the way back. */
import { useEffect } from "react";
import { DEAD_END_MESSAGES, type DeadEnd } from "../state/deadEnd";
import { forgetWorkspace } from "../state/recent";
import "./pages.css";

/**
 * Says why workspace `id` cannot be opened and links to the start page. A workspace that is gone
 * leaves the start page's recent list, so the way back does not lead here again.
 */
export function DeadEndPage({ id, deadEnd }: { id: string; deadEnd: DeadEnd }) {
  const { title, help } = DEAD_END_MESSAGES[deadEnd];
  useEffect(() => {
    if (deadEnd !== "wrong_token") forgetWorkspace(id);
  }, [id, deadEnd]);
  return (
    <main className="start dead-end" data-dead-end={deadEnd}>
      <p className="start__title">
        <span aria-hidden="true" className="logo">
          ∂
        </span>{" "}
        Wengert
      </p>
      <h1 className="dead-end__title">{title}</h1>
      <p className="start__lead">{help}</p>
      <p className="dead-end__id">
        workspace <code>{id}</code>
      </p>
      <a href="/" className="dead-end__home">
        Go to the start page
      </a>
    </main>
  );
}
