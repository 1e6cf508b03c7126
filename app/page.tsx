import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { db } from "@/lib/db";

export default async function HomePage() {
  await requirePage("/");
  const [accounts, onboardings] = await Promise.all([db.awsAccount.count(), db.onboarding.count()]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Pipelines</h1>
      {onboardings === 0 && (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          <p>No pipelines onboarded yet.</p>
          <p className="mt-2 text-sm">
            {accounts === 0 ? (
              <>Start by <Link href="/accounts" className="text-indigo-700 underline">registering your AWS accounts</Link>.</>
            ) : (
              <>{accounts} AWS account{accounts === 1 ? "" : "s"} registered. <Link href="/accounts" className="text-indigo-700 underline">Review accounts</Link>.</>
            )}
          </p>
        </div>
      )}
    </div>
  );
}
