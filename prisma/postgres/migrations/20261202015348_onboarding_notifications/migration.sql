-- AlterTable
ALTER TABLE "Onboarding" ADD COLUMN     "notificationEmails" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "notificationTopicArn" TEXT,
ADD COLUMN     "notifications" BOOLEAN NOT NULL DEFAULT false;

