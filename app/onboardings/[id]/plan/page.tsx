import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { isAllowed } from "@/lib/auth/access-table";
import { clientInfo } from "@/lib/auth/client-info";
import { activeRunOf, onboardingWithAccounts, pipelineNameOf } from "@/lib/onboarding/queries";
import { planOnboarding } from "@/lib/onboarding/service";
import type { Plan } from "@/lib/runs/types";
import { ApplyButton } from "@/components/onboardings/apply-button";
import { applyConfirmation } from "@/lib/onboarding/apply-confirmation";
import { CliCommands, PipelineJson, PlanContents, PlanItems, PlanKeyNote, PlanSummary } from "@/components/onboardings/plan-view";
import { planErrorOf, type PlanError } from "../../_lib/plan-error";
import { applyOnboardingAction } from "../../actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const pipelineName = await pipelineNameOf(id);
  return { title: pipelineName !== null ? `Plan for ${pipelineName}` : "Plan" };
}

function refsOf(plan: Plan, action: "adopt" | "conflict") {
  return plan.items
    .filter((i) => i.action === action)
    .map((i) => ({ stepKey: i.stepKey, title: i.title, name: i.name, accountId: i.accountId }));
}
export const dynamic = "force-dynamic";

export default async function PlanPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ updated?: string }>;
}) {
  const { id } = await params;
  const user = await requirePage("/onboardings/[id]/plan", `/onboardings/${id}/plan`);
  const { updated } = await searchParams;
  const o = await onboardingWithAccounts(id);
  if (!o) notFound();
  const active = await activeRunOf(id);

  let plan: Plan | null = null;
  let error: PlanError | null = null;
  try {
    plan = await planOnboarding(id, { user, client: await clientInfo() });
  } catch (e) {
    error = planErrorOf(e);
  }
  const nothingToChange = !!plan && plan.items.every((i) => i.action === "no-change");
  const canApply = isAllowed("onboardings.apply", user.role);

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500 dark:text-slate-400">
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
            Plan for <span className="font-mono">{o.pipelineName}</span>
          </h1>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            <span className="font-mono">
              {o.repositoryName}@{o.branchName}
            </span>{" "}
            in {o.repoAccount.name} → pipeline in {o.toolsAccount.name}, {o.region}
          </p>
        </div>
        {plan && (
          <a
            href={`/api/onboardings/${o.id}/plan`}
            download
            className="rounded border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
          >
            Download plan JSON
          </a>
        )}
      </div>

      {updated && (
        <p role="status" className="rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          Changes saved. The plan below shows what they change in AWS.
        </p>
      )}

      {error && (
        <div
          role="alert"
          className="space-y-2 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
          data-testid="plan-error"
        >
          <p className="font-semibold">{error.title}</p>
          <p className="break-words">{error.message}</p>
          {(error.code || error.requestId) && (
            <p className="text-xs opacity-80">
              {error.code && (
                <>
                  Error code <span className="font-mono">{error.code}</span>
                </>
              )}
              {error.requestId && (
                <>
                  {" "}
                  · AWS request id <span className="font-mono">{error.requestId}</span>
                </>
              )}
            </p>
          )}
          <p className="text-xs">
            Accounts:{" "}
            <Link href={`/accounts/${o.toolsAccount.id}`} className="underline">
              {o.toolsAccount.name}
            </Link>{" "}
            ·{" "}
            <Link href={`/accounts/${o.repoAccount.id}`} className="underline">
              {o.repoAccount.name}
            </Link>
            {isAllowed("/onboardings/[id]/edit", user.role) && (
              <>
                {" "}
                ·{" "}
                <Link href={`/onboardings/${o.id}/edit`} className="underline">
                  Edit the onboarding
                </Link>
              </>
            )}{" "}
            · Reload the page to plan again.
          </p>
        </div>
      )}

      {plan && (
        <>
          <PlanSummary plan={plan} />
          <PlanContents plan={plan} accounts={{ tools: o.toolsAccount.name, repo: o.repoAccount.name }} />
          {nothingToChange && (
            <p
              role="status"
              className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-200"
              data-testid="nothing-to-change"
            >
              <span className="font-semibold">Nothing to change.</span> Every resource in both accounts already matches this onboarding.
            </p>
          )}
          {active ? (
            <p className="rounded border border-sky-300 bg-sky-50 px-4 py-3 text-sm text-sky-900 dark:border-sky-700 dark:bg-sky-950 dark:text-sky-200">
              A run is in progress.{" "}
              <Link href={`/onboardings/${o.id}/runs/${active.id}`} className="font-medium underline">
                Follow it
              </Link>
              .
            </p>
          ) : canApply ? (
            <ApplyButton
              onboardingId={o.id}
              action={applyOnboardingAction}
              nothingToChange={nothingToChange}
              adoptions={refsOf(plan, "adopt")}
              conflicts={refsOf(plan, "conflict")}
              confirmation={applyConfirmation(plan.items, [o.toolsAccount, o.repoAccount])}
            />
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">Your role can read the plan; an engineer or an admin applies it.</p>
          )}

          <section aria-labelledby="resources-heading" className="space-y-4">
            <h2 id="resources-heading" className="text-lg font-semibold">
              Resources ({plan.items.length})
            </h2>
            <PlanItems plan={plan} accounts={{ tools: o.toolsAccount.name, repo: o.repoAccount.name }} />
          </section>

          <section aria-labelledby="pipeline-heading" className="space-y-3">
            <h2 id="pipeline-heading" className="text-lg font-semibold">
              Pipeline declaration
            </h2>
            <p className="text-sm text-slate-600 dark:text-slate-300">
              The complete structure sent to CodePipeline. The artifact store names the KMS key by its ARN: an alias resolves only inside
              its own account.
            </p>
            <PlanKeyNote plan={plan} />
            <PipelineJson plan={plan} />
          </section>

          <details id="cli" className="group space-y-3" data-testid="cli-section">
            <summary className="cursor-pointer">
              <h2 id="cli-heading" className="inline text-lg font-semibold">
                Equivalent AWS CLI commands ({plan.cli.length} steps)
              </h2>
              <span className="ml-2 text-sm text-slate-600 group-open:hidden dark:text-slate-300">Show</span>
            </summary>
            <div className="mt-3 space-y-3">
              <p className="text-sm text-slate-600 dark:text-slate-300">
                What a person would type to do the same by hand, in order. Save each file next to where the command runs.
              </p>
              <PlanKeyNote plan={plan} />
              <CliCommands plan={plan} />
            </div>
          </details>
        </>
      )}
    </div>
  );
}
