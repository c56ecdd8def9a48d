import { describe, expect, it } from 'vitest';
import type { TCatalogTable } from './catalog';
import { resolveModels, type TSchemaModel } from './models';

function table(name: string, fks: [string[], string][], nullable: string[] = []): TCatalogTable {
  const fkColumns = fks.flatMap(([columns]) => columns);
  return {
    table: name,
    columns: [
      { name: 'id', sqlType: 'text', nullable: false, serial: false },
      ...fkColumns.map((c) => ({ name: c, sqlType: 'text', nullable: nullable.includes(c), serial: false })),
    ],
    primaryKey: ['id'],
    foreignKeys: fks.map(([columns, referencedTable]) => ({ columns, referencedTable })),
  };
}

const schema = (...names: string[]): TSchemaModel[] => names.map((name) => ({ name, table: name, fields: [] }));

describe('model dependency order', () => {
  it('puts every model after the models it references, keeping schema order otherwise', () => {
    const catalog = new Map([
      [
        'Grade',
        table('Grade', [
          [['studentId'], 'Student'],
          [['examId'], 'Exam'],
        ]),
      ],
      ['Student', table('Student', [[['schoolId'], 'School']])],
      ['Exam', table('Exam', [[['schoolId'], 'School']])],
      ['School', table('School', [])],
    ]);
    expect(resolveModels(schema('Grade', 'Student', 'Exam', 'School'), catalog).map((m) => m.name)).toEqual([
      'School',
      'Student',
      'Exam',
      'Grade',
    ]);
  });

  it('defers a self-relation so rows can be inserted in any order', () => {
    const catalog = new Map([['Staff', table('Staff', [[['managerId'], 'Staff']], ['managerId'])]]);
    const [staff] = resolveModels(schema('Staff'), catalog);
    expect(staff?.deferredColumns).toEqual(['managerId']);
    expect(staff?.dependsOn).toEqual([]);
  });

  it('breaks a cycle through a nullable foreign key and refuses one made only of required keys', () => {
    const cycle = new Map([
      ['A', table('A', [[['bId'], 'B']], ['bId'])],
      ['B', table('B', [[['aId'], 'A']])],
    ]);
    const ordered = resolveModels(schema('A', 'B'), cycle);
    expect(ordered.map((m) => m.name)).toEqual(['A', 'B']);
    expect(ordered[0]?.deferredColumns).toEqual(['bId']);
    const hard = new Map([
      ['A', table('A', [[['bId'], 'B']])],
      ['B', table('B', [[['aId'], 'A']])],
    ]);
    expect(() => resolveModels(schema('A', 'B'), hard)).toThrow(/reference each other through required foreign keys/);
  });

  it('leaves out the sign-in machinery (sessions, login throttle), even with no table for it', () => {
    const catalog = new Map([['School', table('School', [])]]);
    expect(resolveModels(schema('Session', 'School', 'LoginThrottle'), catalog).map((m) => m.name)).toEqual(['School']);
  });

  it('names a model whose table is missing', () => {
    expect(() => resolveModels(schema('Ghost'), new Map())).toThrow(/Model Ghost has no table.*db:migrate/);
  });
});
