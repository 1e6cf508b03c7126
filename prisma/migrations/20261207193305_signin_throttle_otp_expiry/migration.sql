-- AlterTable
ALTER TABLE "User" ADD COLUMN "passwordExpiresAt" DATETIME;

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "lastFailAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SignInThrottle_lastFailAt_idx" ON "SignInThrottle"("lastFailAt");

