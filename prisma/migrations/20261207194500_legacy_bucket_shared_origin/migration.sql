-- Data only. Naming v1 used one artifact bucket per tools account and region,
-- codepipeline-artifacts-<tools>-<region> (lib/names/derive.ts legacyArtifactBucketNameFor). The first onboarding
-- recorded it in the ledger as "created", so offboarding that onboarding with "Delete the artifact bucket" emptied
-- and deleted every team's artifacts. Such rows become "shared": an offboarding never deletes them
-- (lib/provisioning/ledger.ts SHARED_ORIGIN, lib/teardown/steps/bucket.ts). Per-onboarding buckets
-- (codepipeline-artifacts-<tools>-<region>-<8 hex>) do not match: the name must equal the v1 name exactly.
UPDATE "ProvisionedResource" SET "origin" = 'shared', "shared" = true
WHERE "kind" = 's3-bucket'
  AND "name" = 'codepipeline-artifacts-' || "accountId" || '-' || "region"
  AND "arn" LIKE 'arn:%:s3:::' || "name";
