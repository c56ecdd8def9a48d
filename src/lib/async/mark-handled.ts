/**
 * Marks `promise` as handled and returns it unchanged, for a promise started
 * now and awaited later (a page read ahead, a block compressed in parallel).
 * Until it is awaited, Node counts a rejection as unhandled and crashes the
 * process; and when the consumer stops early (an earlier item failed), it is
 * never awaited at all. The rejection is not lost: whoever awaits the
 * returned promise still gets it. Only for promises that are awaited later
 * or whose result no longer matters once the consumer has stopped; an error
 * that must be seen is awaited, logged or rethrown instead.
 */
export function markHandled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(ignoreUntilAwaited);
  return promise;
}

function ignoreUntilAwaited(): void {
  // The rejection is delivered to whoever awaits the promise itself.
}
