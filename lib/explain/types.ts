/** Explanations of failed runs: plain JSON, safe to pass to client components. */
import type { AccountSide, PlanItem } from "@/lib/runs/types";

export const EXPLANATION_KINDS = [
  "kms-grant-missing",
  "bucket-grant-missing",
  "cross-account-trust-changed",
  "cross-account-policy-changed",
  "branch-deleted",
  "build-role-cannot-write-artifacts",
  "pushes-not-reaching-pipeline",
  "build-command-failed",
  "resource-drifted",
  "unexplained",
] as const;
export type ExplanationKind = (typeof EXPLANATION_KINDS)[number];

export interface Explanation {
  kind: ExplanationKind;
  title: string;
  /** What is wrong, in the portal's words. */
  what: string;
  account: { side: AccountSide; accountId: string; name: string };
  resourceArn: string;
  /** AWS's own message and the lines of the document that differ. */
  evidence: string[];
  /** Where to fix it; null when re-applying the onboarding cannot (a deleted branch, the build's own tests). */
  repair: { href: string; label: string } | null;
  /** When a verify run first saw this resource differ (filled once a drift check records it). */
  since?: string;
}

/** What a plan says about one resource, as the matching needs it. */
export type ResourceState = Pick<
  PlanItem,
  "stepKey" | "title" | "account" | "accountId" | "kind" | "name" | "arn" | "action" | "reason" | "documents"
>;

export interface AccountRef {
  accountId: string;
  name: string;
}

export interface FailedActionFacts {
  stageName: string;
  actionName: string;
  provider?: string;
  /** The action's error message as AWS reports it. */
  message: string;
  /** CodeBuild: the failed phase of the build, with its context. */
  buildPhase?: { phase: string; code: string; message: string };
  /** CodeBuild: the build's ARN. */
  buildArn?: string;
}

export interface FailureFacts {
  onboardingId: string;
  accounts: { tools: AccountRef; repo: AccountRef };
  repository: { name: string; arn: string; branch: string };
  failure: FailedActionFacts;
  /** Every resource of the onboarding as the plan read it (empty when it could not be read). */
  resources: ResourceState[];
  /** CodeCommit GetBranch: false when the branch does not exist; null when not read. */
  branchExists: boolean | null;
}

export interface PushGapFacts {
  onboardingId: string;
  accounts: { tools: AccountRef; repo: AccountRef };
  pipelineName: string;
  repository: { name: string; branch: string };
  /** The branch's newest commit (GetBranch + GetCommit); null when the branch is missing or unreadable. */
  tip: { commitId: string; date?: string } | null;
  /** The newest execution (ListPipelineExecutions): its source commit and start. */
  latest: { executionId: string; commitId?: string; startTime?: string } | null;
  /** The EventBridge chain as the plan read it: bus permission, both rules, their roles. */
  resources: ResourceState[];
}

export interface BuildLogTail {
  buildId: string;
  groupName: string;
  streamName: string;
  failedPhase?: string;
  lines: string[];
  /** The CloudWatch Logs console page of the stream. */
  consoleUrl: string;
  /** BatchGetBuilds logs.deepLink (the full log). */
  deepLink?: string;
  /** Why the tail could not be read, as a sentence. */
  error?: string;
  /** The lines were held back from this reader's role (lines empty, no deep link), as a sentence. */
  withheld?: string;
}

export interface ExecutionExplanation {
  executionId: string;
  status: string;
  failedAction?: FailedActionFacts;
  explanations: Explanation[];
  buildLog?: BuildLogTail;
  /** A read of AWS that failed while explaining (the explanation may be partial). */
  readError?: string;
}
