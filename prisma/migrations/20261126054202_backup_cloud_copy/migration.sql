-- AlterTable
ALTER TABLE "Backup" ADD COLUMN     "objectKey" TEXT,
ADD COLUMN     "uploadError" TEXT;
