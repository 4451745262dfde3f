/** The workspace page's top bar: where you are, whether it is live, and sharing and exporting. */
import { useState } from "react";
import { onWorkspace } from "../api/client";
import { answerAsSent, rest } from "../api/rest";
import { downloadText } from "../download";
import { navigate, workspaceUrl, type WorkspaceView } from "../router";
import type { Workspace } from "../state/useWorkspace";
import { ConnectionIndicator } from "./ConnectionIndicator";
import { DeleteDialog } from "./DeleteDialog";
import { ShareDialog } from "./ShareDialog";
import { ThemeToggle } from "./ThemeToggle";

/** Each view of a workspace and the name of its link. */
const VIEWS: readonly { view: WorkspaceView; label: string }[] = [
  { view: "graph", label: "Graph" },
  { view: "training", label: "Training" },
];

/**
 * Home link, workspace id, the Graph and Training views, "read-only" badge for viewers, live
 * status, the theme switch; Export, Share and Delete buttons.
 */
export function TopBar({ workspace, view }: { workspace: Workspace; view: WorkspaceView }) {
  const [sharing, setSharing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const { access, viewer } = workspace;

  async function exportAs(kind: "json" | "python") {
    setExportError(null);
    try {
      if (kind === "json") {
        const document = await answerAsSent(rest.GET("/api/workspaces/{workspace_id}/export", onWorkspace(access)));
        downloadText(`${access.id}.json`, JSON.stringify(document, null, 2), "application/json");
      } else {
        downloadText(`${access.id}.py`, await answerAsSent(rest.GET("/api/workspaces/{workspace_id}/export.py", { ...onWorkspace(access), parseAs: "text" })), "text/x-python");
      }
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <header className="topbar">
      <h1 className="visually-hidden">
        Workspace {access.id}: {VIEWS.find((item) => item.view === view)?.label ?? view}
      </h1>
      <a href="/" className="topbar__home">
        <span aria-hidden="true" className="logo">
          ∂
        </span>{" "}
        Wengert
      </a>
      <span className="topbar__id">workspace {access.id}</span>
      <nav className="topbar__views" aria-label="Views">
        {VIEWS.map((item) => {
          const url = workspaceUrl(access.id, access.token, item.view);
          return (
            <a
              key={item.view}
              href={url}
              className="topbar__view"
              aria-current={item.view === view ? "page" : undefined}
              onClick={(event) => {
                event.preventDefault();
                navigate(url);
              }}
            >
              {item.label}
            </a>
          );
        })}
      </nav>
      {viewer ? (
        <span className="badge badge--readonly" title="This is a viewer link: you can watch but not change">
          read-only
        </span>
      ) : null}
      <span className="topbar__spacer" />
      {exportError === null ? null : (
        <span role="alert" className="topbar__error">
          {exportError}
        </span>
      )}
      <ConnectionIndicator status={workspace.connection} />
      <ThemeToggle />
      <button type="button" className="button--quiet" onClick={() => void exportAs("json")}>
        Export JSON
      </button>
      <button type="button" className="button--quiet" onClick={() => void exportAs("python")}>
        Export Python
      </button>
      <button type="button" className="button--quiet" onClick={() => setSharing(true)}>
        Share
      </button>
      {viewer ? null : (
        <button type="button" className="button--quiet" onClick={() => setDeleting(true)}>
          Delete…
        </button>
      )}
      <DeleteDialog access={access} open={deleting} onClose={() => setDeleting(false)} />
      <ShareDialog
        id={access.id}
        token={access.token}
        readOnly={viewer}
        open={sharing}
        onClose={() => setSharing(false)}
      />
    </header>
  );
}
