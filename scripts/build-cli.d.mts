/** Builds the compiled erp-backup CLI into dist/cli; resolves with the number of files it was built from (see build-cli.mjs). */
export function buildCli(): Promise<number>;
/** Builds it unless it is current; resolves with why it was built, or null (see build-cli.mjs). */
export function ensureCliBuilt(): Promise<string | null>;
