import Link from "next/link";
import type { OnboardingRef } from "@/lib/pipelines/types";
import { pipelineConsoleUrl } from "@/lib/resources/console-url";

/** Breadcrumb, title and the facts of one pipeline, shared by the pipeline and execution pages. */
export function PipelineHeader({
  o,
  crumbs,
  title,
  badge,
  links,
}: {
  o: OnboardingRef;
  crumbs?: { href: string; label: string }[];
  title?: React.ReactNode;
  badge?: React.ReactNode;
  links?: React.ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <p className="text-sm text-slate-500 dark:text-slate-400">
          <Link href="/" className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
            Pipelines
          </Link>{" "}
          /{" "}
          {crumbs?.map((c) => (
            <span key={c.href}>
              <Link href={c.href} className="underline underline-offset-2 hover:text-slate-900 dark:hover:text-white">
                {c.label}
              </Link>{" "}
              /{" "}
            </span>
          ))}
        </p>
        <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
          {title ?? <span className="font-mono">{o.pipelineName}</span>}
          {badge}
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          <span className="font-mono">
            {o.repositoryName}@{o.branchName}
          </span>{" "}
          · {o.repoAccount.name} ({o.repoAccount.accountId}) → {o.toolsAccount.name} ({o.toolsAccount.accountId}) · {o.region} · type{" "}
          {o.pipelineType}
        </p>
      </div>
      <div className="flex flex-wrap gap-2 text-sm">
        {links}
        <Link
          href={`/onboardings/${o.id}`}
          className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
        >
          Onboarding
        </Link>
        {o.pipelineArn && (
          <a
            href={pipelineConsoleUrl(o.pipelineName, o.region)}
            target="_blank"
            rel="noreferrer"
            className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
          >
            AWS console ↗
          </a>
        )}
      </div>
    </div>
  );
}
