import { DeletePipelineCommand, GetPipelineCommand, ListTagsForResourceCommand } from "@aws-sdk/client-codepipeline";
import { PORTAL_TAG_KEY } from "@/lib/policies/types";
import { isAwsError, readOrNull } from "@/lib/provisioning/aws-errors";
import type { LedgerRow, StepContext } from "@/lib/provisioning/types";
import { ADOPTED_REASON, destroyStep, ledgerRows, retired, teardownItem } from "./common";

async function deletePipeline(ctx: StepContext, r: LedgerRow) {
  const cp = ctx.clients.tools.codepipeline;
  const got = await readOrNull(() => cp.send(new GetPipelineCommand({ name: r.name })), "PipelineNotFoundException");
  if (!got?.pipeline) return;
  const tags = await cp.send(new ListTagsForResourceCommand({ resourceArn: r.arn }));
  if (tags.tags?.find((t) => t.key === PORTAL_TAG_KEY)?.value !== ctx.spec.onboardingId) return;
  try {
    await cp.send(new DeletePipelineCommand({ name: r.name }));
  } catch (e) {
    if (!isAwsError(e, "PipelineNotFoundException")) throw e;
  }
}

export const destroyPipelineStep = destroyStep({
  key: "destroy.tools.pipeline",
  title: "Pipeline",
  account: "tools",
  // The rules first: nothing starts the pipeline while it is being deleted.
  dependsOn: ["destroy.tools.start-on-push-rule", "destroy.repo.forward-push-rule", "destroy.tools.notifications"],
  async planItems(ctx) {
    return ledgerRows(ctx, "codepipeline", ctx.names.toolsAccountId).map((r) =>
      teardownItem(destroyPipelineStep, ctx, {
        kind: "codepipeline",
        name: r.name,
        arn: r.arn,
        action: r.origin === "created" ? "delete" : "keep",
        reason: r.origin === "created" ? "deleted with its execution history in CodePipeline (the portal's audit history stays)" : ADOPTED_REASON,
      }),
    );
  },
  async apply(ctx) {
    const rows = ledgerRows(ctx, "codepipeline", ctx.names.toolsAccountId).filter((r) => r.origin === "created");
    for (const r of rows) await deletePipeline(ctx, r);
    return retired(rows);
  },
});
