import "server-only";
import { GetPipelineCommand, ListTagsForResourceCommand } from "@aws-sdk/client-codepipeline";
import { PORTAL_TAG_KEY } from "@/lib/policies/types";
import { db } from "@/lib/db";
import { inTransactionWithAudit } from "@/lib/audit/append";
import type { CurrentUser } from "@/lib/auth/session";
import type { ActorContext } from "@/lib/core/actor";
import { UserFacingError } from "@/lib/core/errors";
import { accountClients } from "@/lib/aws/clients";
import { testConnection } from "@/lib/accounts/test-connection";
import { readOrNull } from "@/lib/core/aws-errors";
import { loadOnboarding } from "@/lib/runs/context";
import { buildPlan } from "@/lib/provisioning/plan";
import { parseEmailList, specOf } from "@/lib/runs/spec";
import { stepsFor } from "@/lib/provisioning/steps";
import { assertNoActiveRun, enqueueRun, requeueFailedRun } from "@/lib/runs/enqueue";
import type { Plan } from "@/lib/runs/types";
import type { OnboardingEdit, OnboardingFields } from "@/lib/validation/onboarding";
import { existingProjectProblem } from "@/lib/provisioning/steps/codebuild-project";
import { buildProject, checkSource } from "./discovery";
import { assertRecipientsAllowed, recipientsRefusal } from "@/lib/notifications/recipients";
import { mayRead } from "@/lib/auth/may-read";
import { planShowsEnvironmentValues, withholdEnvironmentValues } from "@/lib/provisioning/plan-secrets";

type Ctx = ActorContext<CurrentUser>;

const fail = (field: string, message: string): never => {
  throw new UserFacingError("Please correct the highlighted fields.", { [field]: [message] });
};

async function requireConnected(
  account: { accountId: string; roleArn: string; externalId: string; defaultRegion: string; name: string },
  field: string,
  email: string,
) {
  const d = await testConnection(account, email);
  if (!d.ok)
    fail(field, `The portal cannot act in ${account.name} (${account.accountId}): ${d.title}. Fix it on the account page, then try again.`);
}

async function checkBuild(
  toolsDbId: string,
  input: { region: string; buildMode: string; buildProject: string },
  email: string,
  onboardingId: string,
  allowExisting = false,
) {
  const project = await buildProject(toolsDbId, input.region, input.buildProject, email);
  if (input.buildMode === "existing") {
    if (!project) fail("buildProject", `No CodeBuild project named ${input.buildProject} in the tools account (${input.region}).`);
    const problem = existingProjectProblem(project!, onboardingId);
    if (problem) fail("buildProject", problem);
  }
  if (input.buildMode === "create" && project && !allowExisting)
    fail(
      "buildProject",
      `A CodeBuild project named ${input.buildProject} already exists: choose "Use an existing project" or another name.`,
    );
}

/** Validates everything against the database and both accounts before writing anything. */
export async function createOnboarding(input: OnboardingFields, { user, client }: Ctx) {
  const [tools, repo] = await Promise.all([
    db.awsAccount.findUnique({ where: { id: input.toolsAccountId } }),
    db.awsAccount.findUnique({ where: { id: input.repoAccountId } }),
  ]);
  if (!tools || tools.removedAt) fail("toolsAccountId", "That account no longer exists.");
  if (!repo || repo.removedAt) fail("repoAccountId", "That account no longer exists.");
  if (tools!.purpose === "repo")
    fail("toolsAccountId", `${tools!.name} is registered as a repo account; pipelines live in a tools account.`);
  if (repo!.purpose === "tools")
    fail("repoAccountId", `${repo!.name} is registered as a tools account; repositories live in a repo account.`);
  if (tools!.accountId === repo!.accountId) fail("repoAccountId", "The repo account must differ from the tools account.");
  const taken = await db.onboarding.findFirst({
    where: { toolsAccountId: tools!.id, region: input.region, pipelineName: input.pipelineName, status: { not: "offboarded" } },
  });
  if (taken)
    fail(
      "pipelineName",
      `The onboarding of ${taken.repositoryName} already uses the pipeline name ${input.pipelineName} in this account and region.`,
    );
  await assertRecipientsAllowed(input.notificationEmails);

  await Promise.all([requireConnected(tools!, "toolsAccountId", user.email), requireConnected(repo!, "repoAccountId", user.email)]);
  const source = await checkSource(repo!.id, input.region, input.repositoryName, input.branchName, user.email);
  if (!source.ok) fail(source.field, source.message);
  await checkBuild(tools!.id, input, user.email, "");
  const cp = accountClients({
    roleArn: tools!.roleArn,
    externalId: tools!.externalId,
    actorEmail: user.email,
    region: input.region,
  }).codepipeline;
  const existing = await readOrNull(() => cp.send(new GetPipelineCommand({ name: input.pipelineName })), "PipelineNotFoundException");
  if (existing) {
    const arn = existing.metadata?.pipelineArn ?? `arn:aws:codepipeline:${input.region}:${tools!.accountId}:${input.pipelineName}`;
    const tags = await cp.send(new ListTagsForResourceCommand({ resourceArn: arn })).catch(() => ({ tags: [] as { key?: string }[] }));
    const managed = (tags.tags ?? []).some((t) => t.key === PORTAL_TAG_KEY);
    fail(
      "pipelineName",
      `A pipeline named ${input.pipelineName} already exists in ${tools!.name} (${input.region}) ${managed ? "and belongs to another onboarding" : "and was not created by this portal"}. Choose another name.`,
    );
  }

  return inTransactionWithAudit(async (tx) => {
    const o = await tx.onboarding.create({
      data: {
        toolsAccountId: tools!.id,
        repoAccountId: repo!.id,
        region: input.region,
        repositoryName: input.repositoryName,
        branchName: input.branchName,
        pipelineName: input.pipelineName,
        pipelineType: input.pipelineType,
        buildMode: input.buildMode,
        buildProject: input.buildProject,
        approval: input.approval,
        notifications: input.notifications ?? false,
        notificationEmails: JSON.stringify(input.notificationEmails ?? []),
        createdById: user.id,
      },
    });
    return {
      result: o,
      audit: {
        actor: user,
        action: "onboardings.create",
        target: { type: "onboarding", id: o.id },
        outcome: "success",
        details: { ...input },
        client,
      },
    };
  });
}

export async function updateOnboarding(input: OnboardingEdit, { user, client }: Ctx) {
  const o = await loadOnboarding(input.id).catch(() => null);
  if (!o) throw new UserFacingError("That onboarding no longer exists.");
  if (o.status === "offboarded") throw new UserFacingError(`${o.pipelineName} is offboarded: onboard the repository again instead.`);
  await assertNoActiveRun(db, o.id);
  await assertRecipientsAllowed(input.notificationEmails);
  const source = await checkSource(o.repoAccountId, o.region, o.repositoryName, input.branchName, user.email);
  if (!source.ok) fail(source.field, source.message);
  await checkBuild(
    o.toolsAccountId,
    { region: o.region, buildMode: input.buildMode, buildProject: input.buildProject },
    user.email,
    o.id,
    input.buildProject === o.buildProject && o.buildMode === "create",
  );
  const before = {
    branchName: o.branchName,
    pipelineType: o.pipelineType,
    buildMode: o.buildMode,
    buildProject: o.buildProject,
    approval: o.approval,
    notifications: o.notifications,
    notificationEmails: parseEmailList(o.notificationEmails),
  };
  const { id, ...after } = input;
  return inTransactionWithAudit(async (tx) => {
    await assertNoActiveRun(tx, id);
    // Until the next apply, AWS still has the old configuration.
    const updated = await tx.onboarding.update({
      where: { id },
      data: {
        ...after,
        notifications: after.notifications ?? o.notifications,
        notificationEmails: after.notificationEmails ? JSON.stringify(after.notificationEmails) : o.notificationEmails,
        status: o.status === "draft" ? "draft" : "changed",
      },
    });
    return {
      result: updated,
      audit: {
        actor: user,
        action: "onboardings.edit",
        target: { type: "onboarding", id },
        outcome: "success",
        details: { before, after },
        client,
      },
    };
  });
}

function assertNotOffboarded(o: { status: string; pipelineName: string }) {
  if (o.status === "offboarded") throw new UserFacingError(`${o.pipelineName} is offboarded: onboard the repository again instead.`);
}

/**
 * Reads both accounts and describes every change; writes nothing to AWS and nothing to the audit log. Viewing a
 * plan is a read (like every other page); what is audited is the apply (onboardings.apply, with its step count
 * and confirmed adoptions), which is the decision taken on the plan. AWS's own CloudTrail still records the reads
 * under the person's SourceIdentity.
 */
export async function planOnboarding(id: string, { user, client }: Ctx): Promise<Plan> {
  const o = await loadOnboarding(id);
  const plan = await buildPlan(o, user.email);
  // Environment-variable values (masked for builders) are held back from other roles; the refusal is audited.
  if (planShowsEnvironmentValues(plan.items) && !(await mayRead("onboardings.plan.secrets", user, client)))
    return { ...plan, items: withholdEnvironmentValues(plan.items) };
  return plan;
}

/**
 * Queues an apply run; the worker executes it outside the request. `confirmedAdoptions`: step keys of the existing,
 * untagged resources the person applying agreed the portal may take over (the plan listed them as "adopt").
 */
export async function startApply(id: string, { user, client }: Ctx, confirmedAdoptions: string[] = []) {
  const o = await loadOnboarding(id);
  assertNotOffboarded(o);
  const spec = specOf(o);
  // Addresses saved before recipients were limited are not subscribed either: the edit form changes them.
  const outside = await recipientsRefusal(spec.notifications?.emails);
  if (outside) throw new UserFacingError(`${outside} Edit the onboarding's notification recipients, then apply.`);
  const steps = stepsFor(spec);
  return inTransactionWithAudit(async (tx) => {
    const previous = await tx.run.count({ where: { onboardingId: id } });
    const run = await enqueueRun(tx, {
      onboardingId: id,
      plan: { kind: "apply", confirmedAdoptions },
      stepKeys: steps.map((s) => s.key),
      startedById: user.id,
    });
    return {
      result: run,
      audit: {
        actor: user,
        action: previous ? "onboardings.reapply" : "onboardings.apply",
        target: { type: "onboarding", id },
        outcome: "success",
        details: { runId: run.id, steps: steps.length, ...(confirmedAdoptions.length ? { confirmedAdoptions } : {}) },
        client,
      },
    };
  });
}

/**
 * A failed run goes back to the queue: succeeded steps keep their outputs, the failed one is retried. The same
 * checks as starting a run, inside the same write transaction: no other run of the onboarding queued or running
 * (a resumed apply must not race a destroy), and no apply of an offboarded onboarding (it would re-create it).
 */
export async function resumeRun(runId: string, { user, client }: Ctx) {
  return inTransactionWithAudit(async (tx) => {
    const run = await requeueFailedRun(tx, runId, user.id);
    return {
      result: run,
      audit: {
        actor: user,
        action: "onboardings.resume",
        target: { type: "onboarding", id: run.onboardingId },
        outcome: "success",
        details: { runId, attempt: run.attempt },
        client,
      },
    };
  });
}

/** Everything the progress page shows. */
export async function runProgress(runId: string) {
  const run = await db.run.findUnique({
    where: { id: runId },
    include: { steps: { orderBy: { sequence: "asc" } }, onboarding: { include: { toolsAccount: true, repoAccount: true } } },
  });
  if (!run) return null;
  return {
    id: run.id,
    onboardingId: run.onboardingId,
    kind: run.kind,
    status: run.status,
    attempt: run.attempt,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    pipelineArn: run.onboarding.pipelineArn,
    region: run.onboarding.region,
    steps: run.steps.map((s) => ({
      key: s.stepKey,
      sequence: s.sequence,
      status: s.status,
      attempts: s.attempts,
      output: s.output ? (JSON.parse(s.output) as Record<string, unknown>) : null,
      errorCode: s.errorCode,
      errorMessage: s.errorMessage,
      requestId: s.requestId,
      startedAt: s.startedAt?.toISOString() ?? null,
      finishedAt: s.finishedAt?.toISOString() ?? null,
    })),
  };
}

export type RunProgress = NonNullable<Awaited<ReturnType<typeof runProgress>>>;
