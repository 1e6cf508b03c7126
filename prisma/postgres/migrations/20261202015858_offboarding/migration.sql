-- DropIndex
DROP INDEX "Onboarding_toolsAccountId_region_pipelineName_key";

-- AlterTable
ALTER TABLE "AwsAccount" ADD COLUMN     "removedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Onboarding" ADD COLUMN     "offboardRunId" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE UNIQUE INDEX "Onboarding_toolsAccountId_region_pipelineName_offboardRunId_key" ON "Onboarding"("toolsAccountId", "region", "pipelineName", "offboardRunId");

