/**
 * The database's own sentence from a Prisma raw-query error, without Prisma's
 * wrapping and without a closing full stop (it is always quoted inside a
 * sentence of ours), followed by PostgreSQL's DETAIL when the driver
 * adapter kept it: the detail is what names the other table (`Table "Grade"
 * references "Student"`). Both are the server's descriptions of the data and
 * schema; they never hold a connection string or a key.
 */
export function databaseMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const inner = /Message: `([^`]*)`/.exec(text)?.[1] ?? /message: "([^"]*)"/.exec(text)?.[1];
  const message = (inner ?? text.split('\n').filter(Boolean).pop() ?? 'database error').slice(0, 300).replace(/[.\s]+$/, '');
  const detail = driverDetail(error);
  return detail ? `${message} (${detail.slice(0, 300).replace(/[.\s]+$/, '')})` : message;
}

/** DETAIL as a driver reports it: inside Prisma's error, on the adapter's own error (direct adapter queries), or on the driver's (COPY). */
function driverDetail(error: unknown): string | null {
  type TCause = { cause?: { detail?: unknown } };
  const wrapped = error as { meta?: { driverAdapterError?: TCause }; detail?: unknown } & TCause;
  const detail = wrapped?.meta?.driverAdapterError?.cause?.detail ?? wrapped?.cause?.detail ?? wrapped?.detail;
  return typeof detail === 'string' && detail.trim() ? detail.trim() : null;
}
