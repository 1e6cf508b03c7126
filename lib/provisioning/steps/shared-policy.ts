import { GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { keyPolicyFor } from "@/lib/policies/kms-key-policy";
import { bucketPolicyFor } from "@/lib/policies/bucket-policy";
import { parsePolicyDocument, policyEquals } from "@/lib/policies/merge";
import { foreignStalePrincipals } from "@/lib/policies/principals";
import { canonicalJson } from "@/lib/policies/canonical-json";
import { describeFindings, disallowedPrincipals } from "@/lib/policies/resource-policy-principals";
import { db } from "@/lib/db";
import type { PolicyDocument } from "@/lib/policies/types";
import { readOrNull } from "@/lib/core/aws-errors";
import { withResourceLock } from "@/lib/runs/resource-lock";
import { item, policyDocument } from "../plan-item";
import { StepFailure } from "@/lib/core/errors";
import type { StepContext, StepDefinition } from "@/lib/runs/types";

/** The service role of the existing CodeBuild project this onboarding uses, once that step has read it. */
function existingBuildRole(ctx: StepContext): string | undefined {
  const out = ctx.outputs["tools.codebuild-project"];
  return out?.origin === "existing" && typeof out.serviceRole === "string" ? out.serviceRole : undefined;
}

/** AWS refuses to store a policy that still names a deleted principal by its unique id: say which statement. */
function assertNoForeignStalePrincipal(title: string, where: string, current: PolicyDocument | undefined) {
  const stale = foreignStalePrincipals(current);
  if (!stale.length) return;
  const list = stale.map((s) => `${s.sid} (${s.ids.join(", ")})`).join("; ");
  throw new StepFailure(
    "StalePrincipalInPolicy",
    `The ${title.toLowerCase()} of ${where} has statements the portal did not write that name deleted principals by their unique ids: ${list}. AWS refuses to store any policy that still contains them, so the portal cannot add its grant. Remove those principals (or statements) from the policy, then resume.`,
  );
}

/**
 * The statements the portal is about to write (new or changed against `current`) may let in only registered accounts,
 * and "*" only with a condition (resource-policy-principals.ts): IAM cannot check a policy's content, the portal does.
 */
async function assertPrincipalsRegistered(
  ctx: StepContext,
  title: string,
  where: string,
  current: PolicyDocument | undefined,
  desired: PolicyDocument,
) {
  const before = new Set((current?.Statement ?? []).map((s) => canonicalJson(s)));
  const written = desired.Statement.filter((s) => !before.has(canonicalJson(s)));
  if (!written.length) return;
  const registered = (await db.awsAccount.findMany({ select: { accountId: true } })).map((a) => a.accountId);
  const findings = disallowedPrincipals({ ...desired, Statement: written }, [
    ...registered,
    ctx.names.toolsAccountId,
    ctx.names.repoAccountId,
  ]);
  if (!findings.length) return;
  throw new StepFailure(
    "PrincipalNotRegistered",
    `The ${title.toLowerCase()} of ${where} would let in principals the portal may not grant: ${describeFindings(findings)}. The portal writes only principals of registered accounts, and "*" only with a condition. Nothing was written.`,
  );
}

interface SharedPolicy {
  key: string;
  /** Whether other onboardings' statements live in the same document. */
  shared: boolean;
  title: string;
  kind: string;
  dependsOn: string[];
  name: (ctx: StepContext) => string;
  arn: (ctx: StepContext) => string;
  read: (ctx: StepContext) => Promise<PolicyDocument | undefined>;
  desired: (ctx: StepContext, current: PolicyDocument | undefined) => PolicyDocument;
  write: (ctx: StepContext, doc: PolicyDocument) => Promise<unknown>;
}

function parse(text: string | undefined): PolicyDocument | undefined {
  if (!text) return undefined;
  const r = parsePolicyDocument(text);
  return r.ok ? r.document : undefined;
}

/**
 * A policy shared by several onboardings. The portal owns its statements by Sid and merges them into what
 * AWS has; writes are serialized per resource within the process, and the result is read back so a writer
 * elsewhere that raced us is noticed and merged again instead of silently losing a grant.
 */
function sharedPolicyStep(def: SharedPolicy): StepDefinition {
  const step: StepDefinition = {
    key: def.key,
    title: def.title,
    account: "tools",
    dependsOn: def.dependsOn,
    async plan(ctx) {
      const current = await def.read(ctx);
      const desired = def.desired(ctx, current);
      const same = !!current && policyEquals(current, desired);
      return item(step, ctx, {
        kind: def.kind,
        name: def.name(ctx),
        arn: def.arn(ctx),
        action: same ? "no-change" : current ? "update" : "create",
        reason: same
          ? "this onboarding's statements are present"
          : current
            ? "adds or updates this onboarding's statements; statements the portal did not write are kept"
            : "no policy yet",
        shared: def.shared,
        documents: [policyDocument(def.title, current ?? null, desired)],
      });
    },
    async apply(ctx) {
      return withResourceLock(`${def.kind}:${def.arn(ctx)}`, async () => {
        for (let attempt = 1; attempt <= 5; attempt++) {
          const current = await def.read(ctx);
          const desired = def.desired(ctx, current);
          if (current && policyEquals(current, desired)) return { arn: def.arn(ctx), changed: attempt > 1 };
          assertNoForeignStalePrincipal(def.title, def.name(ctx), current);
          await assertPrincipalsRegistered(ctx, def.title, def.name(ctx), current, desired);
          await def.write(ctx, desired);
          const after = await def.read(ctx);
          if (after && policyEquals(after, def.desired(ctx, after)) && policyEquals(after, desired))
            return { arn: def.arn(ctx), changed: true };
        }
        throw new Error(`${def.title} kept changing under the portal: another writer is editing it concurrently.`);
      });
    },
  };
  return step;
}

export const keyPolicyStep = sharedPolicyStep({
  key: "tools.key-policy",
  shared: true,
  title: "Key policy",
  kind: "kms-key-policy",
  dependsOn: ["tools.kms-key", "tools.pipeline-role", "repo.cross-account-role", "tools.codebuild-project"],
  name: (ctx) => ctx.names.artifactStore.kmsAlias,
  arn: (ctx) => ctx.store.keyArn,
  async read(ctx) {
    if (!ctx.outputs["tools.kms-key"]?.keyArn) return undefined;
    const r = await readOrNull(
      () => ctx.clients.tools.kms.send(new GetKeyPolicyCommand({ KeyId: ctx.store.keyArn, PolicyName: "default" })),
      "NotFoundException",
    );
    return parse(r?.Policy);
  },
  desired: (ctx, current) => keyPolicyFor(current, ctx.spec, ctx.names, ctx.store, existingBuildRole(ctx)),
  write: (ctx, doc) =>
    ctx.clients.tools.kms.send(new PutKeyPolicyCommand({ KeyId: ctx.store.keyArn, PolicyName: "default", Policy: JSON.stringify(doc) })),
});

export const bucketPolicyStep = sharedPolicyStep({
  key: "tools.bucket-policy",
  shared: false,
  title: "Bucket policy",
  kind: "s3-bucket-policy",
  dependsOn: ["tools.bucket", "repo.cross-account-role", "tools.codebuild-project"],
  name: (ctx) => ctx.names.artifactStore.bucketName,
  arn: (ctx) => ctx.names.artifactStore.bucketArn,
  async read(ctx) {
    const r = await readOrNull(
      () => ctx.clients.tools.s3.send(new GetBucketPolicyCommand({ Bucket: ctx.names.artifactStore.bucketName })),
      "NoSuchBucketPolicy",
      "NoSuchBucket",
      "NotFound",
    );
    return parse(r?.Policy);
  },
  desired: (ctx, current) => bucketPolicyFor(current, ctx.spec, ctx.names, ctx.store, existingBuildRole(ctx)),
  write: (ctx, doc) =>
    ctx.clients.tools.s3.send(new PutBucketPolicyCommand({ Bucket: ctx.names.artifactStore.bucketName, Policy: JSON.stringify(doc) })),
});
