import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { onboardingWithAccounts, pipelineNameOf } from "@/lib/onboarding/queries";
import { parseEmailList } from "@/lib/runs/spec";
import { EditOnboardingForm } from "@/components/onboardings/edit-form";
import { updateOnboardingAction } from "../../actions";
import { titleFor } from "@/lib/ui/page-title";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return titleFor("/onboardings/[id]/edit", "Edit onboarding", async () => {
    const pipelineName = await pipelineNameOf(id);
    return pipelineName && `Edit onboarding ${pipelineName}`;
  });
}

export default async function EditOnboardingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePage("/onboardings/[id]/edit", `/onboardings/${id}/edit`);
  const o = await onboardingWithAccounts(id);
  if (!o) notFound();
  return (
    <div className="max-w-3xl space-y-6">
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
          Edit <span className="font-mono">{o.pipelineName}</span>
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          The accounts, region, repository and pipeline name identify the resources and stay as they are. Saving changes nothing in AWS: the
          plan shows the updates, and you apply them.
        </p>
      </div>
      <dl className="grid grid-cols-1 gap-x-8 gap-y-2 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm sm:grid-cols-2 dark:border-slate-700 dark:bg-slate-800">
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Tools account</dt>
          <dd>
            {o.toolsAccount.name} <span className="font-mono text-slate-600 dark:text-slate-300">{o.toolsAccount.accountId}</span>
          </dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Repo account</dt>
          <dd>
            {o.repoAccount.name} <span className="font-mono text-slate-600 dark:text-slate-300">{o.repoAccount.accountId}</span>
          </dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Region</dt>
          <dd>{o.region}</dd>
        </div>
        <div>
          <dt className="text-slate-500 dark:text-slate-400">Repository</dt>
          <dd className="font-mono">{o.repositoryName}</dd>
        </div>
      </dl>
      <EditOnboardingForm
        action={updateOnboardingAction}
        initial={{
          id: o.id,
          toolsAccountId: o.toolsAccountId,
          repoAccountId: o.repoAccountId,
          region: o.region,
          repositoryName: o.repositoryName,
          pipelineName: o.pipelineName,
          branchName: o.branchName,
          buildMode: o.buildMode === "existing" ? "existing" : "create",
          buildProject: o.buildProject,
          approval: o.approval,
          notifications: o.notifications,
          notificationEmails: parseEmailList(o.notificationEmails),
          pipelineType: o.pipelineType === "V2" ? "V2" : "V1",
        }}
      />
    </div>
  );
}
