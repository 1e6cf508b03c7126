import type { Plan, PlanAction, PlanItem } from "@/lib/runs/types";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { consoleHref, kindLabel } from "@/lib/resources/labels";
import { ArnLink } from "./arn-link";
import { PlanActionBadge } from "./badges";
import { DiffView } from "./diff-view";

const ACTIONS: { action: PlanAction; label: string }[] = [
  { action: "create", label: "create" },
  { action: "update", label: "update" },
  { action: "no-change", label: "no change" },
  { action: "adopt", label: "adopt" },
  { action: "conflict", label: "conflict" },
  { action: "delete", label: "delete" },
];

const json = (v: unknown) => JSON.stringify(v, null, 2);

export function PlanSummary({ plan }: { plan: Plan }) {
  return (
    <div
      className="flex flex-wrap items-center gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm dark:border-slate-700 dark:bg-slate-900"
      data-testid="plan-summary"
    >
      {ACTIONS.map(({ action, label }) => (
        <span key={action} className="flex items-center gap-2" data-testid={`summary-${action}`}>
          <span className="text-lg font-semibold tabular-nums">{plan.summary[action] ?? 0}</span>
          <PlanActionBadge action={action} />
          <span className="sr-only">{label}</span>
        </span>
      ))}
      <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">
        Read from AWS at {plan.createdAt.slice(0, 19).replace("T", " ")} UTC · nothing was written
      </span>
    </div>
  );
}

/** One resource, collapsible: the summary names it and its action; changes start open, unchanged ones closed. */
function ItemCard({ item }: { item: PlanItem }) {
  const changed = item.documents.filter((d) => d.diff).length;
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900"
      data-testid="plan-item"
      data-step={item.stepKey}
      data-action={item.action}
    >
      <details className="group/item" open={item.action !== "no-change"} data-testid="plan-item-details">
        <summary className="flex cursor-pointer flex-wrap items-center justify-between gap-3 px-4 py-3 hover:bg-slate-50 dark:hover:bg-slate-800">
          <span className="flex min-w-0 items-center gap-2">
            <span aria-hidden className="text-slate-600 transition-transform group-open/item:rotate-90 dark:text-slate-300">
              ▸
            </span>
            <span className="font-medium" data-testid="plan-item-title">
              {item.title}
            </span>
          </span>
          <PlanActionBadge action={item.action} />
        </summary>
        <div className="min-w-0 space-y-1 px-4 pb-3">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            <span className="text-slate-600 dark:text-slate-300">{kindLabel(item.kind)}</span>{" "}
            <span className="break-all font-mono">{item.name}</span>
            {item.shared && (
              <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                shared with other onboardings
              </span>
            )}
          </p>
          <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="plan-item-reason">
            {item.reason}
          </p>
          {item.arn &&
            (item.action === "create" ? (
              <p className="break-all font-mono text-xs text-slate-600 dark:text-slate-300">{item.arn}</p>
            ) : (
              <ArnLink arn={item.arn} href={consoleHref(item.kind, item.arn)} />
            ))}
        </div>
        {item.documents.length > 0 && (
          <div className="space-y-2 border-t border-slate-100 px-4 py-3 dark:border-slate-800">
            {item.documents.map((d) => (
              <details
                key={d.title}
                className="group rounded border border-slate-200 dark:border-slate-700"
                data-testid="plan-document"
                open={!!d.diff && item.action === "update"}
              >
                <summary className="flex cursor-pointer items-center gap-2 px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 dark:text-slate-300 dark:hover:bg-slate-800">
                  <span aria-hidden className="text-slate-600 transition-transform group-open:rotate-90 dark:text-slate-300">
                    ▸
                  </span>
                  {d.title}
                  {d.diff ? (
                    <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 dark:bg-amber-950 dark:text-amber-200">
                      changes
                    </span>
                  ) : d.current == null ? (
                    <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
                      new
                    </span>
                  ) : (
                    <span className="text-xs font-normal text-slate-600 dark:text-slate-300">unchanged</span>
                  )}
                </summary>
                <div className="space-y-3 p-3">
                  {d.diff && <DiffView diff={d.diff} title={d.title} />}
                  <CodeBlock
                    title={d.current == null ? `${d.title} (to be written)` : `${d.title} (desired)`}
                    code={json(d.desired)}
                    copyLabel="Copy document"
                  />
                </div>
              </details>
            ))}
            {changed > 0 && (
              <p className="sr-only">
                {changed} document{changed === 1 ? "" : "s"} change.
              </p>
            )}
          </div>
        )}
        {item.cli.length > 0 && (
          <div className="border-t border-slate-100 px-4 py-3 dark:border-slate-800">
            <CodeBlock title="AWS CLI" code={item.cli.join("\n")} copyLabel="Copy commands" />
          </div>
        )}
      </details>
    </li>
  );
}

/** Counts per action, in the summary's order, e.g. "3 create · 1 update · 9 no change". */
export function actionCounts(items: PlanItem[]): { action: PlanAction; label: string; count: number }[] {
  return ACTIONS.map(({ action, label }) => ({ action, label, count: items.filter((i) => i.action === action).length })).filter(
    (c) => c.count > 0,
  );
}

/** The plan's table of contents: each account's resources with counts per action, then the declaration and the CLI. */
export function PlanContents({ plan, accounts }: { plan: Plan; accounts: { tools: string; repo: string } }) {
  const groups = (["tools", "repo"] as const)
    .map((side) => ({ side, items: plan.items.filter((i) => i.account === side) }))
    .filter((g) => g.items.length > 0);
  return (
    <nav
      aria-label="Plan contents"
      className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm dark:border-slate-700 dark:bg-slate-900"
      data-testid="plan-contents"
    >
      <p className="font-semibold">Contents</p>
      <ol className="mt-2 space-y-1.5">
        {groups.map(({ side, items }) => (
          <li key={side} data-testid={`contents-${side}`}>
            <a href={`#items-${side}`} className="font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300">
              {side === "tools" ? "Tools account" : "Repo account"} · {accounts[side]}
            </a>{" "}
            <span className="text-slate-600 dark:text-slate-300">
              ({items.length} resource{items.length === 1 ? "" : "s"}:{" "}
              {actionCounts(items)
                .map((c) => `${c.count} ${c.label}`)
                .join(" · ")}
              )
            </span>
          </li>
        ))}
        <li>
          <a href="#pipeline-heading" className="font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300">
            Pipeline declaration
          </a>
        </li>
        <li>
          <a href="#cli" className="font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300">
            Equivalent AWS CLI commands
          </a>{" "}
          <span className="text-slate-600 dark:text-slate-300">
            ({plan.cli.length} step{plan.cli.length === 1 ? "" : "s"})
          </span>
        </li>
      </ol>
    </nav>
  );
}

/**
 * Resources by account. When something changes, unchanged resources fold away so the changes stand out.
 * A page listing several of these (the offboard page's groups) gives each its own `idPrefix` and the id of its
 * heading (`labelledBy`), so that ids and the account sections' names stay unique.
 */
export function PlanItems({
  plan,
  accounts,
  idPrefix = "items",
  labelledBy,
}: {
  plan: Plan;
  accounts: { tools: string; repo: string };
  idPrefix?: string;
  labelledBy?: string;
}) {
  const anyChange = plan.items.some((i) => i.action !== "no-change");
  const groups = (["tools", "repo"] as const).map((side) => ({ side, items: plan.items.filter((i) => i.account === side) }));
  return (
    <div className="space-y-6">
      {groups.map(({ side, items }) => {
        if (items.length === 0) return null;
        const shown = anyChange ? items.filter((i) => i.action !== "no-change") : items;
        const folded = anyChange ? items.filter((i) => i.action === "no-change") : [];
        return (
          <section
            key={side}
            aria-labelledby={`${labelledBy ? `${labelledBy} ` : ""}${idPrefix}-${side}`}
            className="space-y-3"
            data-testid={`plan-group-${side}`}
          >
            <h3 id={`${idPrefix}-${side}`} className="text-base font-semibold">
              {side === "tools" ? "Tools account" : "Repo account"}{" "}
              <span className="font-normal text-slate-600 dark:text-slate-300">{accounts[side]}</span>{" "}
              <span className="font-mono text-sm font-normal text-slate-500 dark:text-slate-400">
                {side === "tools" ? plan.names.toolsAccountId : plan.names.repoAccountId}
              </span>
            </h3>
            {shown.length > 0 && (
              <ol className="space-y-3">
                {shown.map((i) => (
                  <ItemCard key={`${i.stepKey}:${i.name}`} item={i} />
                ))}
              </ol>
            )}
            {folded.length > 0 && (
              <details
                className="group rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900"
                data-testid={`plan-unchanged-${side}`}
              >
                <summary className="flex cursor-pointer items-center gap-2 px-4 py-2.5 text-sm text-slate-600 hover:bg-slate-50 dark:text-slate-300 dark:hover:bg-slate-800">
                  <span aria-hidden className="text-slate-400 transition-transform group-open:rotate-90 dark:text-slate-400">
                    ▸
                  </span>
                  {folded.length} unchanged resource{folded.length === 1 ? "" : "s"}:{" "}
                  {folded.map((i) => i.title.replace(/ \(.*\)$/, "")).join(", ")}
                </summary>
                <ol className="space-y-3 border-t border-slate-100 p-3 dark:border-slate-800">
                  {folded.map((i) => (
                    <ItemCard key={`${i.stepKey}:${i.name}`} item={i} />
                  ))}
                </ol>
              </details>
            )}
          </section>
        );
      })}
    </div>
  );
}

/** Whether the shared key does not exist yet (documents then show a placeholder key ARN). */
export function keyPending(plan: Plan): boolean {
  return plan.items.some((i) => i.kind === "kms-key" && i.action === "create");
}

export function PlanKeyNote({ plan }: { plan: Plan }) {
  if (!keyPending(plan)) return null;
  return (
    <p
      className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
      data-testid="key-placeholder-note"
    >
      The artifact key does not exist yet: <span className="font-mono">key/00000000-0000-0000-0000-000000000000</span> stands for the ARN
      AWS gives it when it is created; the apply uses the real ARN.
    </p>
  );
}

export function PipelineJson({ plan }: { plan: Plan }) {
  return (
    <CodeBlock
      title={`pipeline.json — aws codepipeline create-pipeline / update-pipeline --cli-input-json file://pipeline.json`}
      code={json(plan.pipelineJson)}
      testId="pipeline-json"
      copyLabel="Copy pipeline JSON"
    />
  );
}

export function CliCommands({ plan }: { plan: Plan }) {
  return (
    <div className="space-y-3">
      <CopyButton text={plan.cli.map((c) => c.command).join("\n\n")} label="Copy all commands" />
      <ol className="space-y-4" data-testid="cli-commands">
        {plan.cli.map((c, i) => (
          <li key={i} className="space-y-2" data-testid="cli-step">
            <p className="text-sm font-medium">
              <span className="mr-2 tabular-nums text-slate-600 dark:text-slate-300">{i + 1}.</span>
              {c.title}{" "}
              <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                {c.account === "tools" ? "tools account" : "repo account"}
              </span>
            </p>
            {c.file && (
              <details className="rounded border border-slate-200 dark:border-slate-700">
                <summary className="cursor-pointer px-3 py-1.5 text-xs font-medium text-slate-600 hover:bg-slate-50 dark:text-slate-300 dark:hover:bg-slate-800">
                  Save as <span className="font-mono">{c.file.name}</span>
                </summary>
                <div className="p-2">
                  <CodeBlock title={c.file.name} code={c.file.content} />
                </div>
              </details>
            )}
            <pre className="overflow-x-auto whitespace-pre-wrap wrap-anywhere rounded-lg border border-slate-200 bg-slate-900 p-3 text-xs leading-relaxed text-slate-100 dark:border-slate-700 dark:bg-slate-950">
              <code>{c.command}</code>
            </pre>
            <CopyButton text={c.command} label="Copy command" />
          </li>
        ))}
      </ol>
    </div>
  );
}
