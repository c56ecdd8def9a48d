import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rules of `biome.json` (see the README's "Code layout") really
 * ban what they say: each forbidden import, in its `@/` and its relative
 * form, is written into a probe file in its layer's folder and linted with
 * the project's own configuration; each must fail with noRestrictedImports,
 * and each allowed import must pass. The probes live in a scratch copy of
 * the folder tree (the real `biome.json`, read fresh), never in `src/`.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIOME = path.join(ROOT, 'node_modules/.bin/biome');

/** Imports from `src/lib/backup/<layer>/probe.ts` that must fail. */
const DATABASE = [
  '@/generated/prisma/client',
  '../../../generated/prisma/client',
  '@prisma/client',
  '@prisma/driver-adapter-utils',
  '@/lib/db/client',
  '../../db/client',
  '@/lib/backup/sql/sql',
  '../sql/sql',
  'pg',
  '@electric-sql/pglite',
];
const NEXT = ['next', 'next/server', 'next/cache'];
const APP = ['@/app/admin/backups/page', '../../../app/admin/backups/page', '@/lib/actions/backupActions', '../../actions/backupActions'];
const ENV = ['@/lib/env', '../../env'];
const SERVICE = [
  '@/lib/backup/service',
  '@/lib/backup/service/deps',
  '../service',
  '../service/deps',
  '@/lib/utils/backup-service',
  '../../utils/backup-service',
];
const RUNTIME = ['@/lib/backup/runtime/runtime', '../runtime/runtime', '../runtime/config'];
const API = ['@/lib/backup/api/inputs', '../api/inputs'];
const AUTH = ['@/lib/auth/session', '../../auth/session', '@/lib/audit/audit-log', '../../audit/audit-log'];

const PURE = [...NEXT, ...APP, ...ENV, ...DATABASE, ...SERVICE, ...RUNTIME, ...API, ...AUTH];
const DATA = [...NEXT, ...APP, ...ENV, ...SERVICE, ...RUNTIME, ...API, ...AUTH];

const FORBIDDEN: Record<string, string[]> = {
  crypto: [...PURE, '../format/document', '@/lib/backup/format/document', '../storage', '../storage/file-names'],
  format: PURE,
  storage: PURE,
  errors: PURE,
  process: PURE,
  schedule: PURE,
  // The service drives snapshots (create, restore, gc); snapshot/ never calls it or the scheduler back.
  snapshot: [...PURE, '../scheduling/run-due', '@/lib/backup/scheduling/run-due'],
  sql: DATA,
  schema: DATA,
  export: DATA,
  restore: DATA,
  lock: DATA,
  drill: DATA,
  api: [...NEXT, ...APP, ...ENV, ...SERVICE, ...RUNTIME],
  service: [...NEXT, ...APP, ...ENV, ...RUNTIME],
  scheduling: [...NEXT, ...APP, ...ENV, ...RUNTIME],
  runtime: [...NEXT, ...APP],
  // Incidents live in the database and deliveries are audited, so alerts/ may use both; it is called by the service, never calls it.
  alerts: [...NEXT, ...APP, ...ENV, ...SERVICE, ...RUNTIME, ...API, '../scheduling/run-due', '@/lib/backup/scheduling/run-due'],
  // A folder with no rule of its own still gets the engine-wide bans.
  'some-new-folder': [...NEXT, ...APP, ...ENV],
};

/** Imports the layering allows, which must pass (so the bans are not simply "everything"). */
const ALLOWED: Record<string, string[]> = {
  crypto: ['../errors/errors', 'node:crypto'],
  format: ['../crypto/keys', '@/lib/backup/errors/errors', '@/lib/async/mark-handled', 'zod'],
  storage: ['../process/log', '../errors/errors', '@aws-sdk/client-s3'],
  snapshot: [
    '../errors/errors',
    '../crypto/keys',
    '../format/document',
    '../storage',
    '@/lib/backup/storage/file-names',
    '../process/log',
    'node:crypto',
  ],
  export: ['../sql/sql', '@/lib/backup/schema/models', '../format/document'],
  restore: ['../sql/session-settings', '../format/document'],
  lock: ['pg', '@/lib/db/client'],
  drill: ['../export/read-snapshot', '@/lib/db/adapter', '@/lib/db/migrate', 'pg'],
  api: ['@/generated/prisma/enums', '../process/log', '../errors/errors'],
  service: ['@/lib/db/client', '@/generated/prisma/client', '../storage', '../api/inputs', '@/lib/audit/audit-log'],
  scheduling: ['../service/exclusive', '../schedule/slots', '@/lib/audit/audit-log', '@/generated/prisma/client'],
  runtime: ['@/lib/env', '../service', '@/lib/db/client'],
  alerts: ['@/generated/prisma/client', '@/lib/audit/audit-log', 'nodemailer', '../errors/errors'],
};

interface TProbe {
  file: string;
  layer: string;
  specifier: string;
}

interface TDiagnostic {
  category?: string;
  location?: { path?: string };
}

let found: Map<string, string[]>;
const forbidden: TProbe[] = [];
const allowed: TProbe[] = [];
let scratch: string;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
  // The scratch tree is no git repository; the rules under test are untouched.
  delete config.vcs;
  delete config.$schema;
  fs.writeFileSync(path.join(scratch, 'biome.json'), JSON.stringify(config));
  const write = (list: TProbe[], kind: string, layer: string, specifier: string) => {
    const file = `src/lib/backup/${layer}/${kind}-${list.length}.ts`;
    fs.mkdirSync(path.join(scratch, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(scratch, file), `import * as probe from '${specifier}';\n\nexport const used = probe;\n`);
    list.push({ file, layer, specifier });
  };
  for (const [layer, specifiers] of Object.entries(FORBIDDEN))
    for (const specifier of specifiers) write(forbidden, 'forbidden', layer, specifier);
  for (const [layer, specifiers] of Object.entries(ALLOWED))
    for (const specifier of specifiers) write(allowed, 'allowed', layer, specifier);
  const { stdout } = await promisify(execFile)(BIOME, ['lint', '--reporter=json', '--max-diagnostics=none', 'src'], { cwd: scratch }).catch(
    // Biome exits 1 when it finds errors, which is what most probes are for.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const report = JSON.parse(stdout) as { diagnostics: TDiagnostic[] };
  found = new Map();
  for (const diagnostic of report.diagnostics) {
    const file = diagnostic.location?.path ?? '';
    found.set(file, [...(found.get(file) ?? []), diagnostic.category ?? '']);
  }
}, 60_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the layer rules in biome.json', () => {
  it('ban every forbidden import, in its @/ and its relative form', () => {
    const missed = forbidden.filter((probe) => !found.get(probe.file)?.includes('lint/style/noRestrictedImports'));
    expect(missed.map((probe) => `${probe.layer}/ may import ${probe.specifier}`)).toEqual([]);
    expect(forbidden.length).toBeGreaterThan(200);
  });

  it('let the imports the layering allows through', () => {
    const refused = allowed.filter((probe) => found.get(probe.file)?.includes('lint/style/noRestrictedImports'));
    expect(refused.map((probe) => `${probe.layer}/ may not import ${probe.specifier}`)).toEqual([]);
  });
});
