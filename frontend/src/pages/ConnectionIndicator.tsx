/** The dot in the top bar that says whether live updates are flowing. */
import type { ConnectionStatus } from "../api/events";

const LABELS: Record<ConnectionStatus, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  closed: "offline",
};

/** A status line ("Live updates: live") whose dot is green while the event stream is open. */
export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  return (
    <span role="status" className={`connection connection--${status}`} title="Changes made elsewhere appear here live">
      <span aria-hidden="true" className="connection__dot" />
      <span className="connection__prefix">Live updates: </span>
      {LABELS[status]}
    </span>
  );
}
