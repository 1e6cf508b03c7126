/**
 * What the views say of a kind, from the registry: the plan page (components/onboardings/plan-view.tsx), the
 * resource table (components/onboardings/resource-table.tsx) and the Apply dialog (lib/onboarding/apply-confirmation.ts).
 * Pure, so a test covers every registered kind.
 */
import { consoleUrlForArn } from "./console-url";
import { RESOURCE_KINDS, resourceKind } from "./index";
import { AWS_SERVICES, type ResourceKind } from "./types";

/**
 * Plan item kinds that are no resource: the retire step's summary when it deletes nothing or everything at once
 * (lib/provisioning/steps/retire-unused.ts). Its deletions are of registered kinds; this only names the item.
 */
const PLAN_ONLY_KINDS: Record<string, Pick<ResourceKind, "label" | "service">> = {
  "retired-resources": { label: "Resources no longer used", service: "IAM" },
};

/** "IAM role", "SNS topic"; an unknown kind is shown as recorded. */
export function kindLabel(kind: string): string {
  return resourceKind(kind)?.label ?? PLAN_ONLY_KINDS[kind]?.label ?? kind;
}

/** The AWS service's display name ("CodeStar Notifications"); an unknown kind is shown as recorded. */
export function serviceOf(kind: string): string {
  return resourceKind(kind)?.service ?? PLAN_ONLY_KINDS[kind]?.service ?? kind;
}

/** Services in the order the Apply dialog names them: the known ones first, then any other registered service. */
export const SERVICE_ORDER: string[] = [...new Set<string>([...AWS_SERVICES, ...RESOURCE_KINDS.map((k) => k.service)])];

/**
 * Where a resource of `kind` named by `arn` opens in the console: its page, or the kind's stated reason for having
 * none. Null only for an ARN the kind's link cannot read (e.g. another partition).
 */
export function consoleLinkOf(kind: string, arn: string): { url: string } | { reason: string } | null {
  const k = resourceKind(kind);
  if (!k) return null;
  if ("none" in k.console) return { reason: k.console.none };
  const url = k.console.url(arn);
  return url ? { url } : null;
}

/** The console page the views link an ARN of `kind` to: the kind's own, else the one the ARN's service has (null: none). */
export function consoleHref(kind: string, arn: string): string | null {
  const link = consoleLinkOf(kind, arn);
  return link && "url" in link ? link.url : consoleUrlForArn(arn);
}
