import type { DriftCheckView, DriftItem } from "@/lib/drift/types";
import { DiffView } from "@/components/onboardings/diff-view";
import { Utc } from "@/components/onboardings/utc";
import { TableScroll } from "@/components/ui/table-scroll";
import { DriftBadge, DriftItemBadge } from "./drift-badge";

const ORDER: Record<DriftItem["status"], number> = { missing: 0, drifted: 1, error: 2, "in-sync": 3 };

/**
 * The latest drift check of an onboarding: when, by what, and per resource its status; for each resource out of
 * sync what changed, since when, and the diff (what AWS has now against what the portal wants).
 */
export function DriftPanel({ check, actions }: { check: DriftCheckView | null; actions?: React.ReactNode }) {
  const items = check ? [...check.items].sort((a, b) => ORDER[a.status] - ORDER[b.status]) : [];
  const out = items.filter((i) => i.status !== "in-sync");
  return (
    <section
      id="drift"
      className="space-y-3"
      aria-labelledby="drift-heading"
      data-testid="drift-panel"
      data-status={check?.status ?? "none"}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="drift-heading" className="flex flex-wrap items-center gap-2 text-lg font-semibold">
            Drift {check && <DriftBadge status={check.status} />}
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="drift-checked">
            {check ? (
              <>
                Last verified <Utc at={new Date(check.checkedAt)} /> (
                {check.trigger === "schedule" ? "scheduled" : check.trigger === "manual" ? `by ${check.actorEmail}` : "after a repair"}):{" "}
                {check.status === "in-sync"
                  ? `all ${items.length} resources match the desired state.`
                  : check.status === "drifted"
                    ? `${out.filter((i) => i.status !== "error").length} of ${items.length} resources are out of sync.`
                    : "some resources could not be read."}
              </>
            ) : (
              "Not verified yet: the portal verifies every active onboarding on a schedule, or verify now."
            )}
          </p>
          {check?.error && <p className="mt-1 text-sm text-red-800 dark:text-red-300">{check.error}</p>}
        </div>
        {actions}
      </div>
      {items.length > 0 && (
        <TableScroll label="Drift by resource">
          <table className="w-full text-left text-sm text-slate-900 dark:text-slate-100">
            <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Resource
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Account
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  First seen
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr
                  key={i.stepKey}
                  className="border-t border-slate-100 align-top dark:border-slate-800"
                  data-testid={`drift-item-${i.stepKey}`}
                  data-status={i.status}
                >
                  <td className="px-4 py-2">
                    <span className="block font-medium">{i.title}</span>
                    <span className="block break-all font-mono text-xs text-slate-600 dark:text-slate-300">{i.resource}</span>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-xs">
                    {i.account} <span className="font-mono">{i.accountId}</span>
                  </td>
                  <td className="px-4 py-2">
                    <DriftItemBadge status={i.status} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-600 dark:text-slate-300" data-testid="first-seen">
                    {i.firstSeenAt ? <Utc at={new Date(i.firstSeenAt)} /> : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {out.map((i) => (
        <article
          key={i.stepKey}
          className="space-y-2 rounded-lg border border-amber-300 bg-white p-4 dark:border-amber-700 dark:bg-slate-900"
          data-testid={`drift-detail-${i.stepKey}`}
          aria-label={`${i.title}: ${i.status}`}
        >
          <h3 className="flex flex-wrap items-center gap-2 font-medium">
            {i.title} <span className="break-all font-mono text-xs text-slate-600 dark:text-slate-300">{i.resource}</span>{" "}
            <DriftItemBadge status={i.status} />
          </h3>
          <ul className="list-disc pl-5 text-sm text-slate-900 dark:text-slate-100" data-testid="drift-changes">
            {(i.changes.length ? i.changes : [i.reason]).map((c) => (
              <li key={c} className="break-words">
                {c}
              </li>
            ))}
          </ul>
          {i.documents.map((d) => (
            <DiffView key={d.title} title={d.title} diff={d.diff} />
          ))}
        </article>
      ))}
    </section>
  );
}
