import autocannon from 'autocannon';

const REQUEST_TIMEOUT_S = 120;

/** Latency of one page under load, in milliseconds. */
export interface TPageLatency {
  path: string;
  requests: number;
  p50: number;
  p99: number;
  /** Answers other than 2xx, and connection errors: a run with any is not a valid measurement. */
  failures: number;
}

/** A load on several pages at once, each with its own connections, until `stop()` (or `seconds`). */
export interface TLoad {
  stop(): void;
  done: Promise<TPageLatency[]>;
}

/**
 * Loads each page with `connections` connections at once (autocannon, as
 * fast as the server answers), signed in through `cookie`. Every page is
 * loaded at the same time, idle or during a backup alike, so the two
 * measurements are comparable.
 */
export function loadPages(options: { baseUrl: string; paths: string[]; connections: number; seconds: number; cookie: string }): TLoad {
  const runs = options.paths.map((path) => {
    let instance: autocannon.Instance | undefined;
    const done = new Promise<TPageLatency>((resolve, reject) => {
      // The callback form: it returns the instance, whose stop() ends the run early.
      instance = autocannon(
        {
          url: `${options.baseUrl}${path}`,
          connections: options.connections,
          duration: options.seconds,
          // A slow answer is a figure, not a failure: at scale 40 on a busy machine a page can take seconds.
          timeout: REQUEST_TIMEOUT_S,
          headers: { cookie: options.cookie },
        },
        (error, result) => {
          if (error) return reject(error);
          resolve({
            path,
            requests: result.requests.total,
            p50: result.latency.p50,
            p99: result.latency.p99,
            failures: result.non2xx + result.errors + result.timeouts,
          });
        },
      );
    });
    return { stop: () => instance?.stop(), done };
  });
  return {
    stop: () => {
      for (const run of runs) run.stop();
    },
    done: Promise.all(runs.map((run) => run.done)),
  };
}
