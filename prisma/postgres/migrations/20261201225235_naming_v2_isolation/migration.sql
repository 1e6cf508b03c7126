-- AlterTable
ALTER TABLE "AwsAccount" ADD COLUMN     "organizationId" TEXT;

-- AlterTable
ALTER TABLE "Onboarding" ADD COLUMN     "pipelineRoleName" TEXT;


-- Onboardings provisioned before role names carried the region keep their pipeline's service role:
-- CodePipeline cannot change it. Their other roles move to the new names through their next plan.
UPDATE "Onboarding" SET "pipelineRoleName" = (
  SELECT "name" FROM "ProvisionedResource"
  WHERE "ProvisionedResource"."onboardingId" = "Onboarding"."id"
    AND "ProvisionedResource"."kind" = 'iam-role'
    AND "ProvisionedResource"."name" LIKE '%-pipeline-role'
  LIMIT 1
);
