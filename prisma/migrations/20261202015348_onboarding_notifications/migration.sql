-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Onboarding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "toolsAccountId" TEXT NOT NULL,
    "repoAccountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "repositoryName" TEXT NOT NULL,
    "branchName" TEXT NOT NULL,
    "pipelineName" TEXT NOT NULL,
    "pipelineType" TEXT NOT NULL DEFAULT 'V2',
    "buildMode" TEXT NOT NULL,
    "buildProject" TEXT NOT NULL,
    "approval" BOOLEAN NOT NULL DEFAULT false,
    "notifications" BOOLEAN NOT NULL DEFAULT false,
    "notificationEmails" TEXT NOT NULL DEFAULT '[]',
    "notificationTopicArn" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "pipelineArn" TEXT,
    "pipelineRoleName" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Onboarding_toolsAccountId_fkey" FOREIGN KEY ("toolsAccountId") REFERENCES "AwsAccount" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Onboarding_repoAccountId_fkey" FOREIGN KEY ("repoAccountId") REFERENCES "AwsAccount" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Onboarding" ("approval", "branchName", "buildMode", "buildProject", "createdAt", "createdById", "id", "pipelineArn", "pipelineName", "pipelineRoleName", "pipelineType", "region", "repoAccountId", "repositoryName", "status", "toolsAccountId", "updatedAt") SELECT "approval", "branchName", "buildMode", "buildProject", "createdAt", "createdById", "id", "pipelineArn", "pipelineName", "pipelineRoleName", "pipelineType", "region", "repoAccountId", "repositoryName", "status", "toolsAccountId", "updatedAt" FROM "Onboarding";
DROP TABLE "Onboarding";
ALTER TABLE "new_Onboarding" RENAME TO "Onboarding";
CREATE UNIQUE INDEX "Onboarding_toolsAccountId_region_pipelineName_key" ON "Onboarding"("toolsAccountId", "region", "pipelineName");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

