-- AlterTable
ALTER TABLE "Backup" ADD COLUMN     "lastScrubAt" TIMESTAMP(3),
ADD COLUMN     "scrubProblem" TEXT,
ADD COLUMN     "scrubStatus" TEXT;
