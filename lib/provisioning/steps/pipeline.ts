import {
  CreatePipelineCommand,
  GetPipelineCommand,
  ListTagsForResourceCommand,
  UpdatePipelineCommand,
  type PipelineDeclaration,
} from "@aws-sdk/client-codepipeline";
import { createPipelineInput, pipelineDeclaration } from "@/lib/policies/pipeline-declaration";
import { PORTAL_TAG_KEY } from "@/lib/policies/types";
import { readOrNull } from "@/lib/core/aws-errors";
import { isSubset } from "../compare";
import { item, plainDocument } from "../plan-item";
import { StepFailure } from "@/lib/core/errors";
import type { StepContext, StepDefinition } from "@/lib/runs/types";

async function readPipeline(ctx: StepContext) {
  const cp = ctx.clients.tools.codepipeline;
  const got = await readOrNull(() => cp.send(new GetPipelineCommand({ name: ctx.names.pipeline.name })), "PipelineNotFoundException");
  if (!got?.pipeline) return null;
  const tags = await cp.send(new ListTagsForResourceCommand({ resourceArn: ctx.names.pipeline.arn }));
  const tag = tags.tags?.find((t) => t.key === PORTAL_TAG_KEY)?.value;
  return { pipeline: got.pipeline, tag };
}

function refuseForeign(ctx: StepContext, tag: string | undefined) {
  if (tag !== ctx.spec.onboardingId) {
    throw new StepFailure(
      "PipelineNameInUse",
      `A pipeline named ${ctx.names.pipeline.name} already exists in account ${ctx.names.toolsAccountId} (${ctx.names.region}) and was ${tag ? "created by another onboarding" : "not created by the portal"}. Choose another pipeline name; the portal does not take over pipelines it did not create.`,
    );
  }
}

/** Compared without the fields AWS manages (version) so a re-apply on an unchanged pipeline makes no call. */
function sameDeclaration(current: PipelineDeclaration, desired: ReturnType<typeof pipelineDeclaration>) {
  const { version: _v, ...wanted } = desired as typeof desired & { version?: number };
  return isSubset(wanted, current);
}

export const pipelineStep: StepDefinition = {
  key: "tools.pipeline",
  title: "Pipeline",
  account: "tools",
  dependsOn: ["tools.pipeline-role", "repo.cross-account-role", "tools.key-policy", "tools.bucket-policy", "tools.codebuild-project"],
  async plan(ctx) {
    const desired = pipelineDeclaration(ctx.spec, ctx.names, ctx.store);
    const current = await readPipeline(ctx);
    if (current) refuseForeign(ctx, current.tag);
    const same = !!current && sameDeclaration(current.pipeline, desired);
    return item(pipelineStep, ctx, {
      kind: "codepipeline",
      name: ctx.names.pipeline.name,
      arn: ctx.names.pipeline.arn,
      action: !current ? "create" : same ? "no-change" : "update",
      reason: !current ? "does not exist; creating it starts a first execution" : same ? "matches" : "declaration differs",
      documents: [plainDocument("Pipeline declaration", current?.pipeline ?? null, desired, same)],
    });
  },
  async apply(ctx) {
    const cp = ctx.clients.tools.codepipeline;
    const input = createPipelineInput(ctx.spec, ctx.names, ctx.store);
    const current = await readPipeline(ctx);
    if (!current) {
      await cp.send(new CreatePipelineCommand(input as never));
      return { pipelineArn: ctx.names.pipeline.arn, pipelineName: ctx.names.pipeline.name, origin: "created" };
    }
    refuseForeign(ctx, current.tag);
    if (!sameDeclaration(current.pipeline, input.pipeline)) {
      await cp.send(new UpdatePipelineCommand({ pipeline: { ...input.pipeline, version: current.pipeline.version } as never }));
    }
    return { pipelineArn: ctx.names.pipeline.arn, pipelineName: ctx.names.pipeline.name, origin: "created" };
  },
};
