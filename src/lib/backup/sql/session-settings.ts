import type { TSql } from './sql';

/**
 * Session settings that make PostgreSQL's text forms fixed and exact, set
 * for the length of one transaction: ISO dates in UTC, shortest round-trip
 * floats (NaN, Infinity, -0 included), hex bytea.
 */
export async function applyCanonicalTextForms(sql: TSql): Promise<void> {
  await sql.execute(`SET LOCAL DateStyle = 'ISO, YMD'`);
  await sql.execute(`SET LOCAL TimeZone = 'UTC'`);
  await sql.execute(`SET LOCAL IntervalStyle = 'iso_8601'`);
  await sql.execute('SET LOCAL extra_float_digits = 1');
  await sql.execute(`SET LOCAL bytea_output = 'hex'`);
}
