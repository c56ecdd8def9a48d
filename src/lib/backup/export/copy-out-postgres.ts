import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { LineBlocks } from './line-blocks';

/**
 * Streams `COPY (<query>) TO STDOUT` on the client and yields blocks of
 * whole lines of about `blockBytes`. The stream pauses while the consumer
 * does (the server waits on the socket), so memory holds a few blocks
 * whatever the table's size.
 */
export async function* postgresCopyBlocks(client: pg.Client, query: string, options: { blockBytes: number }): AsyncGenerator<Uint8Array> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  const blocks = new LineBlocks(options.blockBytes);
  let finished = false;
  try {
    for await (const chunk of stream) {
      const block = blocks.push(chunk as Buffer);
      if (block) yield block;
    }
    finished = true;
  } finally {
    // A COPY left mid-way (the consumer failed or stopped) holds the connection
    // until the server has sent every row, so nothing else could run on it:
    // close it. The server rolls the read-only transaction back; the
    // transaction's own ROLLBACK then fails on the closed client, as it does
    // after a lost connection.
    if (!finished) {
      await client.end().catch(() => {
        // Ending fails only on a connection already gone (the cut that stopped the COPY): closed either way.
      });
    }
  }
  const last = blocks.finish();
  if (last) yield last;
}
