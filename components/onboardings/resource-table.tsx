import { ArnLink } from "./arn-link";
import { TableScroll } from "@/components/ui/table-scroll";
import { consoleHref, kindLabel } from "@/lib/resources/labels";

export interface LedgerRow {
  id: string;
  kind: string;
  name: string;
  arn: string;
  accountId: string;
  origin: string;
  shared: boolean;
}

/** Ledger origins (lib/provisioning/ledger.ts); `shared` is the naming-v1 shared bucket, never deleted by an offboarding. */
const ORIGIN_LABEL: Record<string, string> = {
  adopted: "adopted (existed before)",
  shared: "old shared bucket (naming v1): never deleted by an offboarding",
};

/** What the portal created or adopted for an onboarding (the ledger teardown relies on). */
export function ResourceTable({ rows }: { rows: LedgerRow[] }) {
  return (
    <TableScroll label="Resources table">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Resource
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Account
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              ARN
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Origin
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-100 align-top dark:border-slate-800" data-testid="resource-row">
              <td className="px-4 py-2">
                <span className="font-medium">{kindLabel(r.kind)}</span>
                <span className="block font-mono text-xs text-slate-600 dark:text-slate-300">{r.name}</span>
              </td>
              <td className="px-4 py-2 font-mono text-xs">{r.accountId}</td>
              <td className="max-w-md px-4 py-2">
                <ArnLink arn={r.arn} href={consoleHref(r.kind, r.arn)} />
              </td>
              <td className="px-4 py-2 text-xs">
                {ORIGIN_LABEL[r.origin] ?? "created by the portal"}
                {r.shared && <span className="block text-slate-500 dark:text-slate-400">shared with other onboardings</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
