-- AlterTable
ALTER TABLE "Onboarding" ALTER COLUMN "pipelineType" SET DEFAULT 'V2';

