import Link from "next/link";
import type { Explanation } from "@/lib/explain/types";
import { ArnLink } from "@/components/onboardings/arn-link";
import { Utc } from "@/components/onboardings/utc";

const SIDE = { tools: "tools account", repo: "repo account" } as const;

/** One explanation: what is wrong, where (account, resource), AWS's evidence, and Repair. */
export function ExplanationCard({ e, index }: { e: Explanation; index: number }) {
  const headingId = `explanation-${index}`;
  return (
    <article
      aria-labelledby={headingId}
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-slate-900 dark:border-amber-700 dark:bg-slate-900 dark:text-slate-100"
      data-testid="explanation"
      data-kind={e.kind}
    >
      <h3 id={headingId} className="font-semibold">
        {e.title}
      </h3>
      <p className="break-words" data-testid="explanation-what">
        {e.what}
      </p>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-600 dark:text-slate-300">Account</dt>
        <dd data-testid="explanation-account">
          {e.account.name} <span className="font-mono text-xs">({e.account.accountId})</span>, {SIDE[e.account.side]}
        </dd>
        <dt className="text-slate-600 dark:text-slate-300">Resource</dt>
        <dd className="min-w-0">
          <ArnLink arn={e.resourceArn} testId="explanation-resource" />
        </dd>
        {e.since && (
          <>
            <dt className="text-slate-600 dark:text-slate-300">Out of sync since</dt>
            <dd data-testid="explanation-since">
              <Utc at={e.since} /> <span className="text-slate-600 dark:text-slate-300">(first seen by a verify)</span>
            </dd>
          </>
        )}
      </dl>
      {e.evidence.length > 0 && (
        <details className="rounded border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-950">
          <summary className="cursor-pointer px-3 py-1.5 text-xs font-medium text-slate-600 dark:text-slate-300">Evidence</summary>
          <pre
            tabIndex={0}
            role="region"
            aria-label={`Evidence ${index + 1}: AWS's message and the lines that differ`}
            className="relative max-h-64 overflow-auto whitespace-pre-wrap break-words p-3 font-mono text-xs text-slate-900 dark:text-slate-100"
          >
            {e.evidence.join("\n")}
          </pre>
        </details>
      )}
      {e.repair && (
        <p>
          <Link
            href={e.repair.href}
            prefetch={false}
            className="inline-block rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800"
            data-testid="explanation-repair"
          >
            {e.repair.label}
          </Link>
        </p>
      )}
    </article>
  );
}
