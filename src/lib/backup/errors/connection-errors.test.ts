import { describe, expect, it } from 'vitest';
import { isConnectionLost, retryOnLostConnection } from './connection-errors';

describe('isConnectionLost', () => {
  it.each([
    ['a server-ended session through the driver adapter', { message: 'x', cause: { kind: 'postgres', code: '57P01' } }],
    [
      'a raw query Prisma wrapped',
      { code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '57P01' } } } },
    ],
    ['a closed socket', new Error('Connection terminated unexpectedly')],
    ['a client that already lost its connection', new Error('Client has encountered a connection error and is not queryable')],
    ['the adapter kind', { cause: { kind: 'ConnectionClosed' } }],
    ['Prisma closed connection', { code: 'P1017', message: 'Server has closed the connection.' }],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['an idle-in-transaction timeout', { cause: { kind: 'postgres', code: '25P03' } }],
    ['SQLSTATE class 08', { cause: new Error('x', { cause: { code: '08006' } }) }],
  ])('recognises %s', (_name, error) => {
    expect(isConnectionLost(error)).toBe(true);
  });

  it.each([
    ['a unique violation', { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation' } } } }],
    ['a full disk', Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })],
    ['a statement timeout', { cause: { kind: 'postgres', code: '57014' } }],
    ['not an object', 'Connection'],
    ['null', null],
  ])('does not mistake %s for it', (_name, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });
});

describe('retryOnLostConnection', () => {
  it('tries again after a lost connection, up to the number of attempts', async () => {
    let calls = 0;
    const lost = new Error('Connection terminated unexpectedly');
    expect(
      await retryOnLostConnection(async () => {
        calls += 1;
        if (calls < 3) throw lost;
        return 'done';
      }),
    ).toBe('done');
    calls = 0;
    await expect(
      retryOnLostConnection(async () => {
        calls += 1;
        throw lost;
      }, 2),
    ).rejects.toBe(lost);
    expect(calls).toBe(2);
  });

  it('does not retry any other failure', async () => {
    let calls = 0;
    await expect(
      retryOnLostConnection(async () => {
        calls += 1;
        throw new Error('unique violation');
      }),
    ).rejects.toThrow('unique violation');
    expect(calls).toBe(1);
  });
});
