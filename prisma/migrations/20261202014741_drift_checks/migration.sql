-- CreateTable
CREATE TABLE "DriftCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "onboardingId" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL,
    "items" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT,
    "trigger" TEXT NOT NULL,
    "actorEmail" TEXT,
    "latest" BOOLEAN NOT NULL DEFAULT true
);

-- CreateTable
CREATE TABLE "DriftAccountLease" (
    "accountId" TEXT NOT NULL PRIMARY KEY,
    "claimedBy" TEXT,
    "leaseUntil" DATETIME,
    "lastFinishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "DriftCheck_onboardingId_checkedAt_idx" ON "DriftCheck"("onboardingId", "checkedAt");

-- CreateIndex
CREATE INDEX "DriftCheck_latest_onboardingId_idx" ON "DriftCheck"("latest", "onboardingId");

