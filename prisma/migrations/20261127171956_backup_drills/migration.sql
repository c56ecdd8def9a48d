-- AlterTable
ALTER TABLE "Backup" ADD COLUMN     "lastDrillAt" TIMESTAMP(3),
ADD COLUMN     "lastDrillError" TEXT,
ADD COLUMN     "lastDrillStatus" TEXT,
ADD COLUMN     "modelDigests" JSONB;
