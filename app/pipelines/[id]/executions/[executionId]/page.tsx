import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { isAllowed } from "@/lib/auth/access-table";
import { pipelineNameOf } from "@/lib/onboarding/queries";
import { pipelineTarget } from "@/lib/pipelines/queries";
import { executionDetail, pipelineDeclaration, pipelineSnapshot, readFailure, refOf } from "@/lib/pipelines/read";
import { executionConsoleUrl, executionDuration, isActive, triggerLabel, triggerWho, utc } from "@/lib/pipelines/format";
import type { ExecutionDetail, PlainError } from "@/lib/pipelines/types";
import { ActionExecutions } from "@/components/pipelines/action-executions";
import { RetryForm, StopForm } from "@/components/pipelines/command-forms";
import { CommandFeedbackBanner, CommandFeedbackProvider } from "@/components/pipelines/command-feedback";
import { LiveRefresh } from "@/components/pipelines/live-refresh";
import { PipelineHeader } from "@/components/pipelines/pipeline-header";
import { Revision } from "@/components/pipelines/revision";
import { PipelineStatusBadge } from "@/components/pipelines/status";
import { WhyFailed } from "@/components/explain/why-failed";
import { explainExecution, type ExecutionExplanation } from "@/lib/explain";
import { explanationFor } from "@/lib/explain/log-access";
import { retryStageAction, stopPipelineAction } from "../../../actions";
import { titleFor } from "@/lib/ui/page-title";

export async function generateMetadata({ params }: { params: Promise<{ id: string; executionId: string }> }) {
  const { id, executionId } = await params;
  return titleFor("/pipelines/[id]/executions/[executionId]", "Pipeline execution", async () => {
    const pipelineName = await pipelineNameOf(id);
    return pipelineName && `Execution ${executionId.slice(0, 8)} · ${pipelineName}`;
  });
}
export const dynamic = "force-dynamic";

const EXECUTION_ID = /^[0-9a-zA-Z-]{1,200}$/;

export default async function ExecutionPage({ params }: { params: Promise<{ id: string; executionId: string }> }) {
  const { id, executionId } = await params;
  const user = await requirePage("/pipelines/[id]/executions/[executionId]", `/pipelines/${id}/executions/${executionId}`);
  const t = await pipelineTarget(id);
  if (!t) notFound();
  const o = refOf(t);
  const crumbs = [{ href: `/pipelines/${o.id}`, label: o.pipelineName }];
  const shortId = executionId.slice(0, 8);
  const title = (
    <span>
      Execution <span className="font-mono">{shortId}</span>
    </span>
  );

  const problem = (message: string, testId = "execution-error") => (
    <div className="space-y-6">
      <PipelineHeader o={o} crumbs={crumbs} title={title} />
      <p
        role="alert"
        className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-200"
        data-testid={testId}
      >
        {message}
      </p>
    </div>
  );
  if (!t.pipelineArn) return problem("This pipeline does not exist yet: apply its onboarding first.", "not-provisioned");
  if (!EXECUTION_ID.test(executionId)) notFound();

  let detail: ExecutionDetail;
  try {
    detail = await executionDetail(t, executionId, user.email);
  } catch (e) {
    // An execution AWS does not know answers 404, like an unknown pipeline.
    if ((e as Error)?.name === "PipelineExecutionNotFoundException") notFound();
    const err: PlainError = readFailure(e, t, "codepipeline:GetPipelineExecution", { executionId });
    return problem(`${err.message}${err.requestId ? ` (AWS request id ${err.requestId})` : ""}`);
  }
  // The execution's start time as AWS lists it, when it is the latest one (the snapshot is usually cached).
  const snapshot = await pipelineSnapshot(t, user.email);
  const declaration = await pipelineDeclaration(t, detail.pipelineVersion, user.email).catch(() => null);
  const e =
    snapshot.latest?.id === executionId
      ? {
          ...detail.execution,
          startTime: snapshot.latest.startTime ?? detail.execution.startTime,
          lastUpdateTime: snapshot.latest.lastUpdateTime ?? detail.execution.lastUpdateTime,
          stopReason: snapshot.latest.stopReason,
        }
      : detail.execution;
  const now = Date.now();
  let why: { x: ExecutionExplanation | null; error?: string } | null = null;
  if (e.status === "Failed") {
    why = await explainExecution(o.id, executionId, user.email).then(
      async (x) => ({ x: await explanationFor(user, x) }),
      (err) => ({ x: null, error: readFailure(err, t, "codepipeline:ListActionExecutions", { executionId }).message }),
    );
  }
  const builder = isAllowed("pipelines.retry", user.role);
  const stageOrder = declaration?.stages.map((s) => s.name) ?? snapshot.stages.map((s) => s.name);
  // Stages this execution can retry: finished Failed/Stopped with a failed or abandoned action in the stage (AWS decides the rest).
  const retryStages =
    !isActive(e.status) && (e.status === "Failed" || e.status === "Stopped")
      ? stageOrder.filter((s) => {
          const latestPerAction = new Map<string, string>();
          for (const a of detail.actions.filter((x) => x.stageName === s)) latestPerAction.set(a.actionName, a.status);
          return [...latestPerAction.values()].some((st) => st === "Failed" || st === "Abandoned");
        })
      : [];

  return (
    <CommandFeedbackProvider>
      <div className="space-y-6">
        <PipelineHeader o={o} crumbs={crumbs} title={title} badge={<PipelineStatusBadge status={e.status} testId="execution-status" />} />
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm dark:border-slate-700 dark:bg-slate-900">
          {isActive(e.status) ? (
            <LiveRefresh dataAt={detail.fetchedAt} serverNow={now} intervalMs={5_000} />
          ) : (
            <span className="text-xs text-slate-500 dark:text-slate-400">Finished: this page does not refresh.</span>
          )}
          <a
            href={executionConsoleUrl(o.pipelineName, e.id, o.region)}
            target="_blank"
            rel="noreferrer"
            className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            data-testid="execution-console-link"
          >
            Open in the AWS console ↗
          </a>
        </div>

        <CommandFeedbackBanner />

        <dl className="grid grid-cols-1 gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white p-5 text-sm sm:grid-cols-2 dark:border-slate-700 dark:bg-slate-900">
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Execution id</dt>
            <dd className="break-all font-mono text-xs">{e.id}</dd>
          </div>
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Trigger</dt>
            <dd>
              {triggerLabel(e.triggerType)}
              {triggerWho(e.triggerDetail) ? (
                <span className="text-slate-500 dark:text-slate-400"> · {triggerWho(e.triggerDetail)}</span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Started</dt>
            <dd>{utc(e.startTime)}</dd>
          </div>
          <div>
            <dt className="text-slate-500 dark:text-slate-400">Duration</dt>
            <dd>{executionDuration(e, now)}</dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="text-slate-500 dark:text-slate-400">Source revision</dt>
            <dd>
              <Revision revision={e.sourceRevisions[0]} />
            </dd>
          </div>
          {e.statusSummary && (
            <div className="sm:col-span-2">
              <dt className="text-slate-500 dark:text-slate-400">Status summary</dt>
              <dd className="break-words" data-testid="execution-summary">
                {e.statusSummary}
              </dd>
            </div>
          )}
          {e.stopReason && (
            <div className="sm:col-span-2">
              <dt className="text-slate-500 dark:text-slate-400">Stop reason</dt>
              <dd className="break-words">{e.stopReason}</dd>
            </div>
          )}
        </dl>

        {why && <WhyFailed x={why.x} error={why.error} />}

        {builder && (isActive(e.status) || retryStages.length > 0) && (
          <section
            className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2 dark:border-slate-700 dark:bg-slate-900"
            aria-label="Commands"
          >
            {isActive(e.status) && (
              <div>
                <h2 className="mb-2 text-sm font-semibold">Stop this execution</h2>
                <StopForm
                  action={stopPipelineAction}
                  onboardingId={o.id}
                  pipelineName={o.pipelineName}
                  executionId={e.id}
                  stopping={e.status === "Stopping"}
                  revision={e.sourceRevisions[0]}
                />
              </div>
            )}
            {retryStages.map((s) => (
              <div key={s}>
                <h2 className="mb-2 text-sm font-semibold">Retry stage {s}</h2>
                <RetryForm action={retryStageAction} onboardingId={o.id} executionId={e.id} stageName={s} revision={e.sourceRevisions[0]} />
              </div>
            ))}
          </section>
        )}

        <section className="space-y-2" aria-labelledby="actions-heading">
          <h2 id="actions-heading" className="text-lg font-semibold">
            Actions
          </h2>
          <ActionExecutions actions={detail.actions} stageOrder={stageOrder} now={now} />
        </section>
        <p className="text-sm">
          <Link href={`/pipelines/${o.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
            ← Back to {o.pipelineName}
          </Link>
        </p>
      </div>
    </CommandFeedbackProvider>
  );
}
