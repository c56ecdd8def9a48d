import { describe, expect, it } from 'vitest';
import { BackupError } from '../errors/errors';
import { toResult } from './result';

describe('service results', () => {
  const quiet = () => {};

  it('passes data through', async () => {
    expect(await toResult(async () => 42, quiet)).toEqual({ success: true, data: 42 });
  });

  it('keeps a BackupError message and code, which are written for users', async () => {
    const result = await toResult(async () => {
      throw new BackupError('BUSY', 'a backup or restore is already running');
    }, quiet);
    expect(result).toEqual({ success: false, error: 'a backup or restore is already running', code: 'BUSY' });
  });

  it('hides anything else behind a generic message and logs it', async () => {
    const logged: string[] = [];
    const result = await toResult(
      async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
      },
      (line) => logged.push(line),
    );
    expect(result).toEqual({
      success: false,
      error: 'The backup operation failed unexpectedly; the server log has the details',
      code: 'INTERNAL',
    });
    expect(logged[0]).toContain('ECONNREFUSED');
  });

  it('tells the operator to migrate when the database lacks a table or column', async () => {
    const result = await toResult(async () => {
      throw Object.assign(new Error('The column `(not available)` does not exist'), { code: 'P2022' });
    }, quiet);
    expect(result).toMatchObject({
      success: false,
      error: 'The database schema is older than this version of the ERP: run `npm run db:migrate` first',
    });
  });
});
