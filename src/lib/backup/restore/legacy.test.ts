import { describe, expect, it } from 'vitest';
import type { TBackupModel } from '../schema/models';
import { legacyValueToText, matchLegacyTable } from './legacy';

const model = (name: string) => ({ name }) as TBackupModel;

describe('earlier-service (version 1) rows', () => {
  it('matches delegate names to models case-insensitively, plural or singular', () => {
    const models = [model('Student'), model('SchoolClass'), model('Staff'), model('Holiday'), model('Payment')];
    expect(matchLegacyTable('students', models)?.name).toBe('Student');
    expect(matchLegacyTable('schoolClasses', models)?.name).toBe('SchoolClass');
    expect(matchLegacyTable('staff', models)?.name).toBe('Staff');
    expect(matchLegacyTable('holidays', models)?.name).toBe('Holiday');
    expect(matchLegacyTable('STUDENT', models)?.name).toBe('Student');
    expect(matchLegacyTable('feePayments', models)).toBeUndefined();
  });

  it('turns JSON.stringify output into PostgreSQL text forms', () => {
    expect(legacyValueToText({ type: 'Buffer', data: [0, 255, 16] }, 'bytea')).toBe('\\x00ff10');
    expect(legacyValueToText(['a "q"', 'b\\c', null], 'text[]')).toBe('{"a \\"q\\"","b\\\\c",NULL}');
    expect(legacyValueToText({ a: [1, null] }, 'jsonb')).toBe('{"a":[1,null]}');
    expect(legacyValueToText('12.50', 'numeric(12,2)')).toBe('12.50');
    expect(legacyValueToText(true, 'boolean')).toBe('true');
    expect(legacyValueToText('2024-01-02T03:04:05.678Z', 'timestamp(3) without time zone')).toBe('2024-01-02T03:04:05.678Z');
    expect(legacyValueToText(null, 'text')).toBeNull();
  });

  it('reads null in a required Json column as JSON null, and as SQL NULL where the column allows it', () => {
    expect(legacyValueToText(null, 'jsonb', false)).toBe('null');
    expect(legacyValueToText(null, 'jsonb', true)).toBeNull();
    expect(legacyValueToText(null, 'text', false)).toBeNull();
  });
});
