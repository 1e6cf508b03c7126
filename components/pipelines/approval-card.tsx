import Link from "next/link";
import type { ReactNode } from "react";
import type { ApprovalCardView } from "@/lib/pipelines/types";
import { utc } from "@/lib/pipelines/format";
import { Revision } from "./revision";

/** One pending approval: which execution waits in the stage, with the commit it would let through. */
export function ApprovalCard({ card, onboardingId, children }: { card: ApprovalCardView; onboardingId: string; children: ReactNode }) {
  return (
    <article
      aria-label={`${card.stageName} / ${card.actionName}, execution ${card.executionId.slice(0, 8)}`}
      className="space-y-2 rounded border border-sky-200 bg-white p-3 text-slate-900 dark:border-sky-800 dark:bg-slate-900 dark:text-slate-100"
      data-testid="approval-card"
      data-execution={card.executionId}
      data-commit={card.revision?.commitId}
    >
      <p className="text-sm">
        <span className="font-medium">
          {card.stageName} / {card.actionName}
        </span>
        <span className="text-slate-600 dark:text-slate-300">
          {" "}
          · execution{" "}
          {card.executionId ? (
            <Link
              href={`/pipelines/${onboardingId}/executions/${card.executionId}`}
              prefetch={false}
              className="font-mono text-indigo-700 underline dark:text-indigo-300"
              title={card.executionId}
              data-testid="approval-execution"
            >
              {card.executionId.slice(0, 8)}
            </Link>
          ) : (
            "unknown"
          )}
          {card.since && (
            <>
              {" "}
              · waiting since <time dateTime={card.since}>{utc(card.since)}</time>
            </>
          )}
        </span>
      </p>
      <div className="text-sm" data-testid="approval-revision">
        <span className="text-slate-600 dark:text-slate-300">Commit: </span>
        <Revision revision={card.revision} />
      </div>
      {children}
    </article>
  );
}
