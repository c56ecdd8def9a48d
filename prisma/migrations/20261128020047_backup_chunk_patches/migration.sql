-- AlterTable
ALTER TABLE "BackupChunk" ADD COLUMN     "parentId" TEXT;
