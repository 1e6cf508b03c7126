import { titleFor } from "@/lib/ui/page-title";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { isAllowed } from "@/lib/auth/access-table";
import { auditHistoryHref } from "@/lib/audit/links";
import { isSandbox } from "@/lib/config/env";
import { pipelineNameOf } from "@/lib/onboarding/queries";
import { pipelineTarget } from "@/lib/pipelines/queries";
import {
  executionHistory,
  pipelineDeclaration,
  pipelineSnapshot,
  readFailure,
  refOf,
  type Declaration,
  type HistoryPage,
} from "@/lib/pipelines/read";
import { approvalCards } from "@/lib/pipelines/approvals";
import { isActive } from "@/lib/pipelines/format";
import { parseHistoryParams } from "@/lib/pipelines/validation";
import type { PlainError } from "@/lib/pipelines/types";
import { ApprovalForm, PushForm, StartForm, StopForm } from "@/components/pipelines/command-forms";
import { ApprovalCard } from "@/components/pipelines/approval-card";
import { HistoryTable } from "@/components/pipelines/history-table";
import { CommandFeedbackBanner, CommandFeedbackProvider } from "@/components/pipelines/command-feedback";
import { LiveRefresh } from "@/components/pipelines/live-refresh";
import { PipelineDiagram } from "@/components/pipelines/pipeline-diagram";
import { PipelineHeader } from "@/components/pipelines/pipeline-header";
import { Revision } from "@/components/pipelines/revision";
import { PipelineStatusBadge } from "@/components/pipelines/status";
import { PushGap } from "@/components/explain/push-gap";
import { detectPushGap, type Explanation } from "@/lib/explain";
import { answerApprovalAction, retryStageAction, simulatePushAction, startPipelineAction, stopPipelineAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return titleFor("/pipelines/[id]", "Pipeline", async () => {
    const pipelineName = await pipelineNameOf(id);
    return pipelineName && `Pipeline ${pipelineName}`;
  });
}
export const dynamic = "force-dynamic";

export default async function PipelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const user = await requirePage("/pipelines/[id]", `/pipelines/${id}`);
  const t = await pipelineTarget(id);
  if (!t) notFound();
  const o = refOf(t);
  const builder = isAllowed("pipelines.start", user.role);

  if (!t.pipelineArn) {
    return (
      <div className="space-y-6">
        <PipelineHeader o={o} />
        <p
          className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300"
          data-testid="not-provisioned"
        >
          {t.status === "offboarded" ? (
            // No plan is offered for an offboarded onboarding (lib/drift/page-view.ts): only its history.
            <>
              This pipeline was offboarded: the portal deleted it.{" "}
              <Link href={`/onboardings/${o.id}`} className="text-indigo-700 underline dark:text-indigo-300">
                Its onboarding
              </Link>{" "}
              keeps the runs and history.
            </>
          ) : (
            <>
              This pipeline does not exist yet.{" "}
              <Link href={`/onboardings/${o.id}/plan`} className="text-indigo-700 underline dark:text-indigo-300">
                Review the plan
              </Link>{" "}
              and apply it to create it.
            </>
          )}
        </p>
      </div>
    );
  }

  const paging = parseHistoryParams(await searchParams);
  const snapshot = await pipelineSnapshot(t, user.email);
  const [declaration, history] = await Promise.all([
    snapshot.error && !snapshot.stages.length
      ? Promise.resolve(null)
      : pipelineDeclaration(t, snapshot.pipelineVersion, user.email).catch((): Declaration | null => null),
    executionHistory(t, paging.page, user.email).catch((e): HistoryPage & { error: PlainError } => ({
      executions: [],
      error: readFailure(e, t, "codepipeline:ListPipelineExecutions"),
    })),
  ]);
  const historyError = (history as { error?: PlainError }).error;
  // A commit on the branch that never started the pipeline, and the broken link of the EventBridge chain (cached briefly).
  const pushGap = await detectPushGap(o.id, user.email).catch((e): Explanation[] => {
    console.warn(`[explain] push check for ${o.pipelineName} failed: ${(e as Error).name}`);
    return [];
  });
  const now = Date.now();
  const latest = snapshot.latest;
  const pipelineType = declaration?.pipelineType ?? t.pipelineType;
  const approvals = await approvalCards(t, snapshot, user.email, builder);
  // GetPipelineState itself failed: nothing is known about runs, so say that instead of "Never run".
  const stateUnreadable = Boolean(snapshot.error && !snapshot.stages.length);
  const sandbox = isSandbox();
  const qs = (page: string | undefined, back: string[]) => {
    const q = new URLSearchParams();
    if (page) q.set("page", page);
    if (back.length) q.set("back", back.join(" "));
    const s = q.toString();
    return `/pipelines/${o.id}${s ? `?${s}` : ""}#history`;
  };

  return (
    <CommandFeedbackProvider>
      <div className="space-y-6">
        <PipelineHeader
          o={o}
          badge={
            <PipelineStatusBadge
              status={stateUnreadable ? "unknown" : latest?.status}
              label={latest ? undefined : stateUnreadable ? "State unknown" : "Never run"}
              testId="pipeline-status"
            />
          }
          links={
            isAllowed("/admin/audit", user.role) ? (
              <Link
                href={auditHistoryHref({ targetType: "pipeline", targetId: o.id })}
                className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
              >
                Audit history
              </Link>
            ) : undefined
          }
        />
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm dark:border-slate-700 dark:bg-slate-900">
          <LiveRefresh dataAt={snapshot.fetchedAt} serverNow={now} intervalMs={5_000} />
          {latest && (
            <span className="flex min-w-0 items-center gap-2">
              <span className="text-slate-500 dark:text-slate-400">Latest</span>
              <Link
                href={`/pipelines/${o.id}/executions/${latest.id}`}
                prefetch={false}
                className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
                data-testid="latest-execution-link"
              >
                {latest.id.slice(0, 8)}
              </Link>
              <span className="min-w-0 max-w-md">
                <Revision revision={latest.sourceRevisions[0]} compact />
              </span>
            </span>
          )}
        </div>

        <CommandFeedbackBanner />

        {snapshot.error && (
          <div
            role="alert"
            className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
            data-testid="pipeline-error"
          >
            <p>{stateUnreadable ? `Could not read the pipeline's state: ${snapshot.error.message}` : snapshot.error.message}</p>
            {snapshot.error.code && (
              <p className="mt-1 text-xs opacity-80">
                {snapshot.error.code}
                {snapshot.error.requestId ? ` · AWS request id ${snapshot.error.requestId}` : ""}
              </p>
            )}
          </div>
        )}

        <PushGap items={pushGap} />

        {builder ? (
          <section
            aria-labelledby="commands-heading"
            className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2 dark:border-slate-700 dark:bg-slate-900"
            data-testid="commands"
          >
            <h2 id="commands-heading" className="sr-only">
              Commands
            </h2>
            <div>
              <h3 className="mb-2 text-sm font-semibold text-slate-800 dark:text-slate-200">Start a new execution</h3>
              <StartForm action={startPipelineAction} onboardingId={o.id} pipelineType={pipelineType} />
            </div>
            <div>
              <h3 className="mb-2 text-sm font-semibold text-slate-800 dark:text-slate-200">Stop the running execution</h3>
              {stateUnreadable ? (
                <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="stop-unknown">
                  Unknown: the pipeline&apos;s state could not be read (see above).
                </p>
              ) : latest && isActive(latest.status) ? (
                <StopForm
                  key={latest.id}
                  action={stopPipelineAction}
                  onboardingId={o.id}
                  pipelineName={o.pipelineName}
                  executionId={latest.id}
                  stopping={latest.status === "Stopping"}
                  revision={latest.sourceRevisions[0]}
                />
              ) : (
                <p className="text-sm text-slate-500 dark:text-slate-400">Nothing is running.</p>
              )}
            </div>
            {sandbox && (
              <div className="md:col-span-2 border-t border-slate-100 pt-3 dark:border-slate-800">
                <h3 className="mb-2 text-sm font-semibold text-slate-800 dark:text-slate-200">
                  Simulate a push{" "}
                  <span className="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-200">
                    sandbox
                  </span>
                </h3>
                <PushForm action={simulatePushAction} onboardingId={o.id} target={`${o.repositoryName}@${o.branchName}`} />
              </div>
            )}
          </section>
        ) : (
          <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="read-only-note">
            Your role can follow this pipeline; engineers and admins can start, stop, retry and approve.
          </p>
        )}

        {approvals.length > 0 && (
          <section
            aria-labelledby="approvals-heading"
            className="space-y-3 rounded-lg border border-sky-300 bg-sky-50 p-4 dark:border-sky-700 dark:bg-sky-950"
            data-testid="approvals"
          >
            <h2 id="approvals-heading" className="font-semibold text-sky-900 dark:text-sky-100">
              Waiting for approval
            </h2>
            {approvals.map((c) => (
              <ApprovalCard key={`${c.stageName}/${c.actionName}/${c.executionId}`} card={c} onboardingId={o.id}>
                {c.problem ? (
                  <p role="alert" className="text-sm text-red-800 dark:text-red-200" data-testid="approval-problem">
                    {c.problem}
                  </p>
                ) : builder && c.token ? (
                  <ApprovalForm
                    key={c.token}
                    action={answerApprovalAction}
                    onboardingId={o.id}
                    stageName={c.stageName}
                    actionName={c.actionName}
                    executionId={c.executionId}
                    revision={c.revision}
                    token={c.token}
                  />
                ) : (
                  <p className="text-sm text-slate-600 dark:text-slate-300">An engineer or an admin approves or rejects it.</p>
                )}
              </ApprovalCard>
            ))}
          </section>
        )}

        <section aria-labelledby="diagram-heading" className="space-y-2">
          <h2 id="diagram-heading" className="text-lg font-semibold">
            Stages
          </h2>
          {stateUnreadable ? (
            <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="stages-unknown">
              Could not read the pipeline&apos;s state: {snapshot.error!.message}
            </p>
          ) : snapshot.stages.length ? (
            <PipelineDiagram
              onboardingId={o.id}
              stages={snapshot.stages}
              declaration={declaration}
              now={now}
              retryAction={builder ? retryStageAction : undefined}
            />
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">The pipeline&apos;s stages could not be read.</p>
          )}
        </section>

        <section aria-labelledby="history" className="space-y-2">
          <h2 id="history" className="text-lg font-semibold">
            Execution history
          </h2>
          {paging.problem && <p className="text-sm text-amber-800 dark:text-amber-200">{paging.problem}</p>}
          {historyError ? (
            <p
              role="alert"
              className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
              data-testid="history-error"
            >
              {historyError.message}{" "}
              <Link href={qs(undefined, [])} className="underline">
                Newest executions
              </Link>
            </p>
          ) : history.executions.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300">
              No executions yet.
            </p>
          ) : (
            <HistoryTable
              onboardingId={o.id}
              executions={history.executions}
              now={now}
              stop={builder ? { action: stopPipelineAction, pipelineName: o.pipelineName } : undefined}
            />
          )}
          <nav aria-label="History pages" className="flex gap-4 text-sm">
            {paging.page && (
              <>
                <Link href={qs(undefined, [])} className="text-indigo-700 hover:underline dark:text-indigo-300">
                  « Newest
                </Link>
                <Link
                  href={qs(paging.back.at(-1) === "-" ? undefined : paging.back.at(-1), paging.back.slice(0, -1))}
                  className="text-indigo-700 hover:underline dark:text-indigo-300"
                  data-testid="history-newer"
                >
                  ‹ Newer
                </Link>
              </>
            )}
            {history.nextToken && (
              <Link
                href={qs(history.nextToken, [...paging.back, paging.page ?? "-"])}
                className="text-indigo-700 hover:underline dark:text-indigo-300"
                data-testid="history-older"
              >
                Older ›
              </Link>
            )}
          </nav>
        </section>
      </div>
    </CommandFeedbackProvider>
  );
}
