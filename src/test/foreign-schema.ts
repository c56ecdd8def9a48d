import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { TSchemaModel } from '@/lib/backup/schema/models';
import { schemaModelsOf } from '@/lib/backup/schema/prisma-models';
import { createMigration, type TSchemaPaths } from '@/lib/db/migrate';

/** A Prisma schema other than the ERP's, generated into its own client and migration by the test that uses it. */
export interface TForeignSchema {
  /** The composed schema file and its one migration (applied with `createTestDb(paths)`). */
  paths: TSchemaPaths;
  /** The PostgreSQL schemas its `datasource` lists (`schemas = [...]`), besides the current one. */
  namespaces: string[];
  /** The schema's models as the backup engine reads them, from the runtime data model of a client over `adapter`. */
  schemaModels(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<TSchemaModel[]>;
}

const ROOT = process.cwd();
const ERP_SCHEMA = path.join(ROOT, 'prisma/schema.prisma');
/** The backup module's own models: every database the engine backs up holds them. */
const HISTORY_BLOCKS = ['Backup', 'AuditLog'];

/**
 * Prepares the schema in `fixtureDir/schema.prisma` for a test: adds the
 * ERP's Backup and AuditLog models (and their enums) to it, generates its
 * client with `prisma generate` (offline) and its migration with the
 * WebAssembly schema engine, under `fixtureDir/.generated/<hash>` (ignored
 * by git). Both are reused while the fixture and the ERP schema are
 * unchanged; a new directory is built atomically otherwise, so test files
 * running in parallel never see a half-written one.
 */
export async function prepareForeignSchema(fixtureDir: string): Promise<TForeignSchema> {
  const composed = composeSchema(fs.readFileSync(path.join(fixtureDir, 'schema.prisma'), 'utf8'), fs.readFileSync(ERP_SCHEMA, 'utf8'));
  const hash = createHash('sha256').update(composed).digest('hex').slice(0, 16);
  const dir = path.join(fixtureDir, '.generated', hash);
  if (!fs.existsSync(path.join(dir, 'ready'))) await build(dir, composed);
  const paths = { schemaFile: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') };
  return {
    paths,
    namespaces: datasourceSchemas(composed),
    schemaModels: async (adapter) => {
      const { PrismaClient } = (await import(/* @vite-ignore */ path.join(dir, 'client', 'client.ts'))) as {
        PrismaClient: new (options: { adapter: SqlMigrationAwareDriverAdapterFactory }) => object;
      };
      return schemaModelsOf(new PrismaClient({ adapter }));
    },
  };
}

async function build(dir: string, composed: string): Promise<void> {
  const temp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(temp, { recursive: true });
  fs.writeFileSync(path.join(temp, 'schema.prisma'), composed);
  // The CLI wants a schema-engine binary it never runs for `generate` (see scripts/prisma-generate.mjs).
  const generated = spawnSync(path.join(ROOT, 'node_modules/.bin/prisma'), ['generate', '--schema', path.join(temp, 'schema.prisma')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: path.join(ROOT, 'scripts/prisma-generate.mjs'),
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  if (generated.status !== 0) throw new Error(`prisma generate failed for the foreign schema:\n${generated.stdout}${generated.stderr}`);
  const migration = await createMigration('foreign_schema', {
    schemaFile: path.join(temp, 'schema.prisma'),
    migrationsDir: path.join(temp, 'migrations'),
  });
  if (!migration) throw new Error('The foreign schema produced no migration');
  fs.writeFileSync(path.join(temp, 'ready'), '');
  try {
    fs.renameSync(temp, dir);
  } catch (error) {
    // Another test file built the same directory first; theirs is as good as ours.
    if (!fs.existsSync(path.join(dir, 'ready'))) throw error;
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** Top-level `model`/`enum` blocks of a schema file, by name (each ends at a `}` in column 0). */
function blocksOf(schema: string): Map<string, { kind: string; text: string }> {
  const blocks = new Map<string, { kind: string; text: string }>();
  for (const match of schema.matchAll(/^(model|enum) (\w+) \{\n[\s\S]*?^\}$/gm)) {
    blocks.set(match[2] as string, { kind: match[1] as string, text: match[0] });
  }
  return blocks;
}

/**
 * The fixture with the ERP's Backup and AuditLog models and the enums they
 * use appended, each put in the `public` schema when the fixture lists
 * several, and the generated client written next to the schema.
 */
function composeSchema(fixture: string, erpSchema: string): string {
  const erpBlocks = blocksOf(erpSchema);
  const enums = new Set([...erpBlocks.entries()].filter(([, block]) => block.kind === 'enum').map(([name]) => name));
  const needed = new Set(HISTORY_BLOCKS);
  for (const name of HISTORY_BLOCKS) {
    for (const line of erpBlocks.get(name)?.text.split('\n') ?? []) {
      const type = /^\s+\w+\s+(\w+)/.exec(line)?.[1];
      if (type && enums.has(type)) needed.add(type);
    }
  }
  const multiSchema = datasourceSchemas(fixture).length > 0;
  const appended = [...needed].map((name) => {
    const block = erpBlocks.get(name);
    if (!block) throw new Error(`prisma/schema.prisma has no block ${name}`);
    return multiSchema ? block.text.replace(/\n\}$/, '\n\n  @@schema("public")\n}') : block.text;
  });
  const withOutput = fixture.replace(/^(\s*output\s*=\s*)"[^"]*"/m, '$1"./client"');
  return `${withOutput}\n// Added by src/test/foreign-schema.ts from prisma/schema.prisma.\n\n${appended.join('\n\n')}\n`;
}

function datasourceSchemas(schema: string): string[] {
  const list = /datasource \w+ \{[\s\S]*?^\s*schemas\s*=\s*\[([^\]]*)\]/m.exec(schema)?.[1];
  return list ? [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1] as string) : [];
}
