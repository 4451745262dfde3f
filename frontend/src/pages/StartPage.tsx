/** The start page: create a workspace, import one, or reopen a recent one. */
import { useState, type MouseEvent } from "react";
import { answer, rest } from "../api/rest";
import type { CreatedWorkspace, ExportDocument } from "../api/types";
import { buildExample, EXAMPLES } from "../examples";
import { FormError } from "../panels/FormError";
import { useSubmit } from "../panels/useSubmit";
import { navigate } from "../router";
import { recentWorkspaces, rememberWorkspace, workspaceLink, type RecentWorkspace } from "../state/recent";
import { ThemeToggle } from "./ThemeToggle";
import "./pages.css";

/** Explains the playground in a sentence and offers the ways into a workspace. */
export function StartPage() {
  const { pending, error, run, fail } = useSubmit();
  const [recent] = useState(() => recentWorkspaces());

  function open(created: CreatedWorkspace) {
    rememberWorkspace(created);
    navigate(workspaceLink(created.id, created.token));
  }

  async function create() {
    await run(async () => open(await answer(rest.POST("/api/workspaces"))));
  }

  async function importFile(file: File | undefined) {
    if (file === undefined) return;
    let document: unknown;
    try {
      document = JSON.parse(await file.text());
    } catch {
      return fail(`${file.name} is not a JSON export file.`);
    }
    await run(async () => open(await answer(rest.POST("/api/workspaces/import", { body: document as ExportDocument }))));
  }

  return (
    <main className="start">
      <div className="start__theme">
        <ThemeToggle />
      </div>
      <h1 className="start__title">
        <span aria-hidden="true" className="logo">
          ∂
        </span>{" "}
        Wengert
      </h1>
      <p className="start__lead">
        Build a computation out of variables and gates, run backprop, and watch every gradient flow
        back through the graph.
      </p>
      <div className="start__actions">
        <button type="button" className="button--primary" onClick={() => void create()} disabled={pending}>
          Create workspace
        </button>
        <label className="file-button">
          Import export file
          <input
            type="file"
            accept="application/json,.json"
            disabled={pending}
            onChange={(event) => void importFile(event.target.files?.[0])}
          />
        </label>
      </div>
      <FormError message={error} />
      <section className="start__section" aria-labelledby="examples-title">
        <h2 id="examples-title" className="start__heading">
          Examples
        </h2>
        <ul className="examples">
          {EXAMPLES.map((example, i) => (
            <li key={example.title} className="example">
              {/* The name is the words on the button ("Example: " read, not drawn); the description
                  beside it is its description, so what is seen and what is read agree. */}
              <button
                type="button"
                className="button--quiet example__open"
                aria-describedby={`example-${i}`}
                disabled={pending}
                onClick={() => void run(async () => open(await buildExample(example)))}
              >
                <span className="visually-hidden">Example: </span>
                <strong>{example.title}</strong>
              </button>
              <span id={`example-${i}`} className="example__description">
                {example.description}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <RecentList recent={recent} />
    </main>
  );
}

/** The workspaces this browser created or imported, each with its editor and viewer links. */
function RecentList({ recent }: { recent: RecentWorkspace[] }) {
  if (recent.length === 0) return null;
  return (
    <section className="start__section" aria-labelledby="recent-title">
      <h2 id="recent-title" className="start__heading">
        Recent workspaces
      </h2>
      <ul className="recent">
        {recent.map((entry) => (
          <li key={entry.id} className="recent__item">
            <a
              href={workspaceLink(entry.id, entry.token)}
              aria-label={`Open workspace ${entry.id}`}
              onClick={(event) => follow(event, entry.token, entry.id)}
            >
              {entry.id}
            </a>
            <span className="recent__date">{new Date(entry.savedAt).toLocaleString()}</span>
            <a
              href={workspaceLink(entry.id, entry.viewerToken)}
              aria-label={`Viewer link of ${entry.id}`}
              onClick={(event) => follow(event, entry.viewerToken, entry.id)}
            >
              viewer link
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Opens an in-app link without reloading the page, unless the user asked for a new tab. */
function follow(event: MouseEvent, token: string, id: string) {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(workspaceLink(id, token));
}
