import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TCurrentUser } from '@/lib/auth/current-user';
import { S3RVER_CREDENTIALS, startS3rver, type TS3rverHarness } from '@/lib/backup/storage/testing/s3rver-harness';
import { getDb } from '@/lib/db/client';
import { createBackup } from '@/lib/utils/backup-service';
import { openAppTestEnvironment, type TAppTestEnvironment } from '@/test/app-environment';
import { insertEdgeValues } from '@/test/edge-values';

// Next's request scope (cookies, headers) does not exist outside a Next
// server, so the session and request seams are replaced, as in
// backupActions.integration.test.ts; the service, database, files and S3
// server behind the route are real.
const session = vi.hoisted(() => ({ user: null as TCurrentUser | null }));
vi.mock('@/lib/auth/current-user', () => ({ getCurrentUser: async () => session.user }));
vi.mock('@/lib/auth/request-context', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/auth/request-context')>()),
  getRequestContext: async () => ({ ipAddress: '203.0.113.7', userAgent: 'vitest' }),
}));

const { GET } = await import('./route');

const admin: TCurrentUser = {
  id: 'user_admin',
  email: 'admin@demo.school',
  name: 'Admin',
  role: 'SUPER_ADMIN',
  schoolId: null,
  isActive: true,
};
const download = (id: string) => GET(new Request(`http://localhost/admin/backups/${id}/download`), { params: Promise.resolve({ id }) });

describe('GET /admin/backups/<id>/download answers by what went wrong', () => {
  let app: TAppTestEnvironment;
  let s3: TS3rverHarness;

  beforeAll(async () => {
    app = await openAppTestEnvironment('erp-download-');
    await insertEdgeValues((await getDb()).prisma);
    s3 = await startS3rver();
    session.user = admin;
  });

  afterAll(async () => {
    await app.close();
    await s3?.dispose();
  });

  const completed = async () => {
    const created = await createBackup();
    if (!created.success) throw new Error(created.error);
    return created.data;
  };

  it('200 with the encrypted file for a completed backup', async () => {
    const backup = await completed();
    const response = await download(backup.id);
    expect(response.status).toBe(200);
    // The browser shows download progress only with the length announced up front.
    expect(response.headers.get('content-length')).toBe(String(backup.sizeBytes));
    expect(Buffer.from(await response.arrayBuffer()).length).toBe(backup.sizeBytes);
  });

  it('404 for a backup that does not exist, or whose file is gone', async () => {
    expect((await download('cmwx3gdpg0000547dvc7iix2z')).status).toBe(404);
    const backup = await completed();
    fs.rmSync(path.join(process.env.BACKUP_DIR as string, backup.filename));
    const response = await download(backup.id);
    expect([response.status, await response.text()]).toEqual([404, 'Backup file not found on disk']);
  });

  it('409 for a backup that is not COMPLETED', async () => {
    const { prisma } = await getDb();
    const failed = await prisma.backup.create({
      data: { filename: 'backup-20260101T000000Z-0badf00d.enc', type: 'MANUAL', status: 'FAILED', models: [] },
    });
    const response = await download(failed.id);
    expect([response.status, await response.text()]).toEqual([
      409,
      `Backup ${failed.id} is FAILED; only COMPLETED backups can be downloaded`,
    ]);
  });

  it('503 when the only copy is off-site and the storage cannot be reached', async () => {
    Object.assign(process.env, {
      BACKUP_STORAGE: 'both',
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    });
    try {
      const backup = await completed();
      expect(backup.location).toBe('BOTH');
      fs.rmSync(path.join(process.env.BACKUP_DIR as string, backup.filename));
      await s3.stop();
      const response = await download(backup.id);
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(/^Could not read the off-site copy: Could not reach S3/);
    } finally {
      for (const name of ['BACKUP_STORAGE', 'S3_BUCKET', 'S3_ENDPOINT', 'S3_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
        delete process.env[name];
    }
  });

  it('500 when the server itself fails (here: the audit log table is missing)', async () => {
    const backup = await completed();
    const { prisma } = await getDb();
    await prisma.$executeRawUnsafe('ALTER TABLE "AuditLog" RENAME TO "AuditLogAway"');
    try {
      const response = await download(backup.id);
      expect(response.status).toBe(500);
      expect(await response.text()).toMatch(/run `npm run db:migrate`/);
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE "AuditLogAway" RENAME TO "AuditLog"');
    }
  });
});
