/**
 * Bucket policy of the SHARED artifact bucket (one per tools account + region).
 * Base statements (owned by the portal, kept for every onboarding): encryption and transport guards.
 * Per onboarding: the repo account's cross-account role may read/write artifacts and list the bucket
 * (without ListBucket the CodeCommit action reports S3 access denied; without PutObjectAcl cross-account
 * uploads fail, CDK issue 14156).
 */
import type { ResourceNames } from "@/lib/names/derive";
import { CROSS_ACCOUNT_OBJECT_ACTIONS, policy } from "./common";
import { mergeStatements } from "./merge";
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

/** The statements owned by one onboarding: its repo account's cross-account role. */
export function bucketPolicyStatementsFor(
  _spec: OnboardingSpec,
  names: ResourceNames,
  store: ArtifactStore,
): Statement[] {
  const bucket = bucketArn(store.bucketName, names.partition);
  return [
    {
      Sid: names.sids.bucketRepoObjects,
      Effect: "Allow",
      Principal: { AWS: names.roles.crossAccount.arn },
      Action: [...CROSS_ACCOUNT_OBJECT_ACTIONS],
      Resource: `${bucket}/*`,
    },
    {
      Sid: names.sids.bucketRepoList,
      Effect: "Allow",
      Principal: { AWS: names.roles.crossAccount.arn },
      Action: "s3:ListBucket",
      Resource: bucket,
    },
  ];
}

export function bucketPolicySidsFor(names: ResourceNames): string[] {
  return [names.sids.bucketRepoObjects, names.sids.bucketRepoList];
}

/** Bucket policy for a freshly created bucket: the guards only. */
export function initialBucketPolicy(store: ArtifactStore, partition = "aws"): PolicyDocument {
  return policy(...bucketPolicyBaseStatements(store, partition));
}

/** Desired bucket policy: `current` (GetBucketPolicy; undefined on NoSuchBucketPolicy) merged with this onboarding. */
export function bucketPolicyFor(
  current: PolicyDocument | undefined,
  spec: OnboardingSpec,
  names: ResourceNames,
  store: ArtifactStore,
): PolicyDocument {
  return mergeStatements(current, [
    ...bucketPolicyBaseStatements(store, names.partition),
    ...bucketPolicyStatementsFor(spec, names, store),
  ]);
}

export function bucketPolicyWithout(current: PolicyDocument | undefined, names: ResourceNames): PolicyDocument {
  return mergeStatements(current, [], bucketPolicySidsFor(names));
}

/** Bucket settings domain.md requires, as SDK inputs (CreateBucket, ownership, public access, SSE-KMS, versioning). */
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
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: store.keyArn }, BucketKeyEnabled: true }],
      },
    },
    versioning: { Bucket, VersioningConfiguration: { Status: "Enabled" as const } },
  };
}
