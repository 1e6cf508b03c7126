/**
 * The link to the audit history filtered to one target, for any page that shows a thing with a history
 * (accounts, users, onboardings, pipelines). Target types in use: "account", "user", "onboarding", "run",
 * "pipeline", "page", "route", "action".
 */
export function auditHistoryHref({ targetType, targetId }: { targetType: string; targetId?: string | null }): string {
  const q = new URLSearchParams({ targetType });
  if (targetId) q.set("targetId", targetId);
  return `/admin/audit?${q.toString()}`;
}
