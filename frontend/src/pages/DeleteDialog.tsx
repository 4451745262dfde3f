/** Asking before a workspace is deleted: deleting cannot be undone. */
import { onWorkspace, type WorkspaceAccess } from "../api/client";
import { answer, rest } from "../api/rest";
import { Dialog } from "../panels/Dialog";
import { FormError } from "../panels/FormError";
import { useSubmit } from "../panels/useSubmit";
import { navigate } from "../router";
import { forgetWorkspace } from "../state/recent";

interface DeleteDialogProps {
  access: WorkspaceAccess;
  open: boolean;
  onClose: () => void;
}

/** Deletes the workspace only on "Delete workspace"; Esc or Cancel keep it. Goes home afterwards. */
export function DeleteDialog({ access, open, onClose }: DeleteDialogProps) {
  const { pending, error, run } = useSubmit();

  async function remove() {
    const deleted = await run(() => answer(rest.DELETE("/api/workspaces/{workspace_id}", onWorkspace(access))));
    if (!deleted) return;
    forgetWorkspace(access.id);
    navigate("/");
  }

  return (
    <Dialog title="Delete this workspace?" open={open} onClose={onClose}>
      <p>
        Every variable, node and gradient of workspace <code>{access.id}</code> will be gone, for everyone
        who has a link. This cannot be undone.
      </p>
      <div className="button-row">
        <button type="button" className="button--danger" disabled={pending} onClick={() => void remove()}>
          Delete workspace
        </button>
        <button type="button" className="button--quiet" autoFocus onClick={onClose}>
          Cancel
        </button>
      </div>
      <FormError message={error} />
    </Dialog>
  );
}
