'use client';

/**
 * Shown when a page fails to render. The server log has the details, found by
 * the digest; the page shows none, so nothing internal reaches the browser.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && 'digest' in error ? String(error.digest) : undefined;
  return (
    <section role="alert">
      <h1>Something went wrong</h1>
      <p>This page could not be loaded. Please try again; if it keeps failing, ask your administrator to check the server log.</p>
      {digest ? (
        <p className="muted">
          Reference: <code>{digest}</code>
        </p>
      ) : null}
      <button type="button" className="button" onClick={retry}>
        Try again
      </button>
    </section>
  );
}
