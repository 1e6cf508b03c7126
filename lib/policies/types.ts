/** IAM-style policy documents and the portal's onboarding input. Types only. */

export type OneOrMany<T> = T | T[];

export type Principal =
  | "*"
  | {
      AWS?: OneOrMany<string>;
      Service?: OneOrMany<string>;
      Federated?: OneOrMany<string>;
    };

/** Condition block: operator → key → value(s). Values are strings (IAM accepts "1.2", "false"). */
export type Condition = Record<string, Record<string, OneOrMany<string>>>;

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Principal;
  NotPrincipal?: Principal;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: Condition;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Id?: string;
  Statement: Statement[];
}

export type PipelineType = "V1" | "V2";

export type BuildSpec =
  { mode: "existing"; projectName: string } | { mode: "create"; projectName: string; image?: string; computeType?: string };

export interface OnboardingSpec {
  /** Portal id of the onboarding; written as tag `portal:onboarding`. */
  onboardingId: string;
  /** Only the commercial partition is supported. Default "aws". */
  partition?: "aws";
  /** Pipeline region = artifact bucket and key region. */
  region: string;
  toolsAccountId: string;
  repoAccountId: string;
  repositoryName: string;
  branchName: string;
  pipelineName: string;
  pipelineType: PipelineType;
  /** V2 only. Default SUPERSEDED. */
  executionMode?: "SUPERSEDED" | "QUEUED" | "PARALLEL";
  build: BuildSpec;
  approval: { enabled: boolean; stageName?: string };
  /**
   * The pipeline service role of an onboarding provisioned before names carried the region (naming v1).
   * CodePipeline cannot change a pipeline's service role, so that one role keeps its old name.
   */
  pinnedPipelineRoleName?: string;
  /** Opt-in notifications of failed executions and pending approvals (absent: off; its resources are deleted). */
  notifications?: { emails: string[] };
  /** AWS Organization id of the tools account's setting: grants the whole organization instead of each repo account. */
  organizationId?: string;
  /**
   * The tools account's provisioning role. A key the portal creates names it as administrator in its key policy:
   * KMS may take 5 minutes to honour the tag its IAM grant is conditioned on, a key policy grant applies at once.
   */
  toolsProvisioningRoleArn?: string;
}

/** The shared per (tools account, region) artifact store, as provisioned (key ARN known only after CreateKey). */
export interface ArtifactStore {
  bucketName: string;
  /** Full key ARN: arn:aws:kms:REGION:ACCOUNT:key/ID. Never an alias. */
  keyArn: string;
  keyAlias: string;
}

/** Tag key naming the onboarding a resource belongs to. */
export const PORTAL_TAG_KEY = "portal:onboarding";
/** Tag on everything the portal creates; the provisioning role may change only resources that carry it. */
export const MANAGED_BY_TAG_KEY = "portal:managed-by";
export const MANAGED_BY_TAG_VALUE = "crossline-portal";
