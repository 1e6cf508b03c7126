import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { accountChoices } from "@/lib/accounts/queries";
import { connectionWarning } from "@/lib/accounts/connection-warning";
import { withoutExternalId } from "@/lib/accounts/external-id";
import { OnboardingForm } from "@/components/onboardings/onboarding-form";
import { createOnboardingAction } from "../actions";

export const metadata = { title: "Onboard a repository" };

export default async function NewOnboardingPage() {
  await requirePage("/onboardings/new");
  const rows = await accountChoices();
  const now = new Date();
  const accounts = rows.map((a) => ({
    id: a.id,
    name: a.name,
    accountId: a.accountId,
    defaultRegion: a.defaultRegion,
    purpose: a.purpose,
    warning: connectionWarning({ ...a, lastTestMessage: withoutExternalId(a.lastTestMessage, a.externalId) }, now),
  }));
  const pick = (purposes: string[]) => accounts.filter((a) => purposes.includes(a.purpose)).map(({ purpose: _p, ...a }) => a);
  const toolsAccounts = pick(["tools", "both"]);
  const repoAccounts = pick(["repo", "both"]);
  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          <Link href="/" className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
            Pipelines
          </Link>{" "}
          /
        </p>
        <h1 className="text-2xl font-semibold">Onboard a repository</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          A CodePipeline in the tools account, started by every push to a CodeCommit branch in the repo account. You review the complete
          plan before anything is created.
        </p>
      </div>
      {toolsAccounts.length === 0 || repoAccounts.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300">
          <p>Onboarding needs a registered tools account and a registered repo account.</p>
          <p className="mt-2 text-sm">
            <Link href="/accounts" className="text-indigo-700 underline dark:text-indigo-300">
              Review the AWS accounts
            </Link>
            .
          </p>
        </div>
      ) : (
        <OnboardingForm action={createOnboardingAction} toolsAccounts={toolsAccounts} repoAccounts={repoAccounts} />
      )}
    </div>
  );
}
