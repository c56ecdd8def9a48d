#!/usr/bin/env node
// Package bin for `erp-backup`: runs the TypeScript CLI through tsx, with the
// `react-server` export condition so the service's `server-only` marker
// resolves to its no-op (the CLI is server code).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsx = createRequire(import.meta.url).resolve('tsx');
const result = spawnSync(
  process.execPath,
  ['--conditions=react-server', '--import', tsx, path.join(root, 'src/cli/erp-backup.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
