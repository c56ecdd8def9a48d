/**
 * These packages load WebAssembly or native drivers from their own files on
 * disk at run time. Bundled into the server build they lose those paths
 * (PGlite's wasm load fails with ERR_INVALID_ARG_TYPE), so Node's `require`
 * loads them from node_modules instead.
 */
const serverExternalPackages = ['@electric-sql/pglite', 'pglite-prisma-adapter', '@prisma/schema-engine-wasm', '@prisma/adapter-pg', 'pg'];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages,
  // forbidden() answers refused pages with a real 403 (app/forbidden.tsx).
  experimental: { authInterrupts: true },
};

export default nextConfig;
