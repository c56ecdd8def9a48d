/**
 * A refusal or failure, announced at once (`role="alert"`). Renders nothing
 * without a message, so callers can pass an optional error straight in.
 */
export function AlertMessage({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="alert">
      {message}
    </p>
  );
}
