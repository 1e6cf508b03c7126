/**
 * What the Apply confirmation says will happen, from the plan: which services' resources and policies are written
 * in which accounts. Pure (no I/O), so the sentence is tested to the byte.
 */
import type { PlanItem } from "@/lib/runs/types";
import { SERVICE_ORDER, serviceOf } from "@/lib/resources/labels";

const list = (xs: string[]) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);

export interface AccountLabel {
  accountId: string;
  name: string;
}

/**
 * E.g. "Apply writes IAM, KMS and S3 policies and resources in accounts Demo tools (111111111111) and Demo repo
 * (222222222222): 9 to create, 2 to update, 1 to take over." Unchanged items are re-checked, not written.
 */
export function applyConfirmation(items: Pick<PlanItem, "kind" | "accountId" | "action">[], accounts: AccountLabel[]): string {
  const writes = items.filter((i) => i.action === "create" || i.action === "update" || i.action === "adopt" || i.action === "delete");
  if (!writes.length) return "Apply re-reads every resource of the plan; everything already matches, so it makes no change in AWS.";
  const services = SERVICE_ORDER.filter((s) => writes.some((i) => serviceOf(i.kind) === s));
  for (const i of writes) {
    const s = serviceOf(i.kind);
    if (!services.includes(s)) services.push(s);
  }
  const ids = [...new Set(writes.map((i) => i.accountId))];
  const label = (id: string) => {
    const a = accounts.find((x) => x.accountId === id);
    return a ? `${a.name} (${id})` : id;
  };
  const count = (action: string, words: string) => {
    const n = writes.filter((i) => i.action === action).length;
    return n ? [`${n} to ${words}`] : [];
  };
  const counts = [...count("create", "create"), ...count("update", "update"), ...count("adopt", "take over"), ...count("delete", "delete")];
  return `Apply writes ${list(services)} policies and resources in ${ids.length === 1 ? "account" : "accounts"} ${list(ids.map(label))}: ${counts.join(", ")}. Each step runs as the signed-in user through the account's provisioning role and is recorded in the audit history.`;
}
