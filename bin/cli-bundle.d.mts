/** The compiled CLI's entry, relative to the project directory (see cli-bundle.mjs). */
export const CLI_BUNDLE: string;
/** Its manifest: when it was built and from which files. */
export const CLI_MANIFEST: string;
/** The CLI's TypeScript entry point. */
export const CLI_SOURCE: string;
/** The compiled backup child process the web server forks, relative to the project directory. */
export const JOB_CHILD_BUNDLE: string;
/** Its TypeScript entry point. */
export const JOB_CHILD_SOURCE: string;
/** The compiled codec worker threads' entry, relative to the project directory. */
export const CODEC_WORKER_BUNDLE: string;
/** Its TypeScript entry point. */
export const CODEC_WORKER_SOURCE: string;
/** Every entry one build writes, relative to the project directory. */
export const BUNDLES: string[];
/** Why the compiled CLI in `root` cannot be run, or null when it is current. */
export function cliBundleStaleness(root: string): string | null;
