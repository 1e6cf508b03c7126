/**
 * From what the portal read in both accounts to explanations in its own words (pure). The comparisons are the
 * provisioning steps' own (each resource's plan item: action, reason, current and desired documents); this file only
 * decides which differences explain the failure and says so.
 */
import type { PolicyDocument } from "@/lib/policies/types";
import type { PlanDocument } from "@/lib/runs/types";
import { repairLink } from "./repair";
import { changeText, statementChanges } from "./statements";
import type { Explanation, FailureFacts, PushGapFacts, ResourceState } from "./types";

export const STEP = {
  keyPolicy: "tools.key-policy",
  bucketPolicy: "tools.bucket-policy",
  crossAccountRole: "repo.cross-account-role",
  codeBuildRole: "tools.codebuild-role",
  busPermission: "tools.event-bus-permission",
  toolsRule: "tools.start-on-push-rule",
  repoRule: "repo.forward-push-rule",
  forwardPushRole: "repo.forward-push-role",
  startOnPushRole: "tools.start-on-push-role",
} as const;

/** The resources whose state can fail each kind of action, in the order they are reported. */
const RELEVANT: Record<"Source" | "Build" | "Other", string[]> = {
  Source: [
    STEP.crossAccountRole,
    STEP.keyPolicy,
    STEP.bucketPolicy,
    "tools.pipeline-role",
    "tools.kms-key",
    "tools.bucket",
    "tools.pipeline",
  ],
  Build: [
    STEP.codeBuildRole,
    STEP.keyPolicy,
    STEP.bucketPolicy,
    "tools.codebuild-project",
    "tools.pipeline-role",
    "tools.kms-key",
    "tools.bucket",
    "tools.pipeline",
  ],
  Other: ["tools.pipeline-role", "tools.pipeline"],
};
export const PUSH_CHAIN_STEPS = [STEP.busPermission, STEP.repoRule, STEP.forwardPushRole, STEP.toolsRule, STEP.startOnPushRole];

const MAX_DIFF_LINES = 40;

const drifted = (r: ResourceState) => r.action === "update" || r.action === "create";
const doc = (r: ResourceState, titlePrefix: string): PlanDocument | undefined => r.documents.find((d) => d.title.startsWith(titlePrefix));
const asPolicy = (v: unknown) => (v && typeof v === "object" ? (v as PolicyDocument) : null);

/** The "- " and "+ " lines of a document's diff: what differs, without the unchanged context. */
export function diffEvidence(d: PlanDocument | undefined): string[] {
  if (!d?.diff) return [];
  const lines = d.diff.split("\n").filter((l) => l.startsWith("- ") || l.startsWith("+ "));
  return lines.length > MAX_DIFF_LINES
    ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more changed lines on the plan page`]
    : lines;
}

function accountOf(f: Pick<FailureFacts, "accounts">, r: ResourceState) {
  return { side: r.account, accountId: r.accountId, name: f.accounts[r.account].name };
}

function categoryOf(provider: string | undefined): keyof typeof RELEVANT {
  if (provider === "CodeCommit") return "Source";
  if (provider === "CodeBuild") return "Build";
  return "Other";
}

function policyChanges(r: ResourceState, titlePrefix: string, owned: boolean) {
  const d = doc(r, titlePrefix);
  const desired = asPolicy(d?.desired);
  if (!d || !desired || (!d.diff && d.current !== null)) return { d, changes: [] };
  return { d, changes: statementChanges(asPolicy(d.current), desired, owned) };
}

/** Explanations for one resource of the onboarding that differs from what the portal applied. */
function explainResource(f: FailureFacts, r: ResourceState, base: string[]): Explanation[] {
  const repair = repairLink(f.onboardingId);
  const account = accountOf(f, r);
  const resourceArn = r.arn ?? r.name;
  const generic = (): Explanation => ({
    kind: "resource-drifted",
    title: r.action === "create" ? `${r.title}: missing` : `${r.title}: changed`,
    what:
      r.action === "create"
        ? `${r.title} ${r.name} does not exist in account ${r.accountId}.`
        : `${r.title} ${r.name} differs from what the portal applied: ${r.reason}.`,
    account,
    resourceArn,
    evidence: [...base, ...r.documents.flatMap(diffEvidence)],
    repair,
  });
  if (r.action === "create" && r.stepKey !== STEP.keyPolicy && r.stepKey !== STEP.bucketPolicy) return [generic()];

  if (r.stepKey === STEP.keyPolicy || r.stepKey === STEP.bucketPolicy) {
    const key = r.stepKey === STEP.keyPolicy;
    const { d, changes } = policyChanges(r, key ? "Key policy" : "Bucket policy", false);
    if (!changes.length) return [generic()];
    return [
      {
        kind: key ? "kms-grant-missing" : "bucket-grant-missing",
        title: key ? "The artifact key's policy lost a grant" : "The artifact bucket's policy lost a grant",
        what: `The ${key ? "key" : "bucket"} policy of ${r.name} in the tools account no longer holds what this pipeline needs: ${changes.map(changeText).join("; ")}.`,
        account,
        resourceArn,
        evidence: [...base, ...diffEvidence(d)],
        repair,
      },
    ];
  }

  if (r.stepKey === STEP.crossAccountRole || r.stepKey === STEP.codeBuildRole) {
    const out: Explanation[] = [];
    const trust = policyChanges(r, "Trust policy", true);
    const inline = policyChanges(r, "Inline policy", true);
    const policyName = inline.d?.title.replace(/^Inline policy /, "") ?? "";
    const inlineText =
      inline.d && inline.d.current === null
        ? `its permission policy ${policyName} was deleted`
        : `its permission policy ${policyName} differs from what the portal wrote: ${inline.changes.map(changeText).join("; ")}`;
    const inlineChanged = !!inline.d && (inline.d.current === null || inline.changes.length > 0);
    if (r.stepKey === STEP.crossAccountRole) {
      if (trust.changes.length) {
        out.push({
          kind: "cross-account-trust-changed",
          title: "The cross-account role's trust changed",
          what: `The trust policy of role ${r.name} in the repo account differs from what the portal wrote, so the pipeline's role in the tools account may no longer assume it: ${trust.changes.map(changeText).join("; ")}.`,
          account,
          resourceArn,
          evidence: [...base, ...diffEvidence(trust.d)],
          repair,
        });
      }
      if (inlineChanged) {
        out.push({
          kind: "cross-account-policy-changed",
          title: "The cross-account role's permissions changed",
          what: `The role ${r.name} in the repo account reads the repository and writes the source artifact; ${inlineText}.`,
          account,
          resourceArn,
          evidence: [...base, ...diffEvidence(inline.d)],
          repair,
        });
      }
    } else if (inlineChanged) {
      out.push({
        kind: "build-role-cannot-write-artifacts",
        title: "The build role cannot use the pipeline's artifacts",
        what: `The CodeBuild service role ${r.name} reads and writes the pipeline's artifacts in the tools account; ${inlineText}.`,
        account,
        resourceArn,
        evidence: [...base, ...diffEvidence(inline.d)],
        repair,
      });
    }
    return out.length ? out : [generic()];
  }
  return [generic()];
}

/** Why a failed action failed: the differences that explain it, most specific first. */
export function explainFailure(f: FailureFacts & { pipelineArn: string }): Explanation[] {
  const fail = f.failure;
  const base = [`${fail.stageName} / ${fail.actionName} failed: ${fail.message}`];
  const out: Explanation[] = [];
  const category = categoryOf(fail.provider);

  if (category === "Source" && f.branchExists === false) {
    out.push({
      kind: "branch-deleted",
      title: "The branch was deleted",
      what: `The branch ${f.repository.branch} no longer exists in repository ${f.repository.name} (repo account ${f.accounts.repo.accountId}), so the Source action has no commit to read. Push the branch again, or edit the onboarding to follow another branch.`,
      account: { side: "repo", ...f.accounts.repo },
      resourceArn: f.repository.arn,
      evidence: base,
      repair: null,
    });
  }
  if (fail.buildPhase?.code === "COMMAND_EXECUTION_ERROR") {
    out.push({
      kind: "build-command-failed",
      title: "A build command failed",
      what: `A command of the build failed in phase ${fail.buildPhase.phase}: ${fail.buildPhase.message}. This comes from the repository's code or buildspec, not from the pipeline's setup: the log below shows the command's output.`,
      account: { side: "tools", ...f.accounts.tools },
      resourceArn: fail.buildArn ?? f.pipelineArn,
      evidence: base,
      repair: null,
    });
  }
  const byStep = new Map(f.resources.map((r) => [r.stepKey, r]));
  for (const key of RELEVANT[category]) {
    const r = byStep.get(key);
    if (r && drifted(r)) out.push(...explainResource(f, r, base));
  }
  if (!out.length) {
    out.push({
      kind: "unexplained",
      title: "No setup problem found",
      what: f.resources.length
        ? "The portal read this pipeline's resources in both accounts and found them as it applied them, so AWS's message below is all there is to go on."
        : "The portal could not read this pipeline's resources to compare them, so AWS's message below is all there is to go on.",
      account: { side: "tools", ...f.accounts.tools },
      resourceArn: f.pipelineArn,
      evidence: base,
      repair: null,
    });
  }
  // The resource AWS names in its message first.
  return out
    .map((e, i) => ({ e, i, named: fail.message.includes(e.resourceArn) ? 0 : 1 }))
    .sort((a, b) => a.named - b.named || a.i - b.i)
    .map((x) => x.e);
}

// ---- pushes not reaching the pipeline --------------------------------------------------------------------

/** A CodeCommit date ("1700000000 +0000", git's form) or an ISO date, in ms since the epoch. */
export function commitTime(date: string | undefined): number | undefined {
  if (!date) return undefined;
  const git = /^(\d+)(?:\s+[+-]\d{4})?$/.exec(date.trim());
  if (git) return Number(git[1]) * 1000;
  const t = Date.parse(date);
  return Number.isNaN(t) ? undefined : t;
}

/** The branch has a commit no execution has run, pushed after the newest execution started. */
export function hasPushGap(f: Pick<PushGapFacts, "tip" | "latest">): boolean {
  if (!f.tip) return false;
  if (!f.latest) return true;
  if (f.latest.commitId === f.tip.commitId) return false;
  const pushed = commitTime(f.tip.date);
  const started = f.latest.startTime ? Date.parse(f.latest.startTime) : undefined;
  if (pushed === undefined || started === undefined || Number.isNaN(started)) return false;
  // CodeCommit dates have whole seconds: a push in the second the execution started counts as after it.
  return pushed >= Math.floor(started / 1000) * 1000;
}

interface RuleView {
  EventPattern?: unknown;
  State?: string;
  Targets?: { Id?: string; Arn?: string; RoleArn?: string }[];
}

/** What is broken in one link of the EventBridge chain, as a sentence fragment; null when it is as applied. */
function linkProblem(r: ResourceState, f: PushGapFacts): string | null {
  if (!drifted(r)) return null;
  if (r.stepKey === STEP.busPermission) {
    const d = doc(r, "Event bus policy");
    const desired = asPolicy(d?.desired);
    const changes = desired ? statementChanges(asPolicy(d?.current), desired).filter((c) => c.sid === r.name) : [];
    return `the default event bus of tools account ${f.accounts.tools.accountId} does not let repo account ${f.accounts.repo.accountId} put events${changes.length ? ` (${changes.map(changeText).join("; ")})` : ""}`;
  }
  if (r.stepKey === STEP.toolsRule || r.stepKey === STEP.repoRule) {
    if (r.action === "create") return `the EventBridge rule ${r.name} does not exist`;
    const d = doc(r, "Rule and target");
    const cur = (d?.current ?? {}) as RuleView;
    const want = (d?.desired ?? {}) as RuleView;
    const problems: string[] = [];
    if (cur.State !== want.State)
      problems.push(`the EventBridge rule ${r.name} is ${cur.State ?? "in an unknown state"} (the portal set ${want.State})`);
    for (const t of want.Targets ?? []) {
      const got = (cur.Targets ?? []).find((x) => x.Id === t.Id);
      if (!got) problems.push(`the EventBridge rule ${r.name} has no target ${t.Id} (${t.Arn})`);
      else if (got.Arn !== t.Arn || got.RoleArn !== t.RoleArn)
        problems.push(
          `the target ${t.Id} of rule ${r.name} points to ${got.Arn} with role ${got.RoleArn ?? "none"} instead of ${t.Arn} with role ${t.RoleArn ?? "none"}`,
        );
    }
    if (JSON.stringify(cur.EventPattern) !== JSON.stringify(want.EventPattern))
      problems.push(`the event pattern of rule ${r.name} no longer matches pushes to ${f.repository.branch}`);
    return problems.length ? problems.join("; ") : `the EventBridge rule ${r.name} differs: ${r.reason}`;
  }
  return r.action === "create"
    ? `${r.title} ${r.name} does not exist`
    : `${r.title} ${r.name} differs from what the portal applied: ${r.reason}`;
}

/** Pushes that never started the pipeline, one explanation per broken link of the EventBridge chain. */
export function explainPushGap(f: PushGapFacts): Explanation[] {
  if (!hasPushGap(f)) return [];
  const tip = f.tip!;
  const evidence = [
    `Newest commit on ${f.repository.branch}: ${tip.commitId}${commitTime(tip.date) !== undefined ? ` (${new Date(commitTime(tip.date)!).toISOString()})` : ""}`,
    f.latest
      ? `Newest execution: ${f.latest.executionId}${f.latest.startTime ? ` started ${f.latest.startTime}` : ""}${f.latest.commitId ? ` at commit ${f.latest.commitId}` : ""}`
      : "The pipeline has no execution.",
  ];
  const byStep = new Map(f.resources.map((r) => [r.stepKey, r]));
  const out: Explanation[] = [];
  for (const key of PUSH_CHAIN_STEPS) {
    const r = byStep.get(key);
    const problem = r && linkProblem(r, f);
    if (!r || !problem) continue;
    out.push({
      kind: "pushes-not-reaching-pipeline",
      title: "Pushes are not reaching the pipeline",
      what: `Commit ${tip.commitId.slice(0, 7)} on ${f.repository.branch} did not start ${f.pipelineName}: ${problem}.`,
      account: { side: r.account, accountId: r.accountId, name: f.accounts[r.account].name },
      resourceArn: r.arn ?? r.name,
      evidence: [...evidence, ...r.documents.flatMap(diffEvidence)],
      repair: repairLink(f.onboardingId),
    });
  }
  return out;
}
