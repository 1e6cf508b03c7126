import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { clientInfo } from "@/lib/auth/client-info";
import { activeRunOf, onboardingWithAccounts, pipelineNameOf } from "@/lib/onboarding/queries";
import { teardownPlan } from "@/lib/teardown/service";
import { teardownGroups } from "@/lib/teardown/plan";
import { teardownChoicesSchema } from "@/lib/runs/run-plan";
import type { Plan } from "@/lib/runs/types";
import { PlanItems } from "@/components/onboardings/plan-view";
import { OffboardForm } from "@/components/onboardings/offboard-form";
import { planErrorOf, type PlanError } from "../../_lib/plan-error";
import { offboardOnboardingAction } from "../../actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const pipelineName = await pipelineNameOf(id);
  return { title: pipelineName !== null ? `Offboard ${pipelineName}` : "Offboard" };
}
export const dynamic = "force-dynamic";

const GROUPS = [
  {
    key: "remove",
    heading: "Deleted",
    note: "Created by the portal for this onboarding, and still its own in AWS: the recorded ARN, carrying this onboarding's tags (checked again right before each deletion).",
  },
  {
    key: "statements",
    heading: "Shared policy statements removed",
    note: "Only this onboarding's grants; statements the portal did not write stay.",
  },
  {
    key: "keep",
    heading: "Kept",
    note: "Adopted, still used by another onboarding, retained by your choice, not this onboarding's own (tagged for another onboarding or untagged), or the old shared bucket of naming v1.",
  },
] as const;

export default async function OffboardPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const user = await requirePage("/onboardings/[id]/offboard", `/onboardings/${id}/offboard`);
  const q = await searchParams;
  const o = await onboardingWithAccounts(id);
  if (!o) notFound();
  const parsed = teardownChoicesSchema.safeParse({
    deleteBucket: q.deleteBucket === "on",
    deleteKey: q.deleteKey === "on",
    keyWaitingDays: q.keyWaitingDays ? Number(q.keyWaitingDays) : undefined,
  });
  const options = parsed.success ? parsed.data : { deleteBucket: q.deleteBucket === "on", deleteKey: false, keyWaitingDays: 30 };
  const active = await activeRunOf(id);

  let plan: Plan | null = null;
  let error: PlanError | null = null;
  if (o.status !== "offboarded") {
    try {
      plan = await teardownPlan(id, options, { user, client: await clientInfo() });
    } catch (e) {
      error = planErrorOf(e);
    }
  }
  const groups = plan ? teardownGroups(plan.items) : null;
  const keyItem = plan?.items.find((i) => i.kind === "kms-key");
  const keyDeletable = !!keyItem && (keyItem.action === "delete" || keyItem.reason.startsWith("retained by choice"));

  return (
    <div className="space-y-8 text-slate-900 dark:text-slate-100">
      <div>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          <Link href="/" className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
            Pipelines
          </Link>{" "}
          /{" "}
          <Link href={`/onboardings/${o.id}`} className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
            {o.pipelineName}
          </Link>{" "}
          /
        </p>
        <h1 className="text-2xl font-semibold">
          Offboard <span className="font-mono break-all">{o.pipelineName}</span>
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Deletes what the portal created for{" "}
          <span className="font-mono">
            {o.repositoryName}@{o.branchName}
          </span>
          , in this order: rules, pipeline, project, roles, shared statements, then the bucket and key as you choose. The onboarding&apos;s
          history and audit stay.
        </p>
      </div>
      {o.status === "offboarded" && (
        <p role="status" className="rounded border border-slate-300 bg-white px-4 py-3 text-sm dark:border-slate-700 dark:bg-slate-900">
          This onboarding is offboarded.
        </p>
      )}
      {!parsed.success && (
        <p
          role="alert"
          className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          {parsed.error.issues[0]?.message}: the plan below uses the default waiting period.
        </p>
      )}
      {error && (
        <div
          role="alert"
          className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          data-testid="plan-error"
        >
          <p className="font-semibold">{error.title}</p>
          <p className="break-words">{error.message}</p>
        </div>
      )}
      {plan && groups && (
        <>
          <div
            className="flex flex-wrap gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm dark:border-slate-700 dark:bg-slate-900"
            data-testid="teardown-summary"
          >
            <span>
              <span className="text-lg font-semibold tabular-nums" data-testid="count-delete">
                {groups.remove.length}
              </span>{" "}
              deleted
            </span>
            <span>
              <span className="text-lg font-semibold tabular-nums" data-testid="count-statements">
                {groups.statements.length}
              </span>{" "}
              shared statements removed
            </span>
            <span>
              <span className="text-lg font-semibold tabular-nums" data-testid="count-keep">
                {groups.keep.length}
              </span>{" "}
              kept
            </span>
          </div>
          {GROUPS.map((g) => {
            const items = groups[g.key];
            if (!items.length) return null;
            return (
              <section key={g.key} aria-labelledby={`group-${g.key}`} className="space-y-3" data-testid={`teardown-group-${g.key}`}>
                <h2 id={`group-${g.key}`} className="text-lg font-semibold">
                  {g.heading} ({items.length})
                </h2>
                <p className="text-sm text-slate-600 dark:text-slate-300">{g.note}</p>
                <PlanItems
                  plan={{ ...plan!, items }}
                  accounts={{ tools: o.toolsAccount.name, repo: o.repoAccount.name }}
                  idPrefix={`${g.key}-items`}
                  labelledBy={`group-${g.key}`}
                />
              </section>
            );
          })}
          {active ? (
            <p className="rounded border border-sky-300 bg-sky-50 px-4 py-3 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100">
              A run is in progress.{" "}
              <Link href={`/onboardings/${o.id}/runs/${active.id}`} className="font-medium underline">
                Follow it
              </Link>
              .
            </p>
          ) : (
            <OffboardForm
              onboardingId={o.id}
              pipelineName={o.pipelineName}
              action={offboardOnboardingAction}
              options={options}
              keyDeletable={keyDeletable}
            />
          )}
        </>
      )}
    </div>
  );
}
