-- CreateEnum
CREATE TYPE "BackupKind" AS ENUM ('FULL', 'INCREMENTAL');

-- AlterTable
ALTER TABLE "Backup" ADD COLUMN     "chunksNew" INTEGER,
ADD COLUMN     "chunksReused" INTEGER,
ADD COLUMN     "kind" "BackupKind" NOT NULL DEFAULT 'FULL',
ADD COLUMN     "logicalBytes" BIGINT,
ADD COLUMN     "storedBytes" BIGINT;

-- AlterTable
ALTER TABLE "BackupSchedule" ADD COLUMN     "backupKind" "BackupKind" NOT NULL DEFAULT 'FULL';

-- CreateTable
CREATE TABLE "BackupChunk" (
    "id" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "storedBytes" INTEGER NOT NULL,
    "plainBytes" INTEGER NOT NULL,
    "storedLocally" BOOLEAN NOT NULL DEFAULT false,
    "storedOffsite" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BackupChunk_pkey" PRIMARY KEY ("id")
);
