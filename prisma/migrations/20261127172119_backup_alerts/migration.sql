-- CreateTable
CREATE TABLE "BackupIncident" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "backupId" TEXT,
    "scheduleId" TEXT,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "count" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "BackupIncident_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BackupIncident_key_key" ON "BackupIncident"("key");

-- CreateIndex
CREATE INDEX "BackupIncident_resolvedAt_idx" ON "BackupIncident"("resolvedAt");
