import "server-only";
import { db } from "@/lib/db";
import { accountClients } from "@/lib/aws/clients";
import { deriveResourceNames } from "@/lib/names/derive";
import type { ArtifactStore } from "@/lib/policies/types";
import { specOf } from "./spec";
import { outputOf, type LedgerRow, type StepContext, type StepOutput } from "./types";

/** Shown in a plan for a key that does not exist yet; replaced by the real ARN once the key is created. */
export function placeholderKeyArn(region: string, account: string) {
  return `arn:aws:kms:${region}:${account}:key/00000000-0000-0000-0000-000000000000`;
}

export function storeOf(ctx: Pick<StepContext, "names">, outputs: Record<string, StepOutput>): ArtifactStore {
  const keyArn = outputOf(outputs, "tools.kms-key")?.keyArn;
  return {
    bucketName: ctx.names.artifactStore.bucketName,
    keyAlias: ctx.names.artifactStore.kmsAlias,
    keyArn: typeof keyArn === "string" ? keyArn : placeholderKeyArn(ctx.names.region, ctx.names.toolsAccountId),
  };
}

export async function loadOnboarding(id: string) {
  return db.onboarding.findUniqueOrThrow({ where: { id }, include: { toolsAccount: true, repoAccount: true } });
}

export type LoadedOnboarding = Awaited<ReturnType<typeof loadOnboarding>>;

/** What the ledger records for an onboarding, as steps see it. */
export async function loadLedger(onboardingId: string): Promise<LedgerRow[]> {
  return db.provisionedResource.findMany({
    where: { onboardingId },
    select: { id: true, accountId: true, region: true, kind: true, name: true, arn: true, origin: true, shared: true },
  });
}

interface ContextExtras {
  confirmedAdoptions?: Iterable<string>;
  ledger?: LedgerRow[];
  teardown?: StepContext["teardown"];
}

/** Everything a step needs, acting as `actorEmail` (SourceIdentity) in both accounts. */
export function buildContext(
  o: LoadedOnboarding,
  actorEmail: string,
  outputs: Record<string, StepOutput> = {},
  extras: ContextExtras = {},
): StepContext {
  const spec = specOf(o);
  const names = deriveResourceNames(spec);
  const clients = {
    tools: accountClients({ roleArn: o.toolsAccount.roleArn, externalId: o.toolsAccount.externalId, actorEmail, region: o.region }),
    repo: accountClients({ roleArn: o.repoAccount.roleArn, externalId: o.repoAccount.externalId, actorEmail, region: o.region }),
  };
  const ctx: StepContext = {
    spec,
    names,
    clients,
    outputs,
    store: { bucketName: "", keyAlias: "", keyArn: "" },
    confirmedAdoptions: new Set(extras.confirmedAdoptions ?? []),
    ledger: extras.ledger ?? [],
    ...(extras.teardown ? { teardown: extras.teardown } : {}),
  };
  ctx.store = storeOf(ctx, outputs);
  return ctx;
}
