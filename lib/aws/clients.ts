import "server-only";
import { STSClient } from "@aws-sdk/client-sts";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { CodeCommitClient } from "@aws-sdk/client-codecommit";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { SNSClient } from "@aws-sdk/client-sns";
import { CodestarNotificationsClient } from "@aws-sdk/client-codestar-notifications";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { baseClientConfig } from "./config";
import { awsClient } from "./client-factory";

export { awsClient, sandboxRootClient, type ClientCredentials } from "./client-factory";
import { roleSessionNameFor, sourceIdentityFor } from "./session-names";
import { trackCalls } from "./call-tracker";
import { accountOfRoleArn, expectBucketOwner } from "./expected-bucket-owner";
import { processSingleton } from "@/lib/core/singleton";

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
  return awsClient(STSClient, { region });
}

/** Service clients acting inside one registered account through its provisioning role. */
export function accountClients(t: AssumeTarget) {
  const credentials = assumedCredentials(t);
  const cfg = { region: t.region, credentials };
  return {
    sts: trackCalls(awsClient(STSClient, cfg)),
    iam: trackCalls(awsClient(IAMClient, { ...cfg, region: "us-east-1" })),
    kms: trackCalls(awsClient(KMSClient, cfg)),
    s3: trackCalls(expectBucketOwner(awsClient(S3Client, cfg), accountOfRoleArn(t.roleArn))),
    codepipeline: trackCalls(awsClient(CodePipelineClient, cfg)),
    codecommit: trackCalls(awsClient(CodeCommitClient, cfg)),
    codebuild: trackCalls(awsClient(CodeBuildClient, cfg)),
    eventbridge: trackCalls(awsClient(EventBridgeClient, cfg)),
    logs: trackCalls(awsClient(CloudWatchLogsClient, cfg)),
    sns: trackCalls(awsClient(SNSClient, cfg)),
    notifications: trackCalls(awsClient(CodestarNotificationsClient, cfg)),
  };
}

export type AccountClients = ReturnType<typeof accountClients>;

/** Cached client sets live below the 1 h session of the assumed role, so a refresh never re-assumes it. */
export const CACHED_CLIENTS_TTL_MS = 45 * 60_000;
const CACHED_CLIENTS_MAX = 500;

interface CachedClients {
  clients: AccountClients;
  expiresAt: number;
}
const clientCache = processSingleton("portalAccountClients", () => new Map<string, CachedClients>());

/**
 * accountClients, memoized per (roleArn, externalId, actorEmail, region) for CACHED_CLIENTS_TTL_MS: reads that
 * repeat (the pipeline dashboard's refreshes) reuse the assumed-role credentials and the HTTP connections
 * instead of calling AssumeRole again. The SDK refreshes the credentials itself before they expire.
 */
export function cachedAccountClients(t: AssumeTarget): AccountClients {
  const key = JSON.stringify([t.roleArn, t.externalId, t.actorEmail.toLowerCase(), t.region]);
  const now = Date.now();
  const hit = clientCache.get(key);
  if (hit && hit.expiresAt > now) return hit.clients;
  if (clientCache.size >= CACHED_CLIENTS_MAX) {
    for (const [k, v] of clientCache) if (v.expiresAt <= now) clientCache.delete(k);
    if (clientCache.size >= CACHED_CLIENTS_MAX) clientCache.delete(clientCache.keys().next().value!);
  }
  const clients = accountClients(t);
  clientCache.set(key, { clients, expiresAt: now + CACHED_CLIENTS_TTL_MS });
  return clients;
}

/** Drops every cached client set (tests, benchmarks, or after an account's role or external id changed). */
export function clearCachedAccountClients(): void {
  clientCache.clear();
}
