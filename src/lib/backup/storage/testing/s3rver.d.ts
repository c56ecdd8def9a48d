// s3rver ships no types; this covers the part of its API (README "Programmatically running s3rver") the tests use.
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    silent?: boolean;
    directory?: string;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Creates the `configureBuckets` buckets without starting a server. */
    configureBuckets(): Promise<void>;
    /** The request handler, for mounting in an `http.Server` of one's own. */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }
}
