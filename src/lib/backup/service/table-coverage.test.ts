import { describe, expect, it } from 'vitest';
import { tableCoverage } from './table-coverage';

const owned = ['School', 'Teacher', '_DepartmentTeachers', 'Backup', 'AuditLog'];

describe('verify: the tables in a file against the tables the schema owns', () => {
  it('passes a full backup holding every table the schema owns', () => {
    const file = { names: owned, partial: false, migration: 'm2' };
    expect(tableCoverage(file, owned, owned, 'm2')).toEqual({ ok: true, detail: '5 tables: every table the schema owns' });
  });

  it('fails a full backup made at the current migration that lacks a table, naming it', () => {
    const file = { names: ['School', 'Teacher', 'Backup', 'AuditLog'], partial: false, migration: 'm2' };
    const result = tableCoverage(file, file.names, owned, 'm2');
    expect(result.ok).toBe(false);
    expect(result.detail).toBe('tables the schema owns are not in the file: _DepartmentTeachers (a restore would empty them)');
  });

  it('says, without failing, which tables a backup from an older migration predates', () => {
    const file = { names: ['School', 'Backup', 'AuditLog'], partial: false, migration: 'm1' };
    const result = tableCoverage(file, file.names, owned, 'm2');
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(
      /made at migration m1 \(the database is now at m2\); not in it, so emptied by a restore: Teacher, _DepartmentTeachers/,
    );
  });

  it('holds a backup of chosen models to what its record lists, not to the whole schema', () => {
    expect(tableCoverage({ names: ['School'], partial: true, migration: 'm2' }, ['School'], owned, 'm2').ok).toBe(true);
    const lacking = tableCoverage({ names: ['School'], partial: true, migration: 'm2' }, ['School', 'Teacher'], owned, 'm2');
    expect(lacking).toEqual({ ok: false, detail: 'the file lacks tables its record lists: Teacher' });
  });
});
