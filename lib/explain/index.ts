import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { TtlCache } from "@/lib/pipelines/cache";
import { executionDetail, onboardingInclude, type PipelineTarget } from "@/lib/pipelines/read";
import type { ActionExecutionView } from "@/lib/pipelines/types";
import { buildPlan } from "@/lib/provisioning/plan";
import { buildContext, type LoadedOnboarding } from "@/lib/runs/context";
import { stepByKey } from "@/lib/provisioning/steps";
import { deriveResourceNames } from "@/lib/names/derive";
import { specOf } from "@/lib/runs/spec";
import { explainFailure, explainPushGap, hasPushGap, PUSH_CHAIN_STEPS } from "./match";
import { withSince } from "./since";
import { latestDrift } from "@/lib/drift/store";
import { commitDate, failedPhaseOf, readBranchTip, readBuild, readLogTail, readNewestExecution, resourceState } from "./read";
import type { Explanation, ExecutionExplanation, FailedActionFacts, ResourceState } from "./types";
import { processSingleton } from "@/lib/core/singleton";

export type { Explanation, ExecutionExplanation, BuildLogTail } from "./types";
export { REPAIR_PATH, repairLink } from "./repair";

/** Explanations read both accounts (a full plan): kept briefly so reloading a page does not read everything again. */
const EXPLAIN_TTL_MS = 15_000;
const cache = processSingleton("portalExplainCache", () => new TtlCache<unknown>(EXPLAIN_TTL_MS, 500));

/** Forget cached explanations (tests; after a repair). */
export function clearExplainCache(): void {
  cache.clear();
}

async function loadTarget(onboardingId: string): Promise<PipelineTarget & LoadedOnboarding> {
  return (await db.onboarding.findUniqueOrThrow({ where: { id: onboardingId }, include: onboardingInclude })) as PipelineTarget &
    LoadedOnboarding;
}

const accountsOf = (t: PipelineTarget) => ({
  tools: { accountId: t.toolsAccount.accountId, name: t.toolsAccount.name },
  repo: { accountId: t.repoAccount.accountId, name: t.repoAccount.name },
});

/** The action that failed the execution: the last Failed action execution. */
function failedActionOf(actions: ActionExecutionView[]): ActionExecutionView | undefined {
  return actions
    .filter((a) => a.status === "Failed")
    .sort((a, b) => (a.lastUpdateTime ?? "").localeCompare(b.lastUpdateTime ?? ""))
    .at(-1);
}

function readErrorOf(what: string, e: unknown): string {
  const id = randomUUID().slice(0, 8);
  console.error(`[explain] ${what} failed (error id ${id})`, e);
  return `The portal could not read ${what} (error id ${id}): the explanation may be incomplete.`;
}

/**
 * Why an execution failed, in the portal's words: which action failed (ListActionExecutions), which of the
 * onboarding's resources differ from what the portal applied (the steps' own plan comparisons, both accounts), the
 * branch (GetBranch), and for a failed build the tail of its log (GetLogEvents).
 */
export async function explainExecution(onboardingId: string, executionId: string, actorEmail: string): Promise<ExecutionExplanation> {
  return cache.get(`exec|${onboardingId}|${executionId}`, async () => {
    const t = await loadTarget(onboardingId);
    const detail = await executionDetail(t, executionId, actorEmail);
    const status = detail.execution.status;
    const failed = failedActionOf(detail.actions);
    if (status !== "Failed" || !failed) return { executionId, status, explanations: [] };

    const names = deriveResourceNames(specOf(t));
    const facts: FailedActionFacts = {
      stageName: failed.stageName,
      actionName: failed.actionName,
      provider: failed.provider,
      message: failed.errorMessage ?? failed.summary ?? "",
    };
    const result: ExecutionExplanation = { executionId, status, failedAction: facts, explanations: [] };
    const errors: string[] = [];

    const isBuild = failed.provider === "CodeBuild" && !!failed.externalExecutionId;
    const [plan, branch, build] = await Promise.all([
      buildPlan(t, actorEmail).catch((e) => {
        errors.push(readErrorOf("the onboarding's resources", e));
        return null;
      }),
      failed.provider === "CodeCommit"
        ? readBranchTip(t, actorEmail)
            .then((tip) => tip !== null)
            .catch((e) => {
              errors.push(readErrorOf("the branch", e));
              return null;
            })
        : Promise.resolve(null),
      isBuild
        ? readBuild(t, failed.externalExecutionId!, actorEmail).catch((e) => {
            errors.push(readErrorOf("the build", e));
            return undefined;
          })
        : Promise.resolve(undefined),
    ]);
    if (build) {
      facts.buildPhase = failedPhaseOf(build);
      facts.buildArn = build.arn;
      result.buildLog = await readLogTail(t, build, actorEmail).catch((e) => {
        errors.push(readErrorOf("the build's log", e));
        return undefined;
      });
    }
    const explained = explainFailure({
      onboardingId,
      accounts: accountsOf(t),
      pipelineArn: t.pipelineArn ?? names.pipeline.arn,
      repository: { name: t.repositoryName, arn: names.repository.arn, branch: t.branchName },
      failure: facts,
      resources: (plan?.items ?? []).map(resourceState),
      branchExists: branch,
    });
    result.explanations = withSince(explained, (await latestDrift(onboardingId))?.items);
    if (errors.length) result.readError = errors.join(" ");
    return result;
  }) as Promise<ExecutionExplanation>;
}

/**
 * Pushes not reaching the pipeline: the branch's newest commit is newer than the newest execution and did not start
 * it, and a link of the EventBridge chain (bus permission, rules, targets, their roles) differs from what the portal
 * applied. Reads GetBranch (+ GetCommit, cached) and the newest execution; the chain only when there is such a commit.
 */
export async function detectPushGap(onboardingId: string, actorEmail: string): Promise<Explanation[]> {
  return cache.get(`push|${onboardingId}`, async () => {
    const t = await loadTarget(onboardingId);
    if (!t.pipelineArn) return [];
    const [tipId, latest] = await Promise.all([readBranchTip(t, actorEmail), readNewestExecution(t, actorEmail)]);
    const tip = tipId ? { commitId: tipId, date: await commitDate(t, tipId, actorEmail) } : null;
    if (!hasPushGap({ tip, latest })) return [];
    const ctx = buildContext(t, actorEmail);
    const resources: ResourceState[] = (await Promise.all(PUSH_CHAIN_STEPS.map((k) => stepByKey(k).plan(ctx)))).map(resourceState);
    const gap = explainPushGap({
      onboardingId,
      accounts: accountsOf(t),
      pipelineName: t.pipelineName,
      repository: { name: t.repositoryName, branch: t.branchName },
      tip,
      latest,
      resources,
    });
    return withSince(gap, (await latestDrift(onboardingId))?.items);
  }) as Promise<Explanation[]>;
}
