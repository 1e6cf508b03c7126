import { titleFor } from "@/lib/ui/page-title";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { isAllowed } from "@/lib/auth/access-table";
import { onboardingDetail, pipelineNameOf } from "@/lib/onboarding/queries";
import { regionDisplayName } from "@/lib/names/regions";
import { OnboardingStatusBadge, RunStatusBadge } from "@/components/onboardings/badges";
import { ArnLink } from "@/components/onboardings/arn-link";
import { formatDuration } from "@/lib/format/duration";
import { pipelineConsoleUrl } from "@/lib/resources/console-url";
import { Utc } from "@/components/onboardings/utc";
import { ResourceTable } from "@/components/onboardings/resource-table";
import { auditHistoryHref } from "@/lib/audit/links";
import { onboardingDriftView } from "@/lib/drift/page-view";
import { repairOfRun } from "@/lib/drift/service";
import { TableScroll } from "@/components/ui/table-scroll";
import { DriftPanel } from "@/components/drift/drift-panel";
import { OffboardedDriftNote } from "@/components/drift/offboarded-drift-note";
import { RepairButton, VerifyNowButton } from "@/components/drift/drift-buttons";
import { repairDriftAction, verifyDriftAction } from "../actions";
import { notificationStatus } from "@/lib/notifications/status";
import { NotificationsSection } from "@/components/onboardings/notifications-section";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return titleFor("/onboardings/[id]", "Onboarding", async () => {
    const pipelineName = await pipelineNameOf(id);
    return pipelineName && `Onboarding ${pipelineName}`;
  });
}

export default async function OnboardingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePage("/onboardings/[id]", `/onboardings/${id}`);
  const o = await onboardingDetail(id);
  if (!o) notFound();
  const canEdit = isAllowed("/onboardings/[id]/edit", user.role);
  const active = o.runs.find((r) => r.status === "queued" || r.status === "running");
  const offboarded = o.status === "offboarded";
  const driftView = await onboardingDriftView(o);
  const drift = driftView.kind === "check" ? driftView.check : null;
  const outOfSync = drift?.items.filter((i) => i.status === "drifted" || i.status === "missing").length ?? 0;
  const provisioned = driftView.kind === "check" && driftView.provisioned;

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            <Link href="/" className="hover:underline">
              Pipelines
            </Link>{" "}
            /
          </p>
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
            <span className="font-mono">{o.pipelineName}</span>
            <OnboardingStatusBadge status={o.status} />
          </h1>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            <span className="font-mono">
              {o.repositoryName}@{o.branchName}
            </span>
          </p>
        </div>
        <div className="flex flex-wrap gap-2 text-sm">
          {!offboarded && (
            <Link href={`/onboardings/${o.id}/plan`} className="rounded bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700">
              Plan
            </Link>
          )}
          {isAllowed("/admin/audit", user.role) && (
            <Link
              href={auditHistoryHref({ targetType: "onboarding", targetId: o.id })}
              className="rounded border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
            >
              Audit history
            </Link>
          )}
          {canEdit && !offboarded && (
            <Link
              href={`/onboardings/${o.id}/edit`}
              className="rounded border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
            >
              Edit
            </Link>
          )}
          {isAllowed("/onboardings/[id]/offboard", user.role) && !offboarded && !active && (
            <Link
              href={`/onboardings/${o.id}/offboard`}
              className="rounded border border-red-300 bg-white px-3 py-2 font-medium text-red-800 hover:bg-red-50 dark:border-red-800 dark:bg-slate-900 dark:text-red-300 dark:hover:bg-red-950"
            >
              Offboard
            </Link>
          )}
          {active && (
            <Link
              href={`/onboardings/${o.id}/runs/${active.id}`}
              className="rounded border border-sky-300 bg-sky-50 px-3 py-2 font-medium text-sky-800 hover:bg-sky-100 dark:border-sky-700 dark:bg-sky-950 dark:text-sky-200 dark:hover:bg-sky-900"
            >
              Follow the running apply
            </Link>
          )}
        </div>
      </div>

      {offboarded && (
        <p
          role="status"
          className="rounded-lg border border-slate-300 bg-white px-4 py-3 text-sm text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200"
          data-testid="offboarded-note"
        >
          Offboarded: the portal deleted what it created for this pipeline (see the destroy run below). Its runs and audit history stay; the
          pipeline name may be onboarded again.
        </p>
      )}

      <dl className="grid grid-cols-1 gap-x-8 gap-y-4 rounded-lg border border-slate-200 bg-white p-6 text-sm sm:grid-cols-2 dark:border-slate-700 dark:bg-slate-900">
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Tools account (pipeline)</dt>
          <dd>
            <Link href={`/accounts/${o.toolsAccount.id}`} className="text-indigo-700 underline underline-offset-2 dark:text-indigo-300">
              {o.toolsAccount.name}
            </Link>{" "}
            <span className="font-mono text-slate-600 dark:text-slate-300">{o.toolsAccount.accountId}</span>
          </dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Repo account (source)</dt>
          <dd>
            <Link href={`/accounts/${o.repoAccount.id}`} className="text-indigo-700 underline underline-offset-2 dark:text-indigo-300">
              {o.repoAccount.name}
            </Link>{" "}
            <span className="font-mono text-slate-600 dark:text-slate-300">{o.repoAccount.accountId}</span>
          </dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Region</dt>
          <dd>
            {o.region} <span className="text-slate-500 dark:text-slate-400">{regionDisplayName(o.region)}</span>
          </dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Source</dt>
          <dd className="font-mono">
            {o.repositoryName}@{o.branchName}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Pipeline</dt>
          <dd>
            <span className="font-mono">{o.pipelineName}</span> · type {o.pipelineType}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Build</dt>
          <dd>
            <span className="font-mono">{o.buildProject}</span>{" "}
            <span className="text-slate-500 dark:text-slate-400">
              ({o.buildMode === "create" ? "created by the portal" : "existing project"})
            </span>
          </dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Manual approval</dt>
          <dd>{o.approval ? "Yes, between source and build" : "No"}</dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Created</dt>
          <dd>
            <Utc at={o.createdAt} />
          </dd>
        </div>
        <div className="sm:col-span-2">
          <dt className="text-slate-500 dark:text-slate-400">Pipeline ARN</dt>
          <dd>
            {o.pipelineArn ? (
              <span className="flex flex-wrap items-center gap-3">
                <ArnLink arn={o.pipelineArn} testId="pipeline-arn" />
                <Link
                  href={`/pipelines/${o.id}`}
                  className="text-xs font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300"
                  data-testid="portal-pipeline-link"
                >
                  Open the pipeline page
                </Link>
                <a
                  href={pipelineConsoleUrl(o.pipelineName, o.region)}
                  target="_blank"
                  rel="noreferrer"
                  className="text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  Open in the AWS console ↗
                </a>
              </span>
            ) : offboarded ? (
              <span className="text-slate-500 dark:text-slate-400">Deleted by the offboarding.</span>
            ) : (
              <span className="text-slate-500 dark:text-slate-400">Not created yet: review the plan and apply it.</span>
            )}
          </dd>
        </div>
      </dl>

      <NotificationsSection status={await notificationStatus(o, user.email)} />

      {o.resources.length > 0 && (
        <section className="space-y-3" aria-labelledby="resources-heading">
          <h2 id="resources-heading" className="text-lg font-semibold">
            Resources
          </h2>
          <ResourceTable rows={o.resources} />
        </section>
      )}

      {driftView.kind === "offboarded" && <OffboardedDriftNote offboardedAt={driftView.offboardedAt} />}
      {driftView.kind === "check" && (provisioned || drift) && (
        <DriftPanel
          check={drift}
          actions={
            provisioned && !active && (isAllowed("onboardings.verify", user.role) || isAllowed("onboardings.repair", user.role)) ? (
              <div className="flex flex-wrap items-start gap-3">
                {isAllowed("onboardings.verify", user.role) && <VerifyNowButton onboardingId={o.id} action={verifyDriftAction} />}
                {drift?.status === "drifted" && isAllowed("onboardings.repair", user.role) && (
                  <RepairButton onboardingId={o.id} action={repairDriftAction} count={outOfSync} />
                )}
              </div>
            ) : undefined
          }
        />
      )}

      <section className="space-y-3" aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="text-lg font-semibold">
          Runs
        </h2>
        {o.runs.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300">
            Nothing applied yet.{" "}
            <Link href={`/onboardings/${o.id}/plan`} className="text-indigo-700 underline dark:text-indigo-300">
              Review the plan
            </Link>{" "}
            to provision the pipeline.
          </p>
        ) : (
          <TableScroll label="Runs table">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Run
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Attempt
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Started
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Duration
                  </th>
                </tr>
              </thead>
              <tbody>
                {o.runs.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="run-row">
                    <td className="px-4 py-2">
                      <Link
                        href={`/onboardings/${o.id}/runs/${r.id}`}
                        className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                      >
                        {r.kind}
                        {repairOfRun(r.plan) ? " (repair)" : ""}
                      </Link>
                    </td>
                    <td className="px-4 py-2">
                      <RunStatusBadge status={r.status} />
                    </td>
                    <td className="px-4 py-2">{r.attempt}</td>
                    <td className="px-4 py-2">
                      <Utc at={r.startedAt ?? r.createdAt} />
                    </td>
                    <td className="px-4 py-2">
                      {r.finishedAt
                        ? formatDuration((r.startedAt ?? r.createdAt).toISOString(), r.finishedAt.toISOString())
                        : r.status === "running"
                          ? "running…"
                          : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </div>
  );
}
