import type { DriftItem } from "@/lib/drift/types";
import type { Explanation } from "./types";

/**
 * "Since when": the time a verify first saw the explained resource out of sync, when the newest drift check still
 * lists it (matched by ARN, else by account and name).
 */
export function withSince(explanations: Explanation[], driftItems: DriftItem[] | undefined): Explanation[] {
  if (!driftItems?.length) return explanations;
  const outOfSync = driftItems.filter((d) => d.status !== "in-sync" && d.firstSeenAt);
  return explanations.map((e) => {
    const hit = outOfSync.find(
      (d) =>
        (d.arn && d.arn === e.resourceArn) || (d.accountId === e.account.accountId && !!d.resource && e.resourceArn.endsWith(d.resource)),
    );
    return hit ? { ...e, since: hit.firstSeenAt } : e;
  });
}
