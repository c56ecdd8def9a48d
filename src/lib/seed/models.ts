import { Prisma, type PrismaClient } from '@/generated/prisma/client';

/** Models the backup module owns; the seed neither fills nor deletes them. */
const BACKUP_MODELS: readonly Prisma.ModelName[] = [
  'Backup',
  'AuditLog',
  'BackupSchedule',
  'BackupScheduleRun',
  'BackupIncident',
  'BackupChunk',
];
/** Sign-in state (sessions, throttle counters): not ERP data either; sessions of replaced users just stop working. */
const SIGN_IN_MODELS: readonly Prisma.ModelName[] = ['Session', 'LoginThrottle'];

/** Every model holding ERP data, in schema order: what the seed fills and `--reset` empties. */
export const SEEDED_MODELS: readonly Prisma.ModelName[] = Object.values(Prisma.ModelName).filter(
  (model) => !BACKUP_MODELS.includes(model) && !SIGN_IN_MODELS.includes(model),
);

/** True when the database holds at least one school. */
export async function isDatabaseSeeded(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.school.findFirst({ select: { id: true } })) !== null;
}

/**
 * Deletes all ERP data in one statement, keeping backups and the audit log.
 * Identities restart, so a new seed gets the same autoincrement ids as a seed
 * into a fresh database.
 */
export async function deleteErpData(prisma: PrismaClient): Promise<void> {
  const tables = SEEDED_MODELS.map((model) => `"${model}"`).join(', ');
  await prisma.$executeRawUnsafe(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
}
