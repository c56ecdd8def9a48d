-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "aggregationKey" TEXT,
ADD COLUMN     "count" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE UNIQUE INDEX "AuditLog_aggregationKey_key" ON "AuditLog"("aggregationKey");
