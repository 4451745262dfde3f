/** The start page: one button that creates a workspace and opens it. */
import { createWorkspace } from "../api/client";
import { FormError } from "../panels/FormError";
import { useSubmit } from "../panels/useSubmit";
import { navigate } from "../router";
import "./pages.css";

/** Explains the playground in a sentence and creates a workspace on request. */
export function StartPage() {
  const { pending, error, run } = useSubmit();

  async function create() {
    await run(async () => {
      const created = await createWorkspace();
      navigate(created.url || `/w/${encodeURIComponent(created.id)}#${created.token}`);
    });
  }

  return (
    <main className="start">
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
      <button type="button" className="button--primary" onClick={() => void create()} disabled={pending}>
        Create workspace
      </button>
      <FormError message={error} />
    </main>
  );
}
