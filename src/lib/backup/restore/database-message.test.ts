import { describe, expect, it } from 'vitest';
import { sentences } from '../errors/errors';
import { databaseMessage } from './database-message';

describe('databaseMessage', () => {
  it('takes the database’s sentence out of Prisma’s wrapping, without its closing stop', () => {
    const prismaError = new Error(
      'Invalid `prisma.$executeRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `23505`. Message: `duplicate key value violates unique constraint "School_code_key"`',
    );
    expect(databaseMessage(prismaError)).toBe('duplicate key value violates unique constraint "School_code_key"');
    expect(databaseMessage(new Error('Server has closed the connection.'))).toBe('Server has closed the connection');
  });

  it('so a message quoting it never reads "connection.. Nothing was changed."', () => {
    const message = sentences(`Restore failed: ${databaseMessage(new Error('Server has closed the connection.'))}`, 'Nothing was changed');
    expect(message).toBe('Restore failed: Server has closed the connection. Nothing was changed.');
  });
});
