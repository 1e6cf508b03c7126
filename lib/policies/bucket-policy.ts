/**
 * Bucket policy of ONE onboarding's artifact bucket. Each onboarding has its own bucket, so the policy has a
 * fixed size whatever the number of pipelines, and no other onboarding's role is ever named in it.
 * - Guards: encryption, transport, the artifact key only, TLS ≥ 1.2.
 * - Isolation: every other portal-created role (any account, path /portal/) is denied, whatever its own policy says;
 *   and so is every other principal of the tools account (another team's roles, the platform's deploy role, users),
 *   except this onboarding's roles, its existing project's service role and the account's administrators: the
 *   account root and the portal's provisioning role (which configures the bucket, verifies it and empties it when
 *   an offboarding deletes it).
 * - The repo account's cross-account role (ADF's pattern: the account root with `ArnEquals aws:PrincipalArn`, which
 *   survives the role being recreated) may read/write artifacts and list the bucket (without ListBucket the
 *   CodeCommit action reports S3 access denied; without PutObjectAcl cross-account uploads fail, CDK issue 14156).
 * - An existing CodeBuild project's service role (not the portal's, so its identity policy is not ours to edit)
 *   is named directly: in its own account a bucket policy alone suffices.
 */
import type { ResourceNames } from "@/lib/names/derive";
import { ROLE_PATH } from "@/lib/names/derive";
import { CROSS_ACCOUNT_OBJECT_ACTIONS, policy } from "./common";
import { mergeStatements } from "./merge";
import { DEFAULT_PROVISIONING_ROLE_NAME } from "./provisioning-role-names";
import { withoutStalePrincipals } from "./principals";
import type { ArtifactStore, OnboardingSpec, PolicyDocument, Statement } from "./types";

export const BUCKET_BASE_SIDS = {
  denyUnencrypted: "PortalDenyUnencryptedObjectUploads",
  denyInsecureTransport: "PortalDenyInsecureTransport",
  denyOtherKmsKey: "PortalDenyOtherKmsKey",
  denyOldTls: "PortalDenyTlsBelow12",
} as const;

export function bucketArn(bucketName: string, partition = "aws"): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

export function bucketPolicyBaseStatements(store: ArtifactStore, partition = "aws"): Statement[] {
  const bucket = bucketArn(store.bucketName, partition);
  const objects = `${bucket}/*`;
  return [
    {
      Sid: BUCKET_BASE_SIDS.denyUnencrypted,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
    },
    {
      Sid: BUCKET_BASE_SIDS.denyInsecureTransport,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucket, objects],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      // Only when a key id header is present: an absent SSE header is already denied above.
      Sid: BUCKET_BASE_SIDS.denyOtherKmsKey,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": store.keyArn },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      },
    },
    {
      Sid: BUCKET_BASE_SIDS.denyOldTls,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucket, objects],
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ];
}

/** The roles of this onboarding that use its artifacts (the existing project's role is not the portal's). */
export function artifactRoleArns(names: ResourceNames): string[] {
  return [names.roles.pipeline.arn, ...(names.roles.codeBuild ? [names.roles.codeBuild.arn] : []), names.roles.crossAccount.arn];
}

/** The tools account's administrators, never denied by the bucket: its root and the portal's provisioning role. */
export function toolsAdministratorArns(names: ResourceNames, provisioningRoleArn?: string): string[] {
  const p = names.partition;
  return [
    `arn:${p}:iam::${names.toolsAccountId}:root`,
    provisioningRoleArn ?? `arn:${p}:iam::${names.toolsAccountId}:role/${DEFAULT_PROVISIONING_ROLE_NAME}`,
  ];
}

/** Statements for one onboarding's own bucket. `existingBuildRoleArn`: the service role of an existing project. */
export function bucketPolicyStatementsFor(
  names: ResourceNames,
  store: ArtifactStore,
  existingBuildRoleArn?: string,
  provisioningRoleArn?: string,
): Statement[] {
  const p = names.partition;
  const bucket = bucketArn(store.bucketName, p);
  const objects = `${bucket}/*`;
  const sourceRole = { ArnEquals: { "aws:PrincipalArn": names.roles.crossAccount.arn } };
  const repoRoot = { AWS: `arn:${p}:iam::${names.repoAccountId}:root` };
  return [
    {
      Sid: names.sids.bucketDenyOtherPortalRoles,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucket, objects],
      Condition: {
        ArnLike: { "aws:PrincipalArn": `arn:${p}:iam::*:role${ROLE_PATH}*` },
        ArnNotEquals: { "aws:PrincipalArn": artifactRoleArns(names) },
      },
    },
    {
      Sid: names.sids.bucketDenyOtherToolsPrincipals,
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucket, objects],
      Condition: {
        StringEquals: { "aws:PrincipalAccount": names.toolsAccountId },
        ArnNotEquals: {
          "aws:PrincipalArn": [
            ...artifactRoleArns(names),
            ...(existingBuildRoleArn ? [existingBuildRoleArn] : []),
            ...toolsAdministratorArns(names, provisioningRoleArn),
          ],
        },
      },
    },
    {
      Sid: names.sids.bucketSourceRoleObjects,
      Effect: "Allow",
      Principal: repoRoot,
      Action: [...CROSS_ACCOUNT_OBJECT_ACTIONS],
      Resource: objects,
      Condition: sourceRole,
    },
    {
      Sid: names.sids.bucketSourceRoleList,
      Effect: "Allow",
      Principal: repoRoot,
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: sourceRole,
    },
    ...(existingBuildRoleArn
      ? [
          {
            Sid: names.sids.bucketExistingBuildRoleObjects,
            Effect: "Allow" as const,
            Principal: { AWS: existingBuildRoleArn },
            Action: ["s3:GetObject*", "s3:PutObject"],
            Resource: objects,
          },
        ]
      : []),
  ];
}

/** Every Sid the portal may own in an onboarding bucket's policy (the existing-project grant comes and goes). */
function portalSidsOf(names: ResourceNames): string[] {
  return [names.sids.bucketExistingBuildRoleObjects];
}

/** Desired bucket policy: `current` (GetBucketPolicy; undefined on NoSuchBucketPolicy) merged with this onboarding's statements. */
export function bucketPolicyFor(
  current: PolicyDocument | undefined,
  spec: OnboardingSpec,
  names: ResourceNames,
  store: ArtifactStore,
  existingBuildRoleArn?: string,
): PolicyDocument {
  return mergeStatements(
    withoutStalePrincipals(current),
    [
      ...bucketPolicyBaseStatements(store, names.partition),
      ...bucketPolicyStatementsFor(names, store, existingBuildRoleArn, spec.toolsProvisioningRoleArn),
    ],
    portalSidsOf(names),
  );
}

/** The naming-v1 shared bucket's policy without this onboarding's grants (other onboardings' and foreign statements kept). */
export function legacyBucketPolicyWithout(current: PolicyDocument | undefined, names: ResourceNames): PolicyDocument {
  return mergeStatements(withoutStalePrincipals(current), [], [names.legacySids.bucketRepoObjects, names.legacySids.bucketRepoList]);
}

/** Bucket policy for a freshly created bucket: the guards only. */
export function initialBucketPolicy(store: ArtifactStore, partition = "aws"): PolicyDocument {
  return policy(...bucketPolicyBaseStatements(store, partition));
}

/** Bucket settings docs/aws-domain.md#the-artifact-bucket requires, as SDK inputs (CreateBucket, ownership, public access, SSE-KMS, versioning, tags). */
export function bucketSettingsInputs(store: ArtifactStore, region: string) {
  const Bucket = store.bucketName;
  return {
    createBucket:
      region === "us-east-1"
        ? { Bucket, ObjectOwnership: "BucketOwnerEnforced" as const }
        : { Bucket, ObjectOwnership: "BucketOwnerEnforced" as const, CreateBucketConfiguration: { LocationConstraint: region } },
    ownershipControls: { Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" as const }] } },
    publicAccessBlock: {
      Bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    },
    encryption: {
      Bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: store.keyArn },
            BucketKeyEnabled: true,
          },
        ],
      },
    },
    versioning: { Bucket, VersioningConfiguration: { Status: "Enabled" as const } },
  };
}
