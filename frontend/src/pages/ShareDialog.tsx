/** The links that open a workspace: the editor link, and the viewer link when this browser knows it. */
import { CopyField } from "../panels/CopyField";
import { Dialog } from "../panels/Dialog";
import { recallWorkspace, workspaceLink } from "../state/recent";

interface ShareDialogProps {
  id: string;
  token: string;
  readOnly: boolean;
  open: boolean;
  onClose: () => void;
}

/** Editor and viewer links as full URLs; a viewer sees only the viewer link it holds. */
export function ShareDialog({ id, token, readOnly, open, onClose }: ShareDialogProps) {
  const remembered = recallWorkspace(id);
  const url = (secret: string) => window.location.origin + workspaceLink(id, secret);
  const viewerToken = readOnly ? token : remembered?.viewerToken;
  return (
    <Dialog title="Share this workspace" open={open} onClose={onClose}>
      {readOnly ? null : <CopyField label="Editor link" value={url(token)} />}
      {readOnly ? null : <p className="field__hint">Anyone with the editor link can change the workspace.</p>}
      {viewerToken === undefined ? (
        <p className="field__hint">
          The viewer link is shown only in the browser that created this workspace.
        </p>
      ) : (
        <CopyField label="Viewer link" value={url(viewerToken)} />
      )}
    </Dialog>
  );
}
