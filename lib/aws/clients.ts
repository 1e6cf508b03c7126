import "server-only";
import { STSClient } from "@aws-sdk/client-sts";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { CodeCommitClient } from "@aws-sdk/client-codecommit";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { baseClientConfig, s3ClientConfig } from "./config";
import { roleSessionNameFor, sourceIdentityFor } from "./session-names";
import { trackCalls } from "./call-tracker";

export interface AssumeTarget {
  roleArn: string;
  externalId: string;
  /** The signed-in user's email: becomes SourceIdentity so CloudTrail names the person. */
  actorEmail: string;
  region: string;
}

export function assumeRoleParams(t: AssumeTarget) {
  return {
    RoleArn: t.roleArn,
    ExternalId: t.externalId,
    SourceIdentity: sourceIdentityFor(t.actorEmail),
    RoleSessionName: roleSessionNameFor(t.actorEmail),
    DurationSeconds: 3600,
  };
}

/** Credentials of the account's provisioning role, assumed from the portal's own identity (default chain). */
export function assumedCredentials(t: AssumeTarget): ReturnType<typeof fromTemporaryCredentials> {
  return fromTemporaryCredentials({ params: assumeRoleParams(t), clientConfig: baseClientConfig(t.region) });
}

/** The portal's own STS client (default credential chain). */
export function portalSts(region: string): STSClient {
  return new STSClient(baseClientConfig(region));
}

/** Service clients acting inside one registered account through its provisioning role. */
export function accountClients(t: AssumeTarget) {
  const credentials = assumedCredentials(t);
  const cfg = { ...baseClientConfig(t.region), credentials };
  return {
    sts: trackCalls(new STSClient(cfg)),
    iam: trackCalls(new IAMClient({ ...cfg, region: "us-east-1" })),
    kms: trackCalls(new KMSClient(cfg)),
    s3: trackCalls(new S3Client({ ...s3ClientConfig(t.region), credentials })),
    codepipeline: trackCalls(new CodePipelineClient(cfg)),
    codecommit: trackCalls(new CodeCommitClient(cfg)),
    codebuild: trackCalls(new CodeBuildClient(cfg)),
    eventbridge: trackCalls(new EventBridgeClient(cfg)),
  };
}

export type AccountClients = ReturnType<typeof accountClients>;
