-- AlterTable
ALTER TABLE "Backup" ADD COLUMN     "owner" TEXT;
