import "server-only";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { cliCommands } from "@/lib/policies/cli-commands";
import { pipelineDeclaration } from "@/lib/policies/pipeline-declaration";
import { readOrNull } from "./aws-errors";
import { buildContext, type LoadedOnboarding } from "./context";
import { stepsFor } from "./steps";
import type { Plan, PlanAction } from "./types";

/** Reads both accounts and describes every change. Makes no mutating call. */
export async function buildPlan(o: LoadedOnboarding, actorEmail: string): Promise<Plan> {
  const ctx = buildContext(o, actorEmail);
  // The key ARN, when the shared key exists already, so every document shows the real one.
  const key = await readOrNull(() => ctx.clients.tools.kms.send(new DescribeKeyCommand({ KeyId: ctx.names.artifactStore.kmsAlias })), "NotFoundException");
  if (key?.KeyMetadata?.Arn) {
    ctx.outputs["tools.kms-key"] = { keyArn: key.KeyMetadata.Arn };
    ctx.store = { ...ctx.store, keyArn: key.KeyMetadata.Arn };
  }
  const items = await Promise.all(stepsFor(ctx.spec).map((s) => s.plan(ctx)));
  const summary = { create: 0, update: 0, "no-change": 0, adopt: 0 } as Record<PlanAction, number>;
  for (const i of items) summary[i.action]++;
  return {
    onboardingId: o.id,
    createdAt: new Date().toISOString(),
    spec: ctx.spec,
    names: ctx.names,
    items,
    pipelineJson: pipelineDeclaration(ctx.spec, ctx.names, ctx.store),
    summary,
    cli: cliCommands(ctx.spec, ctx.names, ctx.store),
  };
}
