import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { isAllowed } from "@/lib/auth/access-table";
import { runHeading, runPipelineName } from "@/lib/onboarding/queries";
import { runProgress } from "@/lib/onboarding/service";
import { ALL_STEPS } from "@/lib/provisioning/steps";
import { DESTROY_STEPS } from "@/lib/teardown/steps";
import { RunProgressView } from "@/components/onboardings/run-progress";
import { Utc } from "@/components/onboardings/utc";
import { resumeRunAction } from "../../../actions";
import { titleFor } from "@/lib/ui/page-title";

export async function generateMetadata({ params }: { params: Promise<{ id: string; runId: string }> }) {
  const { id, runId } = await params;
  return titleFor("/onboardings/[id]/runs/[runId]", "Provisioning run", async () => {
    const pipelineName = await runPipelineName(id, runId);
    return pipelineName && `Run ${runId.slice(0, 8)} · ${pipelineName}`;
  });
}
export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string; runId: string }> }) {
  const { id, runId } = await params;
  const user = await requirePage("/onboardings/[id]/runs/[runId]", `/onboardings/${id}/runs/${runId}`);
  const progress = await runProgress(runId);
  if (!progress || progress.onboardingId !== id) notFound();
  const o = await runHeading(id);
  const titles = Object.fromEntries([...ALL_STEPS, ...DESTROY_STEPS].map((s) => [s.key, s.title]));

  return (
    <div className="space-y-6">
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
          {progress.kind === "apply" ? "Applying" : progress.kind === "destroy" ? "Offboarding" : progress.kind}{" "}
          <span className="font-mono">{o.pipelineName}</span>
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          <span className="font-mono">
            {o.repositoryName}@{o.branchName}
          </span>{" "}
          · queued <Utc at={progress.createdAt} /> ·{" "}
          <Link href={`/onboardings/${o.id}/plan`} className="text-indigo-700 underline dark:text-indigo-300">
            Plan
          </Link>{" "}
          ·{" "}
          <Link href={`/onboardings/${o.id}`} className="text-indigo-700 underline dark:text-indigo-300">
            All runs
          </Link>
        </p>
      </div>
      <RunProgressView
        initial={progress}
        titles={titles}
        pipelineName={o.pipelineName}
        pipelineHref={`/pipelines/${o.id}`}
        renderedAt={Date.now()}
        resumeAction={isAllowed("onboardings.resume", user.role) ? resumeRunAction : undefined}
      />
    </div>
  );
}
