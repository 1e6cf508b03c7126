/**
 * The registry: every AWS resource kind the portal manages. Order matters where the provisioning role's documents
 * list a new kind's statements (after the known ones of its section, lib/resources/provisioning-role.ts).
 *
 * Adding a kind: its module (lib/resources/<kind>.ts) listed here, its document builder (lib/policies) with its
 * fixture and test, and the provisioning role's template fixture (lib/policies/__fixtures__/provisioning-template-both.json)
 * regenerated with the new grants. registry.test.ts and labels.test.ts then check its label, service, console link,
 * grants and delete; lib/policies/provisioning-role.test.ts checks its grants against the calls lib/ makes. A kind
 * the portal creates also needs its apply step (lib/provisioning/steps, listed in steps/index.ts).
 */
import { codebuildProject } from "./codebuild-project";
import { codepipeline } from "./codepipeline";
import { eventBusPermission } from "./event-bus-permission";
import { eventbridgeRule } from "./eventbridge-rule";
import { iamRole } from "./iam-role";
import { kmsAlias } from "./kms-alias";
import { kmsKey } from "./kms-key";
import { kmsKeyPolicy } from "./kms-key-policy";
import { notificationRule } from "./notification-rule";
import { s3Bucket } from "./s3-bucket";
import { s3BucketPolicy } from "./s3-bucket-policy";
import { snsTopic } from "./sns-topic";
import type { ResourceKind } from "./types";

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  iamRole,
  kmsKey,
  kmsAlias,
  kmsKeyPolicy,
  s3Bucket,
  s3BucketPolicy,
  codepipeline,
  codebuildProject,
  eventBusPermission,
  eventbridgeRule,
  snsTopic,
  notificationRule,
];

const BY_KIND = new Map(RESOURCE_KINDS.map((k) => [k.kind, k]));

export function resourceKind(kind: string): ResourceKind | undefined {
  return BY_KIND.get(kind);
}

/** The registered kind, or an error naming it (a ledger row of a kind no module describes is a bug). */
export function requireKind(kind: string): ResourceKind {
  const k = BY_KIND.get(kind);
  if (!k) throw new Error(`No resource module for kind ${kind} (lib/resources/index.ts)`);
  return k;
}

export type { ResourceKind } from "./types";
