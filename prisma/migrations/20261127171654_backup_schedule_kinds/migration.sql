-- CreateEnum
CREATE TYPE "ScheduleKind" AS ENUM ('BACKUP', 'DRILL', 'SCRUB');

-- AlterTable
ALTER TABLE "BackupSchedule" ADD COLUMN     "kind" "ScheduleKind" NOT NULL DEFAULT 'BACKUP';
