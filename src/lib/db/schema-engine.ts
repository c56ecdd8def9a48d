import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * Prisma's schema engine compiled to WebAssembly. The Prisma CLI's migrate
 * commands need a native binary that cannot be downloaded here; this engine
 * runs the same migration logic over our driver adapters, on PGlite and on
 * PostgreSQL alike.
 */
export type TSchemaEngine = glue.SchemaEngine;
export type TMigrationList = glue.MigrationList;

let instantiated: Promise<void> | undefined;

// Node 20 cannot `import` a .wasm file without a flag, so the glue's own
// loader is bypassed and the module is instantiated here.
function instantiateWasm(): Promise<void> {
  instantiated ??= (async () => {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ '@prisma/schema-engine-wasm'));
    const bytes = fs.readFileSync(path.join(packageDir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return instantiated;
}

export async function createSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
  log: (message: string) => void = () => {},
): Promise<TSchemaEngine> {
  await instantiateWasm();
  return glue.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

/** Reads `prisma/migrations` into the shape the engine expects. */
export function readMigrationList(migrationsDir: string): TMigrationList {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const directories = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file)
            ? { tag: 'ok' as const, value: fs.readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `${file} is missing` },
        },
      };
    }),
  };
}
