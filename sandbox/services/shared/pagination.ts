/** Pagination every service shares: offset tokens (IAM, EventBridge, KMS, CodeStar Notifications) and id tokens (CodePipeline). */
import { AwsError } from "../../errors";

export interface PageRules {
  defaultLimit: number;
  maxLimit: number;
  badToken: () => AwsError;
  badLimit: (limit: unknown) => AwsError;
}

/** Items from the offset `token` names (opaque: base64url of the offset), at most `limit`; `next` when more follow. */
export function offsetPage<T>(items: T[], token: unknown, limit: unknown, rules: PageRules): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(String(token), "base64url").toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw rules.badToken();
  const max = limit === undefined ? rules.defaultLimit : Number(limit);
  if (!Number.isInteger(max) || max < 1 || max > rules.maxLimit) throw rules.badLimit(limit);
  const truncated = start + max < items.length;
  return { items: items.slice(start, start + max), next: truncated ? Buffer.from(String(start + max)).toString("base64url") : undefined };
}

/** IAM's Marker/MaxItems pages (EventBridge's NextToken/Limit answer the same way in the sandbox). */
const MARKER_PAGES: PageRules = {
  defaultLimit: 100,
  maxLimit: 1000,
  badToken: () => new AwsError("InvalidInput", "Invalid Marker.", 400),
  badLimit: () => new AwsError("ValidationError", "MaxItems must be between 1 and 1000.", 400),
};

export function markerPage<T>(items: T[], marker: unknown, maxItems: unknown) {
  const { items: page, next } = offsetPage(items, marker, maxItems, MARKER_PAGES);
  return { page, IsTruncated: next !== undefined, Marker: next };
}

/** Items from the one whose id `token` names (opaque: base64url of that id), at most `limit`; `next` names the first of the next page. */
export function idPage<T>(
  all: T[],
  token: unknown,
  limit: unknown,
  idOf: (t: T) => string,
  rules: PageRules,
): { items: T[]; next?: string } {
  const max = limit === undefined ? rules.defaultLimit : Number(limit);
  if (!Number.isInteger(max) || max < 1 || max > rules.maxLimit) throw rules.badLimit(limit);
  let start = 0;
  if (token !== undefined) {
    let id = "";
    try {
      id = Buffer.from(String(token), "base64url").toString("utf8");
    } catch {
      /* invalid below */
    }
    start = all.findIndex((t) => idOf(t) === id);
    if (start < 0) throw rules.badToken();
  }
  const next = all[start + max];
  return { items: all.slice(start, start + max), next: next ? Buffer.from(idOf(next), "utf8").toString("base64url") : undefined };
}
