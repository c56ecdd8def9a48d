import { once } from 'node:events';
import { from as copyFrom } from 'pg-copy-streams';
import { markHandled } from '@/lib/async/mark-handled';
import { qualifiedName, type TTableName } from '../schema/catalog';
import type { TEngineConnection } from '../sql/engine-transaction';
import { ident } from '../sql/sql';

/**
 * Rows going into one table as COPY text (`COPY <table> (<columns>) FROM
 * …`), on the connection of the caller's transaction; one implementation
 * per engine. Blocks are whole COPY lines; the rows of one `TCopyIn` are
 * numbered from 1 across its blocks, as errors report them.
 */
export interface TCopyIn {
  /** Sends a block of whole COPY lines; resolves when the engine can take the next. Rejects with CopyInError. */
  write(copy: Uint8Array, rows: number): Promise<void>;
  /** Ends the COPY; resolves once every row is in the table. Rejects with CopyInError. */
  end(): Promise<void>;
  /** Gives the COPY up after a failure elsewhere, so the connection can roll the transaction back; never throws. */
  abort(): Promise<void>;
}

/** A COPY the engine refused: `row` is the position of the offending row among the TCopyIn's rows, when the engine says it. */
export class CopyInError extends Error {
  constructor(
    readonly row: number | null,
    options: { cause: unknown },
  ) {
    super('COPY failed', options);
    this.name = 'CopyInError';
  }
}

/** `COPY "Student", line 12[, column …]`: the engine's CONTEXT of a row it refused. */
function copyLineOf(error: unknown): number | null {
  const where = (error as { where?: unknown })?.where;
  const line = typeof where === 'string' ? /\bCOPY [^\n]*?, line (\d+)/.exec(where)?.[1] : undefined;
  return line === undefined ? null : Number(line);
}

export function openCopyIn(connection: TEngineConnection, table: TTableName, columns: string[]): TCopyIn {
  const statement = (source: string) => `COPY ${qualifiedName(table)} (${columns.map(ident).join(', ')}) FROM ${source}`;
  return connection.engine === 'postgres' ? postgresCopyIn(connection.client, statement('STDIN')) : pgliteCopyIn(connection, statement);
}

/**
 * One `COPY … FROM STDIN` for all the rows, streamed through
 * pg-copy-streams in large writes (small ones make it slow), waiting for
 * the socket to drain between blocks. The server reports a refused row as
 * its line in the whole stream, which is the row's position.
 */
function postgresCopyIn(client: Extract<TEngineConnection, { engine: 'postgres' }>['client'], statement: string): TCopyIn {
  const stream = client.query(copyFrom(statement));
  let failure: unknown = null;
  const failed = markHandled(
    new Promise<never>((_, reject) =>
      stream.once('error', (error) => {
        failure = error;
        reject(error);
      }),
    ),
  );
  const wrap = (error: unknown) => new CopyInError(copyLineOf(error), { cause: error });
  return {
    write: async (copy) => {
      if (failure !== null) throw wrap(failure);
      try {
        if (!stream.write(copy)) await Promise.race([once(stream, 'drain'), failed]);
      } catch (error) {
        throw wrap(error);
      }
    },
    end: async () => {
      if (failure !== null) throw wrap(failure);
      try {
        await Promise.race([new Promise<void>((resolve) => stream.end(resolve)), failed]);
      } catch (error) {
        throw wrap(error);
      }
    },
    abort: async () => {
      if (stream.destroyed || failure !== null) return;
      // destroy() sends CopyFail; the stream closes once the server has answered, and the connection takes queries again.
      const closed = once(stream, 'close').catch(() => {});
      stream.destroy();
      await closed;
    },
  };
}

/**
 * PGlite: one `COPY … FROM '/dev/blob'` per block (its COPY FROM STDIN
 * never returns). The engine numbers lines within the block, so the row's
 * position is the block's start plus that line.
 */
function pgliteCopyIn(connection: Extract<TEngineConnection, { engine: 'pglite' }>, statement: (source: string) => string): TCopyIn {
  const sql = statement(`'/dev/blob'`);
  let rowsBefore = 0;
  return {
    write: async (copy, rows) => {
      try {
        await connection.transaction.query(sql, [], { blob: new Blob([copy as Uint8Array<ArrayBuffer>]) });
      } catch (error) {
        const line = copyLineOf(error);
        throw new CopyInError(line === null ? null : rowsBefore + line, { cause: error });
      }
      rowsBefore += rows;
    },
    end: async () => {},
    abort: async () => {},
  };
}
