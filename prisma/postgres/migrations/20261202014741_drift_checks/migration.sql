-- CreateTable
CREATE TABLE "DriftCheck" (
    "id" TEXT NOT NULL,
    "onboardingId" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL,
    "items" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT,
    "trigger" TEXT NOT NULL,
    "actorEmail" TEXT,
    "latest" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "DriftCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DriftAccountLease" (
    "accountId" TEXT NOT NULL,
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),

    CONSTRAINT "DriftAccountLease_pkey" PRIMARY KEY ("accountId")
);

-- CreateIndex
CREATE INDEX "DriftCheck_onboardingId_checkedAt_idx" ON "DriftCheck"("onboardingId", "checkedAt");

-- CreateIndex
CREATE INDEX "DriftCheck_latest_onboardingId_idx" ON "DriftCheck"("latest", "onboardingId");

