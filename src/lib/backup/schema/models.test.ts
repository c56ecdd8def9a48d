import { describe, expect, it } from 'vitest';
import { type TCatalog, type TCatalogTable, tableKey } from './catalog';
import { resolveModels, selectModels, type TSchemaModel } from './models';

type TColumn = TCatalogTable['columns'][number];
const column = (name: string, nullable = false): TColumn => ({ name, sqlType: 'text', nullable, serial: false });

function table(
  name: string,
  fks: [string[], string][],
  nullable: string[] = [],
  shape: Partial<Pick<TCatalogTable, 'schema' | 'columns' | 'primaryKey' | 'uniqueKeys'>> = {},
): TCatalogTable {
  const fkColumns = fks.flatMap(([columns]) => columns);
  return {
    schema: shape.schema ?? 'public',
    table: name,
    columns: shape.columns ?? [column('id'), ...fkColumns.map((c) => column(c, nullable.includes(c)))],
    primaryKey: shape.primaryKey ?? ['id'],
    uniqueKeys: shape.uniqueKeys ?? [],
    foreignKeys: fks.map(([columns, referenced]) => {
      const [schema, table] = referenced.includes('.') ? (referenced.split('.') as [string, string]) : ['public', referenced];
      return { columns, referenced: { schema, table }, referencedColumns: ['id'] };
    }),
  };
}

function catalog(...tables: TCatalogTable[]): TCatalog {
  return { currentSchema: 'public', tables: new Map(tables.map((t) => [tableKey(t), t])) };
}

const schema = (...names: string[]): TSchemaModel[] => names.map((name) => ({ name, table: name, fields: [] }));

/** `_<relation>` as Prisma creates it for an implicit many-to-many relation. */
const joinTable = (relation: string, a: string, b: string) =>
  table(
    `_${relation}`,
    [
      [['A'], a],
      [['B'], b],
    ],
    [],
    { columns: [column('A'), column('B')], primaryKey: ['A', 'B'] },
  );

describe('model dependency order', () => {
  it('puts every model after the models it references, keeping schema order otherwise', () => {
    const tables = catalog(
      table('Grade', [
        [['studentId'], 'Student'],
        [['examId'], 'Exam'],
      ]),
      table('Student', [[['schoolId'], 'School']]),
      table('Exam', [[['schoolId'], 'School']]),
      table('School', []),
    );
    expect(resolveModels(schema('Grade', 'Student', 'Exam', 'School'), tables).map((m) => m.name)).toEqual([
      'School',
      'Student',
      'Exam',
      'Grade',
    ]);
  });

  it('defers an optional self-relation so rows can be inserted in any order, never a required one (it cannot be NULL)', () => {
    const [staff] = resolveModels(schema('Staff'), catalog(table('Staff', [[['managerId'], 'Staff']], ['managerId'])));
    expect(staff?.deferredColumns).toEqual(['managerId']);
    expect(staff?.dependsOn).toEqual([]);
    const [node] = resolveModels(schema('Node'), catalog(table('Node', [[['rootId'], 'Node']])));
    expect(node?.deferredColumns).toEqual([]);
  });

  it('breaks a cycle through a nullable foreign key, and orders one made only of required keys as it comes', () => {
    const cycle = catalog(table('A', [[['bId'], 'B']], ['bId']), table('B', [[['aId'], 'A']]));
    const ordered = resolveModels(schema('A', 'B'), cycle);
    expect(ordered.map((m) => m.name)).toEqual(['A', 'B']);
    expect(ordered[0]?.deferredColumns).toEqual(['bId']);
    const hard = catalog(table('A', [[['bId'], 'B']]), table('B', [[['aId'], 'A']]));
    // The restore suspends foreign keys while it loads, so such a cycle (whose tables Prisma can only leave empty) still backs up.
    const hardOrder = resolveModels(schema('A', 'B'), hard);
    expect(hardOrder.map((m) => [m.name, m.deferredColumns])).toEqual([
      ['A', []],
      ['B', []],
    ]);
  });

  it('leaves out the sign-in machinery (sessions, login throttle) without calling their tables unplaced', () => {
    const tables = catalog(table('School', []), table('Session', []), table('LoginThrottle', []));
    expect(resolveModels(schema('Session', 'School', 'LoginThrottle'), tables).map((m) => m.name)).toEqual(['School']);
  });

  it('names a model whose table is missing', () => {
    expect(() => resolveModels(schema('Ghost'), catalog())).toThrow(/Model Ghost has no table "Ghost".*db:migrate/);
  });
});

describe('tables the schema owns', () => {
  it('places an implicit many-to-many table (`_<relation>`) after both of its models, and a self one after its model', () => {
    const models: TSchemaModel[] = [
      { name: 'Department', table: 'Department', fields: [], relations: ['DepartmentTeachers'] },
      { name: 'Teacher', table: 'Teacher', fields: [], relations: ['DepartmentTeachers', 'Mentors'] },
    ];
    const tables = catalog(
      joinTable('DepartmentTeachers', 'Department', 'Teacher'),
      joinTable('Mentors', 'Teacher', 'Teacher'),
      table('Department', []),
      table('Teacher', []),
    );
    const resolved = resolveModels(models, tables);
    expect(resolved.map((m) => [m.name, m.kind])).toEqual([
      ['Department', 'model'],
      ['Teacher', 'model'],
      ['_DepartmentTeachers', 'join'],
      ['_Mentors', 'join'],
    ]);
    expect(resolved[2]?.references).toEqual(['Department', 'Teacher']);
    expect(resolved[3]?.references).toEqual(['Teacher']);
    expect(resolved[3]?.deferredColumns).toEqual([]);
    expect(resolved[2]?.rowKey).toEqual(['A', 'B']);
  });

  it('refuses to leave out a table it cannot place, naming it, instead of backing up without it', () => {
    // The schema without relation names, as a client that cannot describe its implicit relations would give it.
    const tables = catalog(table('Department', []), table('Teacher', []), joinTable('DepartmentTeachers', 'Department', 'Teacher'));
    expect(() => resolveModels(schema('Department', 'Teacher'), tables)).toThrow(
      /table\(s\) the Prisma schema does not describe: "_DepartmentTeachers"\. A backup must hold every table, so none was made/,
    );
    const withLeftover = catalog(table('School', []), table('legacy_import', []), table('_prisma_migrations', []));
    expect(() => resolveModels(schema('School'), withLeftover)).toThrow(/"legacy_import"/);
    // Restores and checks touch only the schema's tables, so they may go on.
    expect(resolveModels(schema('School'), withLeftover, { ignoreUnplaced: true }).map((m) => m.name)).toEqual(['School']);
  });

  it('keys a model without a primary key by its smallest unique key of required columns', () => {
    const token = table('VerificationToken', [], [], {
      columns: [column('identifier'), column('token'), column('note', true), column('expires')],
      primaryKey: [],
      uniqueKeys: [['note'], ['token'], ['identifier', 'token']],
    });
    expect(resolveModels(schema('VerificationToken'), catalog(token))[0]?.rowKey).toEqual(['token']);
    const onlyNullable = table('Loose', [], [], { columns: [column('note', true)], primaryKey: [], uniqueKeys: [['note']] });
    expect(() => resolveModels(schema('Loose'), catalog(onlyNullable))).toThrow(
      /Model Loose has neither a primary key nor a unique key on required columns/,
    );
  });

  it('finds a model in another PostgreSQL schema (`@@schema`) and names it with its schema', () => {
    const models: TSchemaModel[] = [
      { name: 'School', table: 'School', fields: [] },
      { name: 'Archive', table: 'archived_school', schema: 'archive', fields: [] },
    ];
    const tables = catalog(table('archived_school', [[['schoolId'], 'School']], [], { schema: 'archive' }), table('School', []));
    const resolved = resolveModels(models, tables);
    expect(resolved.map((m) => [m.name, m.schema, m.table])).toEqual([
      ['School', 'public', 'School'],
      ['Archive', 'archive', 'archived_school'],
    ]);
    expect(() => resolveModels([{ name: 'Archive', table: 'archived_school', fields: [] }], tables)).toThrow(
      /Model Archive has no table "archived_school"/,
    );
  });

  it('a backup of chosen models also holds the many-to-many tables between them, and only those', () => {
    const models: TSchemaModel[] = [
      { name: 'Department', table: 'Department', fields: [], relations: ['DepartmentTeachers'] },
      { name: 'Teacher', table: 'Teacher', fields: [], relations: ['DepartmentTeachers'] },
    ];
    const all = resolveModels(
      models,
      catalog(table('Department', []), table('Teacher', []), joinTable('DepartmentTeachers', 'Department', 'Teacher')),
    );
    expect(selectModels(all, ['Teacher']).map((m) => m.name)).toEqual(['Teacher']);
    expect(selectModels(all, ['Teacher', 'Department']).map((m) => m.name)).toEqual(['Department', 'Teacher', '_DepartmentTeachers']);
    expect(selectModels(all, undefined)).toBe(all);
  });
});
