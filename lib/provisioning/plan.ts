import "server-only";
import { BatchGetProjectsCommand } from "@aws-sdk/client-codebuild";
import { cliCommands } from "@/lib/policies/cli-commands";
import { pipelineDeclaration } from "@/lib/policies/pipeline-declaration";
import { keyByAlias } from "@/lib/resources/kms-alias";
import { buildContext, loadLedger, type LoadedOnboarding } from "@/lib/runs/context";
import { stepsFor } from "./steps";
import { PLAN_ACTIONS, type Plan, type PlanAction, type StepContext } from "@/lib/runs/types";

/**
 * The context every step's plan() reads with: the shared key's ARN when it exists, and an existing build project's
 * service role. Also what a drift verify (lib/drift) plans with.
 */
export async function planContext(o: LoadedOnboarding, actorEmail: string): Promise<StepContext> {
  const ctx = buildContext(o, actorEmail, {}, { ledger: await loadLedger(o.id) });
  // The key ARN, when the shared key exists already, so every document shows the real one; and the service role
  // of an existing build project, which the key and bucket policies grant.
  const [key, project] = await Promise.all([
    keyByAlias(ctx.clients.tools.kms, ctx.names.artifactStore.kmsAlias),
    ctx.spec.build.mode === "existing"
      ? ctx.clients.tools.codebuild.send(new BatchGetProjectsCommand({ names: [ctx.spec.build.projectName] }))
      : null,
  ]);
  if (key?.Arn) {
    ctx.outputs["tools.kms-key"] = { keyArn: key.Arn };
    ctx.store = { ...ctx.store, keyArn: key.Arn };
  }
  const role = project?.projects?.[0]?.serviceRole;
  // CodeBuild accepts a bare role name for serviceRole; policies need the ARN.
  const serviceRole = role && !role.startsWith("arn:") ? `arn:${ctx.names.partition}:iam::${ctx.names.toolsAccountId}:role/${role}` : role;
  if (serviceRole) ctx.outputs["tools.codebuild-project"] = { origin: "existing", serviceRole };
  return ctx;
}

/** Reads both accounts and describes every change. Makes no mutating call. */
export async function buildPlan(o: LoadedOnboarding, actorEmail: string): Promise<Plan> {
  const ctx = await planContext(o, actorEmail);
  const serviceRole = ctx.outputs["tools.codebuild-project"]?.serviceRole as string | undefined;
  const items = (await Promise.all(stepsFor(ctx.spec).map((s) => (s.planMany ? s.planMany(ctx) : s.plan(ctx).then((i) => [i]))))).flat();
  const summary = Object.fromEntries(PLAN_ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;
  for (const i of items) summary[i.action]++;
  return {
    onboardingId: o.id,
    createdAt: new Date().toISOString(),
    spec: ctx.spec,
    names: ctx.names,
    items,
    pipelineJson: pipelineDeclaration(ctx.spec, ctx.names, ctx.store),
    summary,
    cli: cliCommands(ctx.spec, ctx.names, ctx.store, { existingBuildRoleArn: serviceRole }),
  };
}
