/** The error line shown right under the form that caused it. */

/** Announces `message` as an alert; renders nothing when there is no error. */
export function FormError({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <p role="alert" className="form-error">
      {message}
    </p>
  );
}
