/** Keeps one failing part of the page from blanking all of it: the part says it failed, and why. */
import { Component, type ReactNode } from "react";

/** What a failed part shows: "This panel failed: <message>", the message read from any thrown value. */
export function failureMessage(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `This panel failed: ${reason || "no reason was given"}`;
}

interface Props {
  children: ReactNode;
}

interface State {
  error: unknown;
  failed: boolean;
}

/** An error boundary around one part of the page; Retry draws the part afresh. */
export class PanelBoundary extends Component<Props, State> {
  override state: State = { error: null, failed: false };

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="panel-failure">
        <p>{failureMessage(this.state.error)}</p>
        <button type="button" onClick={() => this.setState({ error: null, failed: false })}>
          Retry
        </button>
      </div>
    );
  }
}
