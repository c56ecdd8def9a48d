/** Builds the compiled erp-backup CLI into dist/cli; resolves with the number of files it was built from (see build-cli.mjs). */
export function buildCli(): Promise<number>;
/** Builds it unless it is current; resolves with why it was built, or null (see build-cli.mjs). */
export function ensureCliBuilt(): Promise<string | null>;
/** The esbuild options that compile the backup engine to run under plain Node (shared with the bench's child). */
export const ENGINE_BUNDLE_OPTIONS: import('esbuild').BuildOptions;
