#!/usr/bin/env node
// Package bin for `erp-backup`: runs the TypeScript CLI through tsx in a
// child Node (the project's Node 24 even when an older system Node started
// this file) with the backup process's memory settings (backup-process.mjs)
// and the `react-server` export condition, so the service's `server-only`
// marker resolves to its no-op (the CLI is server code).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupProcessEnv, backupProcessExecArgv, backupProcessNode } from './backup-process.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsx = createRequire(import.meta.url).resolve('tsx');
const result = spawnSync(
  backupProcessNode(root),
  [...backupProcessExecArgv(process.env), '--import', tsx, path.join(root, 'src/cli/erp-backup.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', env: backupProcessEnv(process.env) },
);
process.exit(result.status ?? 1);
