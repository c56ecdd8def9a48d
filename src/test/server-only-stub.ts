// `server-only` throws when imported outside a React Server Components build;
// tests and the CLI run service code directly in Node, where it is safe.
export {};
