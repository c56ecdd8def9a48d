import { markHandled } from '@/lib/async/mark-handled';

/**
 * Iterates `source` one item ahead: while the consumer works on an item (a
 * restore waits for the database to insert a batch), the next one is
 * already being produced (decrypted, decompressed and parsed). Errors are
 * delivered in order, when the consumer reaches them.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  // A failure of the item being produced must wait its turn, not crash the process as unhandled.
  let next = markHandled(iterator.next());
  try {
    for (;;) {
      const result = await next;
      if (result.done) return;
      next = markHandled(iterator.next());
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
