import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db/adapter';
import { createDb } from '@/lib/db/client';
import { openFaultInjector, settlesWithin, type TFaultInjector } from '@/test/pg-faults';
import { createTestDb, type TTestDb, testEngine } from '@/test/test-db';
import { acquireOperationLock } from './operation-lock';

describe('the operation lock', () => {
  let db: TTestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.close());

  it('is taken once at a time, names its owner, and is free again once released', async () => {
    const lock = await acquireOperationLock(db.database);
    try {
      expect(lock.owner).toContain(`host=${os.hostname()} pid=${process.pid}`);
      await expect(acquireOperationLock(db.database)).rejects.toThrow('a backup or restore is already running');
      expect(lock.lost).toBe(false);
      await lock.assertHeld('the test');
      // A row written by no one, or by an earlier version that recorded no owner, has no live owner.
      expect(await lock.ownerAlive(null)).toBe(false);
    } finally {
      await lock.release();
    }
    await (await acquireOperationLock(db.database)).release();
  });

  // Registered on PostgreSQL only, not skipped elsewhere: on the embedded
  // database the lock is the in-process flag above, with no session to lose.
  if (testEngine() === 'postgres') {
    describe('on PostgreSQL', () => {
      let injector: TFaultInjector;
      beforeAll(async () => {
        injector = await openFaultInjector((db.target as { url: string }).url);
      });
      afterAll(() => injector.close());

      it('is held by a session of its own that is never inside a transaction, and excludes other connection pools', async () => {
        const other = await createDb(db.target);
        const lock = await acquireOperationLock(db.database);
        try {
          const session = await injector.waitForSession((s) => s.applicationName === 'erp-backup:lock');
          // 'idle', not 'idle in transaction': no transaction timeout can end it.
          expect(session.state).toBe('idle');
          expect(lock.owner).toMatch(new RegExp(`lock-session=${session.pid}@[\\d.]+$`));
          await expect(acquireOperationLock(other.database)).rejects.toThrow('a backup or restore is already running');
        } finally {
          await lock.release();
          await other.close();
        }
        await injector.waitUntil((sessions) => !sessions.some((s) => s.applicationName === 'erp-backup:lock'));
      });

      it('tells a live owner from a gone one by its lock session', async () => {
        const first = await acquireOperationLock(db.database);
        expect(await first.ownerAlive(first.owner)).toBe(true);
        await first.release();
        const second = await acquireOperationLock(db.database);
        try {
          expect(await second.ownerAlive(first.owner)).toBe(false);
          expect(await second.ownerAlive('host=elsewhere pid=1 lock-session=1@1.5')).toBe(false);
          expect(await second.ownerAlive('garbage')).toBe(false);
        } finally {
          await second.release();
        }
      });

      it('notices at once when its session is terminated, and refuses every later step', async () => {
        const lock = await acquireOperationLock(db.database);
        expect(await injector.terminate('erp-backup:lock')).toBe(1);
        await expect(lock.assertHeld('renaming the file')).rejects.toMatchObject({
          code: 'LOCK_LOST',
          message:
            'The operation lock was lost (its database session ended: the server restarted, failed over or terminated it). The operation stopped before renaming the file so that it cannot overlap another backup or restore, and nothing was changed. Try again.',
        });
        expect(lock.lost).toBe(true);
        expect(() => lock.check('the next page')).toThrow(/stopped before the next page/);
        await settlesWithin(lock.release(), 10_000);
        await (await acquireOperationLock(db.database)).release();
      });

      it('a database that cannot be reached: a clear error at once, not a wait', async () => {
        const unreachable = await openDatabase({ kind: 'postgres', url: 'postgresql://postgres@127.0.0.1:1/nowhere' });
        await expect(settlesWithin(acquireOperationLock(unreachable), 20_000)).rejects.toMatchObject({
          code: 'DATABASE_UNAVAILABLE',
          message: 'Could not take the backup lock: the database cannot be reached. Try again once the database is reachable.',
        });
      });
    });
  }
});
